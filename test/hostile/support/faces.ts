/**
 * The faces a hostile repository is run through: the built CLI (`dist/cli.js`) as a process, and
 * the built language server (`dist/server.js`) through a test LSP client, each in the sandbox's
 * environment, under a hard time limit, with the peak memory of its process tree measured.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestLspClient } from '../../integration/support/lspClient';
import { branchImpact, renderedManifests } from '../../../server/src/protocol';
import type { BranchImpactParams, BranchImpactResult } from '../../../server/src/protocol';
import { PeakMemory } from './processWatch';
import type { Peak } from './processWatch';
import type { Sandbox } from './sandbox';

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Longer than any limit of the product (30 s per tool run): past it, the face hung. */
export const HARD_LIMIT_MS = 120_000;

/**
 * The memory limit every face is given for each helm or kustomize process (the product's
 * default is 1024 MB; a lower one keeps three attacks at once within a CI runner's memory).
 */
export const TOOL_MEMORY_LIMIT_MB = 512;

export interface FaceRun extends Peak {
  /** What was run, for messages: `check .`, `language server (trusted)`... */
  readonly face: string;
  readonly code: number | null;
  readonly signal: string | null;
  /** Everything a user or a log reader could see. */
  readonly output: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface LanguageServerRun extends FaceRun {
  /** The answer to the `branchImpact` request, when one was asked and answered. */
  readonly impact?: BranchImpactResult;
}

/**
 * Where a face's temporary folders go: beside the hostile repositories, at their depth, so a
 * `../../outside` of the repository reaches the sandbox's canary files from a snapshot of a
 * commit (the branch impact's) as it does from the repository.
 */
export function besideRepos(sandbox: Sandbox): NodeJS.ProcessEnv {
  return { TMPDIR: sandbox.repos, TMP: sandbox.repos, TEMP: sandbox.repos };
}

export interface Binaries {
  readonly helm: string;
  readonly kustomize: string;
}

/**
 * Runs `gitops-workbench <args>` in `cwd` and collects stdout and stderr (`env` is added to the
 * sandbox's environment).
 */
export async function runCli(
  sandbox: Sandbox,
  cwd: string,
  args: readonly string[],
  binaries: Binaries,
  env: NodeJS.ProcessEnv = {},
): Promise<FaceRun> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      CLI,
      ...args,
      '--helm',
      binaries.helm,
      '--kustomize',
      binaries.kustomize,
      '--memory-limit',
      String(TOOL_MEMORY_LIMIT_MB),
    ],
    {
      cwd,
      env: { ...sandbox.env, GITOPS_WORKBENCH_CACHE: sandbox.emptyCache, ...env },
      shell: false,
    },
  );
  const memory = new PeakMemory(child.pid);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, HARD_LIMIT_MS);
  let peak: Peak | undefined;
  child.once('exit', () => {
    peak = memory.stop();
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearTimeout(timer);
  return {
    face: `gitops-workbench ${args.join(' ')}`,
    code,
    signal,
    output: Buffer.concat(chunks).toString('utf8'),
    ms: Date.now() - started,
    ...(peak ?? memory.stop()),
    timedOut,
  };
}

const MAX_OPENED_BYTES = 2 * 1024 * 1024;

/** The repository's YAML files an editor user could open (not under .git, at most 2 MB). */
async function openableFiles(repo: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(repo, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    if (path.relative(repo, file).split(path.sep).includes('.git')) continue;
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && stat.size <= MAX_OPENED_BYTES) found.push(file);
  }
  return found.sort().slice(0, 40);
}

/** Resolves once the server has sent no diagnostics refresh for `quietMs` (at most `maxMs`). */
async function settle(client: TestLspClient, quietMs: number, maxMs: number): Promise<void> {
  const started = Date.now();
  let seen = client.refreshRequests;
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (client.refreshRequests !== seen) {
      seen = client.refreshRequests;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return;
    }
  }
}

/**
 * Opens the repository in the language server as an editor would: every YAML file opened, the
 * diagnostics pulled after the background renders settle, the rendered preview of each file;
 * then, when `impact` is given, "Preview Branch Impact" of those two commits.
 */
export async function runLanguageServer(
  sandbox: Sandbox,
  repo: string,
  trusted: boolean,
  binaries: Binaries,
  impact?: BranchImpactParams,
): Promise<LanguageServerRun> {
  const started = Date.now();
  const settings = {
    validation: { enable: true },
    render: { memoryLimitMB: TOOL_MEMORY_LIMIT_MB },
    ...(trusted ? { helmPath: binaries.helm, kustomizePath: binaries.kustomize } : {}),
  };
  const client = await TestLspClient.start({ trusted }, repo, settings, {
    ...sandbox.env,
    ...besideRepos(sandbox),
    GITOPS_WORKBENCH_CACHE: sandbox.emptyCache,
  });
  const memory = new PeakMemory(client.pid);
  const seen: string[] = [];
  let impactResult: BranchImpactResult | undefined;
  let timedOut = false;
  const work = async (): Promise<void> => {
    const files = await openableFiles(repo);
    for (const file of files) {
      await client.open(pathToFileURL(file).href, await fs.readFile(file, 'utf8'));
    }
    for (const file of files) {
      seen.push(JSON.stringify(await client.diagnostics(pathToFileURL(file).href)));
    }
    await settle(client, 1500, 60_000);
    for (const file of files) {
      const uri = pathToFileURL(file).href;
      seen.push(JSON.stringify(await client.diagnostics(uri)));
      seen.push(JSON.stringify(await client.connection.sendRequest(renderedManifests, { uri })));
    }
    if (impact) {
      impactResult = await client.connection.sendRequest(branchImpact, {
        uri: pathToFileURL(repo).href,
        ...impact,
      });
      seen.push(JSON.stringify(impactResult));
    }
  };
  let failure = '';
  await Promise.race([
    work().catch((error: unknown) => {
      failure = `the language server failed: ${String(error)}`;
    }),
    new Promise<void>((resolve) =>
      setTimeout(() => {
        timedOut = true;
        resolve();
      }, HARD_LIMIT_MS),
    ),
  ]);
  const peak = memory.stop();
  const code = await client.stop();
  return {
    face: `language server (${trusted ? 'trusted' : 'untrusted'})`,
    code: failure ? 2 : code,
    signal: null,
    output: [failure, ...seen, ...client.messages, client.stderr].join('\n'),
    ms: Date.now() - started,
    ...peak,
    timedOut,
    ...(impactResult ? { impact: impactResult } : {}),
  };
}
