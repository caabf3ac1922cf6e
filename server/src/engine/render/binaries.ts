/**
 * Finds helm and kustomize: the explicit path of a machine-scoped setting, then PATH, then the
 * project's tool cache. A missing binary is a typed error whose message says how to install it.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import type { ConfigHint } from '../configHint';
import type { RenderBinaries } from './types';
import { RenderFailure } from './types';

export type RenderTool = 'helm' | 'kustomize';

const INSTALL_HINT: Record<RenderTool, string> = {
  helm: 'install helm 3 (https://helm.sh/docs/intro/install/) and put it on PATH, run `npm run tools` in a clone of GitOps Workbench, or set the path to helm',
  kustomize:
    'install kustomize 5 (https://kubectl.docs.kubernetes.io/installation/kustomize/) and put it on PATH, run `npm run tools` in a clone of GitOps Workbench, or set the path to kustomize',
};

const PATH_HINT: Record<RenderTool, ConfigHint> = {
  helm: 'helmPath',
  kustomize: 'kustomizePath',
};

function executableName(tool: RenderTool): string {
  return process.platform === 'win32' ? `${tool}.exe` : tool;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    if (process.platform !== 'win32') await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(tool: RenderTool): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, executableName(tool));
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `<cacheDir>/tools/<tool>-<version>-<hash>/<tool>`, newest first by name; or `<cacheDir>/<tool>`. */
async function inCache(tool: RenderTool, cacheDir: string): Promise<string | undefined> {
  const toolsDir = path.join(cacheDir, 'tools');
  const entries = await fs.readdir(toolsDir).catch((): string[] => []);
  const builds = entries
    .filter((name) => name.startsWith(`${tool}-`))
    .sort()
    .reverse();
  for (const build of builds) {
    const candidate = path.join(toolsDir, build, executableName(tool));
    if (await isExecutable(candidate)) return candidate;
  }
  const direct = path.join(cacheDir, executableName(tool));
  return (await isExecutable(direct)) ? direct : undefined;
}

/** How long a binary found on PATH or in the tool cache is taken without searching again. */
const SEARCH_REUSE_MS = 2_000;

/**
 * The last binary found per tool, PATH and tool cache. A workspace renders hundreds of units in
 * a few seconds, and each search stats every folder of PATH: a binary found is reused for two
 * seconds while it is still an executable file. A binary installed meanwhile is found then.
 */
const lastFound = new Map<string, { readonly file: string; readonly at: number }>();

async function searched(
  tool: RenderTool,
  cacheDir: string | undefined,
): Promise<string | undefined> {
  const key = [tool, process.env.PATH ?? '', cacheDir ?? ''].join('\0');
  const last = lastFound.get(key);
  if (last && performance.now() - last.at < SEARCH_REUSE_MS && (await isExecutable(last.file))) {
    return last.file;
  }
  const found = (await onPath(tool)) ?? (cacheDir ? await inCache(tool, cacheDir) : undefined);
  if (found) lastFound.set(key, { file: found, at: performance.now() });
  else lastFound.delete(key);
  return found;
}

/** The executable to run for `tool`; throws RenderFailure('binaryMissing') with an install hint. */
export async function resolveBinary(tool: RenderTool, binaries: RenderBinaries): Promise<string> {
  const explicit = binaries[tool];
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new RenderFailure({
      reason: 'binaryMissing',
      message: `The ${tool} path "${explicit}" is not an executable file: clear it to use ${tool} from PATH, or correct the path to ${tool}.`,
      hint: PATH_HINT[tool],
    });
  }
  const found = await searched(tool, binaries.cacheDir);
  if (found) return found;
  throw new RenderFailure({
    reason: 'binaryMissing',
    message: `${tool} was not found on PATH or in the tool cache: ${INSTALL_HINT[tool]}.`,
    hint: PATH_HINT[tool],
  });
}

/** Identity of a binary for the render cache: path, size and modification time (no process run). */
export async function binaryIdentity(file: string): Promise<string> {
  const stat = await fs.stat(file);
  return `${file}:${stat.size}:${stat.mtimeMs}`;
}
