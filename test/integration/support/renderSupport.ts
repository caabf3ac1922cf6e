/** Helpers of the render tests: the real tools, temporary workspaces, direct tool runs. */
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTools } from '../../../scripts/harness/toolchain';

export const RENDER_FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'render');
export const PODINFO = path.join(RENDER_FIXTURES, 'podinfo');
export const FLUX_EXAMPLE = path.join(RENDER_FIXTURES, 'flux2-kustomize-helm-example');

export interface Tools {
  helm: string;
  kustomize: string;
}

/** helm and kustomize built from the pinned Go modules (already cached on a prepared machine). */
export async function renderTools(): Promise<Tools> {
  const tools = await ensureTools(['helm', 'kustomize'], {
    onProgress: (progress) => console.log(progress.message),
  });
  return { helm: tools.helm, kustomize: tools.kustomize };
}

/**
 * The Flux oracle (tools/fluxbuild): Flux's own kustomization generator and build, for
 * differential tests only; the product never runs it.
 */
export async function fluxOracle(): Promise<string> {
  const tools = await ensureTools(['fluxbuild'], {
    onProgress: (progress) => console.log(progress.message),
  });
  return tools.fluxbuild;
}

/** Runs a tool directly (no shell) in a sealed home; resolves with stdout, rejects on failure. */
export async function runDirect(command: string, args: string[], cwd: string): Promise<string> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'render-test-home-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd,
        shell: false,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          KUBECONFIG: path.join(home, 'none'),
          HELM_CACHE_HOME: path.join(home, 'cache'),
          HELM_CONFIG_HOME: path.join(home, 'config'),
          HELM_DATA_HOME: path.join(home, 'data'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else
          reject(
            new Error(
              `${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8')}`,
            ),
          );
      });
    });
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

/** A temporary folder holding `workspace/` with the given files (relative path -> text). */
export async function tempWorkspace(
  files: Record<string, string>,
  copyFrom?: string,
): Promise<{ root: string; workspace: string }> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'render-test-')));
  const workspace = path.join(root, 'workspace');
  if (copyFrom) await fs.cp(copyFrom, workspace, { recursive: true });
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
  await fs.mkdir(workspace, { recursive: true });
  return { root, workspace };
}

/** Helm test pods get random name suffixes (`randAlphaNum 5`): the same for comparison. */
export function withoutRandomNames(yaml: string): string {
  return yaml.replace(/-test-[a-z0-9]{5}\b/g, '-test-xxxxx');
}

/** True while `pid` runs (an exited, unreaped process does not count on Linux). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A fake kustomize that never finishes: a Node script (no shell) that starts a grandchild which
 * sleeps too and writes both pids to `pids.json` next to itself before hanging.
 */
export async function hangingTool(dir: string): Promise<{ command: string; pidsFile: string }> {
  const command = path.join(dir, 'kustomize');
  const pidsFile = path.join(dir, 'pids.json');
  await fs.writeFile(
    command,
    [
      `#!${process.execPath}`,
      "const { spawn } = require('node:child_process');",
      "const { writeFileSync } = require('node:fs');",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      `writeFileSync(${JSON.stringify(pidsFile)}, JSON.stringify([process.pid, child.pid]));`,
      'setInterval(() => {}, 1000);',
      '',
    ].join('\n'),
  );
  await fs.chmod(command, 0o755);
  return { command, pidsFile };
}
