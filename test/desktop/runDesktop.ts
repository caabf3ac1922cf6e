// `npm run test:desktop`: the extension in desktop VS Code 1.100 (downloaded by @vscode/test-electron),
// checked from inside its extension host by test/desktop/suite. Needs internet; not part of `npm test`.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { cacheDir, logsDir } from '../../scripts/harness/codeServer';
import { npmInvocation, onPath, runLogged } from '../../scripts/harness/systemPackages';

const vscodeVersion = '1.100.3';
const repoRoot = path.resolve(__dirname, '..', '..');

class DesktopTierError extends Error {
  override readonly name = 'DesktopTierError';
}

async function downloadVSCode(): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({
      version: vscodeVersion,
      cachePath: path.join(cacheDir(), 'vscode-test'),
      timeout: 20_000,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DesktopTierError(
      `Desktop VS Code ${vscodeVersion} could not be downloaded (${reason}). ` +
        'The desktop tier (npm run test:desktop) needs internet access to download VS Code; ' +
        'offline, the end-to-end tier (npm run test:e2e) drives VS Code through code-server instead.',
    );
  }
}

/** Builds dist/ (the extension and its server) and bundles the in-editor suite to out/desktop/. */
async function buildExtensionAndSuite(): Promise<string> {
  const npm = npmInvocation();
  await runLogged(npm.command, [...npm.prefixArgs, 'run', 'bundle'], {
    step: 'npm run bundle',
    cwd: repoRoot,
    logPath: path.join(logsDir(), 'desktop-build.log'),
    timeoutMs: 5 * 60_000,
  });
  const outfile = path.join(repoRoot, 'out', 'desktop', 'suite.js');
  await build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

/** Desktop VS Code on Linux needs a display: Xvfb when there is none. */
function ensureDisplay(): ChildProcess | undefined {
  if (process.platform !== 'linux' || process.env['DISPLAY']) return undefined;
  if (!onPath('Xvfb')) {
    throw new DesktopTierError(
      'No display: set DISPLAY, or install Xvfb (sudo apt-get install -y xvfb).',
    );
  }
  const display = `:${90 + (process.pid % 9)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  process.env['DISPLAY'] = display;
  return xvfb;
}

async function main(): Promise<number> {
  const started = Date.now();
  const vscodeExecutablePath = await downloadVSCode();
  const suite = await buildExtensionAndSuite();
  const temp = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-desktop-'));
  const folder = path.join(temp, 'folder');
  mkdirSync(folder);
  const xvfb = ensureDisplay();
  try {
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [
        folder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        path.join(temp, 'user-data'),
      ],
    });
    console.log(`desktop tier finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    xvfb?.kill();
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`test:desktop: ${message}`);
    process.exitCode = 1;
  },
);
