// Debian's Chromium driven by playwright-core (which downloads no browser of its own), headless,
// with a fresh profile that is deleted on close.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { logsDir } from './codeServer';
import { HarnessError, chromiumPackages, ensureSystemPackages } from './systemPackages';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchBrowserOptions {
  headless?: boolean;
  viewport?: { width: number; height: number };
  signal?: AbortSignal;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

const profiles = new Set<string>();

/** Profiles of browsers this process did not close are deleted when it exits. */
function removeProfilesOnExit(userDataDir: string): void {
  if (profiles.size === 0) {
    process.once('exit', () => {
      for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
    });
  }
  profiles.add(userDataDir);
}

export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  await ensureSystemPackages(chromiumPackages, {
    logPath: path.join(logsDir(), 'chromium-install.log'),
    signal: options.signal,
  });
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-chromium-'));
  removeProfilesOnExit(userDataDir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      args: [...chromiumArgs],
      headless: options.headless ?? true,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new HarnessError('stepFailed', `Chromium (${chromiumPath}) did not start: ${message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  return {
    context,
    page,
    close: (): Promise<void> =>
      (closed ??= context
        .close()
        .finally(() => rmSync(userDataDir, { recursive: true, force: true }))),
  };
}
