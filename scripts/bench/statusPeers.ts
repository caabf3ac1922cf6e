/**
 * The peers of `npm run bench:status`, timed whole (process start to exit): what a user runs
 * without GitOps Workbench to see the same drift.
 *   - `kustomize build <app> | kubectl diff --server-side -f -`: render and compare, the same
 *     work as a cold status (the target's yardstick);
 *   - `kubectl diff --server-side -f <rendered YAML>`: the comparison alone, handed the YAML.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { ControlPlane } from '../harness/controlPlane';
import { toolPath } from '../harness/toolchain';

/** Bound for one peer command. */
const LIMIT_MS = 120_000;

export interface PeerRun {
  readonly ms: number;
  /** kubectl diff exited 1: it found a difference (shown in the bench's notes). */
  readonly differs: boolean;
  readonly output: string;
}

function kubectlDiffArgs(plane: ControlPlane, file: string): string[] {
  return [
    `--kubeconfig=${plane.kubeconfigPath}`,
    `--context=${plane.contexts.admin}`,
    'diff',
    '--server-side',
    '--field-manager=gitops-workbench',
    '--force-conflicts',
    '-f',
    file,
  ];
}

function exited(child: ChildProcess, what: string): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  return new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`${what} did not start: ${error.message}`)));
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
}

function collected(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return () => output;
}

/** kubectl diff's environment: its own diff program, not one the caller configured. */
function kubectlEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KUBECTL_EXTERNAL_DIFF;
  return env;
}

function outcome(code: number | null, ms: number, output: string, what: string): PeerRun {
  if (code !== 0 && code !== 1) {
    throw new Error(`${what} exited with ${String(code)}: ${output.slice(0, 2000)}`);
  }
  return { ms, differs: code === 1, output };
}

/** `kubectl diff --server-side -f <file>`: process start, discovery, a dry-run per object. */
export async function kubectlDiff(plane: ControlPlane, file: string): Promise<PeerRun> {
  const started = performance.now();
  const child = spawn(toolPath('kubectl'), kubectlDiffArgs(plane, file), {
    env: kubectlEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  const output = collected(child);
  const code = await exited(child, 'kubectl diff');
  return outcome(code, performance.now() - started, output(), 'kubectl diff');
}

/** `kustomize build <appDir> | kubectl diff --server-side -f -`, both processes timed whole. */
export async function pipelineDiff(plane: ControlPlane, appDir: string): Promise<PeerRun> {
  const started = performance.now();
  const build = spawn(toolPath('kustomize'), ['build', appDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  const diff = spawn(toolPath('kubectl'), kubectlDiffArgs(plane, '-'), {
    env: kubectlEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: false,
  });
  if (!build.stdout || !diff.stdin) throw new Error('the pipeline has no pipes');
  build.stdout.pipe(diff.stdin);
  let buildErrors = '';
  build.stderr?.on('data', (chunk: Buffer) => (buildErrors += chunk.toString('utf8')));
  const output = collected(diff);
  const [built, code] = await Promise.all([
    exited(build, 'kustomize build'),
    exited(diff, 'kubectl diff'),
  ]);
  const ms = performance.now() - started;
  if (built !== 0) {
    throw new Error(`kustomize build exited with ${String(built)}: ${buildErrors.slice(0, 2000)}`);
  }
  return outcome(code, ms, output(), 'kustomize build | kubectl diff');
}
