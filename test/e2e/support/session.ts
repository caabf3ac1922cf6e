// One end-to-end session: a temporary copy of the example repo, code-server with the packaged
// extension installed, and headless Chromium showing the workbench.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { launchBrowser } from '../../../scripts/harness/browser';
import type { LaunchedBrowser } from '../../../scripts/harness/browser';
import { startCodeServer } from '../../../scripts/harness/codeServer';
import type { RunningCodeServer } from '../../../scripts/harness/codeServer';
import { outputDir, requireExampleRepo, requireVsix, screenshotPath } from './paths';
import { Workbench } from './workbench';

export interface SessionOptions {
  /** Names the screenshots and logs of this session. */
  name: string;
  trusted: boolean;
  /** Files written into the copy before it is opened (path relative to the folder -> text). */
  files?: Readonly<Record<string, string>>;
  /** Extra user settings, merged over the session's own (e.g. `gitopsWorkbench.kustomizePath`). */
  userSettings?: Readonly<Record<string, unknown>>;
  /** A folder to open a copy of instead of the example repo (made a git repository). */
  repo?: string;
  /** Other extensions' VSIXs to install beside ours. */
  otherVsixPaths?: readonly string[];
}

export interface E2eSession {
  workbench: Workbench;
  folder: string;
  server: RunningCodeServer;
  /** Milliseconds from navigation to `.monaco-workbench`. */
  workbenchMs: number;
  /** Saves `test/output/e2e/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * Runs `check`; when it fails, saves a screenshot and fails with a message that says what was
   * expected, why it failed, and where the screenshot is.
   */
  expect<T>(name: string, expectation: string, check: () => Promise<T>): Promise<T>;
  /** `expect` for "this locator becomes visible". */
  expectVisible(
    name: string,
    expectation: string,
    locator: Locator,
    timeout?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions): Promise<E2eSession> {
  const vsix = requireVsix();
  const folder = path.join(
    mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-e2e-')),
    options.repo ? path.basename(options.repo) : 'podinfo-gitops',
  );
  cpSync(options.repo ?? requireExampleRepo(), folder, { recursive: true });
  if (options.repo) {
    const init = spawnSync('git', ['init', '--quiet'], { cwd: folder, encoding: 'utf8' });
    assert.equal(init.status, 0, `git init in ${folder}: ${init.stderr}`);
  }
  for (const [file, text] of Object.entries(options.files ?? {}))
    writeFileSync(path.join(folder, file), text);
  const cleanUps: Array<() => Promise<void> | void> = [
    () => rmSync(path.dirname(folder), { recursive: true, force: true }),
  ];
  const close = async (): Promise<void> => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  };
  try {
    const server = await startCodeServer({
      folder,
      vsixPath: vsix,
      otherVsixPaths: options.otherVsixPaths,
      trustWorkspace: options.trusted,
      logPath: path.join(
        outputDir,
        `${path.basename(screenshotPath(options.name), '.png')}.code-server.log`,
      ),
      userSettings: {
        'workbench.colorTheme': 'Default Dark Modern',
        // Edits stay unsaved unless a test saves: the product must work on unsaved buffers.
        'files.autoSave': 'off',
        ...options.userSettings,
      },
    });
    cleanUps.push(() => server.stop());
    const browser: LaunchedBrowser = await launchBrowser();
    cleanUps.push(() => browser.close());
    const workbench = new Workbench(browser.page);
    const started = Date.now();
    await browser.page.goto(server.folderUrl, { timeout: 60_000 });
    await workbench.root().waitFor({ state: 'visible', timeout: 60_000 });
    const workbenchMs = Date.now() - started;

    const screenshot = async (name: string): Promise<string> => {
      const file = screenshotPath(name);
      await browser.page.screenshot({ path: file });
      return file;
    };
    const expect = async <T>(
      name: string,
      expectation: string,
      check: () => Promise<T>,
    ): Promise<T> => {
      try {
        return await check();
      } catch (error) {
        const file = await screenshot(name);
        const reason = (error instanceof Error ? error.message : String(error))
          .split('\n')[0]
          ?.replace(/\.$/, '');
        assert.fail(
          `${expectation}, but ${reason}. Screenshot: ${file} (code-server log: ${server.logPath})`,
        );
      }
    };
    const expectVisible = (
      name: string,
      expectation: string,
      locator: Locator,
      timeout = 60_000,
    ): Promise<void> =>
      expect(name, expectation, () => locator.first().waitFor({ state: 'visible', timeout }));
    return { workbench, folder, server, workbenchMs, screenshot, expect, expectVisible, close };
  } catch (error) {
    await close();
    throw error;
  }
}
