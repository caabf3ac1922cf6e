/**
 * Loads a bundled CommonJS file through V8's code cache, so a command line run does not parse
 * and compile the same two megabytes of JavaScript every time it starts (a quarter of a `check`
 * of 2 MB of YAML went there). Node 22.1+ does this itself (`module.enableCompileCache`); Node 20
 * gets the same from `vm.Script`'s `cachedData`.
 *
 * The cache lives in the user's cache folder (`defaultToolCacheDir()/v8`), never in a repository:
 * nothing a repository holds chooses what is loaded. Each entry is named by a SHA-256 of the
 * bundle's bytes and the Node version (V8 itself only checks the source's length), written whole
 * under a temporary name and renamed. Any failure (no home folder, a read-only disk, data V8
 * rejects) falls back to a plain load: the cache can only make a start faster.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { bytesText } from './engine/files/bytesText';

type ModuleInternals = typeof Module & {
  wrap(source: string): string;
  enableCompileCache?: (dir: string) => unknown;
};

export interface CompileCacheLoad {
  /** Whether V8 used cached code (false on the first run of a bundle, or without a cache). */
  readonly cached: boolean;
}

/** Runs `file` (a CommonJS bundle) as the main module, from V8's code cache in `cacheDir`. */
export function loadWithCompileCache(file: string, cacheDir: string): CompileCacheLoad {
  const internals = Module as ModuleInternals;
  if (typeof internals.enableCompileCache === 'function') {
    try {
      internals.enableCompileCache(cacheDir);
    } catch {
      // No cache: a plain load.
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    return { cached: false };
  }
  const bytes = fs.readFileSync(file);
  // The bundles are ASCII (scripts/bundle.ts escapes the rest), read a byte per character.
  let source = bytesText(bytes);
  // A shebang line is not JavaScript inside the module wrapper; a comment keeps the columns.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const key = createHash('sha256')
    .update(`${process.version}\0${process.arch}\0`)
    .update(bytes)
    .digest('hex')
    .slice(0, 32);
  const entry = path.join(cacheDir, `${path.basename(file, '.js')}-${key}.bin`);
  const cachedData = readEntry(entry);
  const script = new vm.Script(internals.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  if (!cached) {
    // Written at exit, so the functions the run compiled are in it too.
    process.once('exit', () => writeEntry(cacheDir, entry, () => script.createCachedData()));
  }
  // The bundle requires only Node's own modules: `createRequire` resolves as its own require.
  const mainModule = new Module(file);
  mainModule.filename = file;
  process.argv[1] = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(
    mainModule.exports,
    mainModule.exports,
    createRequire(file),
    mainModule,
    file,
    path.dirname(file),
  );
  return { cached };
}

function readEntry(entry: string): Buffer | undefined {
  try {
    return fs.readFileSync(entry);
  } catch {
    return undefined;
  }
}

/** Writes the cache entry whole (temporary name, then rename) and drops older ones of the file. */
function writeEntry(cacheDir: string, entry: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const prefix = `${path.basename(entry).replace(/-[0-9a-f]+\.bin$/, '')}-`;
    for (const name of fs.readdirSync(cacheDir)) {
      // Older entries only: another process's file being written (`.tmp`) is left alone.
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(entry)) {
        fs.rmSync(path.join(cacheDir, name), { force: true });
      }
    }
    const temporary = `${entry}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data(), { mode: 0o600 });
    fs.renameSync(temporary, entry);
  } catch {
    // A cache that cannot be written costs the next start its compile, nothing more.
  }
}
