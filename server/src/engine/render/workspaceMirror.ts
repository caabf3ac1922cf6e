/**
 * Copies the files a unit needs into a temporary folder with the same layout relative to the
 * workspace root, unsaved editor buffers taking the place of the saved files, so a render follows
 * typing without touching the disk.
 */
import { createHash } from 'node:crypto';
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SourceReader } from './sourceReader';
import { refused } from './types';
import { resolveInside, workspaceRelative } from './workspacePaths';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);
const MAX_MIRROR_BYTES = 256 * 1024 * 1024;

/** The contents of a unit's inputs, keyed by path relative to the workspace root (`/`-separated). */
export type MirrorFiles = Map<string, Buffer>;

/** Reads `files` and every file under `folders` (recursively) through `reader`. */
export async function collectMirrorFiles(
  workspaceRoot: string,
  reader: SourceReader,
  files: Iterable<string>,
  folders: Iterable<string> = [],
  signal?: AbortSignal,
): Promise<MirrorFiles> {
  const wanted = new Set<string>();
  for (const file of files) wanted.add(path.resolve(file));
  const listed = new Set<string>();
  for (const folder of folders) {
    await listFolder(reader, path.resolve(folder), wanted, listed, signal);
  }
  const mirror: MirrorFiles = new Map();
  let total = 0;
  for (const file of [...wanted].sort()) {
    signal?.throwIfAborted();
    resolveInside(workspaceRoot, workspaceRoot, file, 'file', file);
    const bytes = await reader.readBytes(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (!bytes) continue;
    total += bytes.length;
    if (total > MAX_MIRROR_BYTES) {
      throw refused(
        `The unit reads more than ${MAX_MIRROR_BYTES / 1024 / 1024} MB of files, so it was not rendered: split it into smaller units.`,
        file,
      );
    }
    mirror.set(workspaceRelative(workspaceRoot, file), bytes);
  }
  return mirror;
}

/**
 * Adds every file under `folder`. Folders are followed through symbolic links once each (by real
 * path), so links that loop end; the workspace check refuses what a link takes outside.
 */
async function listFolder(
  reader: SourceReader,
  folder: string,
  into: Set<string>,
  listed: Set<string>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const real = await fs.realpath(folder).catch(() => folder);
  if (listed.has(real)) return;
  listed.add(real);
  for (const name of await reader.filesIn(folder)) into.add(path.join(folder, name));
  for (const name of await reader.foldersIn(folder)) {
    if (!SKIPPED_FOLDERS.has(name)) {
      await listFolder(reader, path.join(folder, name), into, listed, signal);
    }
  }
}

/** Adds a generated file (a wrapper kustomization, merged values) at a workspace-relative path. */
export function addGenerated(mirror: MirrorFiles, relativePath: string, text: string): void {
  mirror.set(relativePath, Buffer.from(text, 'utf8'));
}

/** A hash of every path and content of the mirror. */
export function hashMirror(mirror: MirrorFiles): string {
  const hash = createHash('sha256');
  for (const [file, bytes] of [...mirror.entries()].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    hash.update(file).update('\0').update(String(bytes.length)).update('\0').update(bytes);
  }
  return hash.digest('hex');
}

/**
 * Whether a mirror is small enough to write (and remove) with synchronous calls: on a mirror of a
 * dozen files they cost a quarter of the CPU of promise-based ones (about 1 ms against 4 per
 * unit of a monorepo), and block the event loop for well under a millisecond.
 */
export function isSmallMirror(mirror: MirrorFiles): boolean {
  if (mirror.size > SMALL_MIRROR_FILES) return false;
  let bytes = 0;
  for (const content of mirror.values()) bytes += content.length;
  return bytes <= SMALL_MIRROR_BYTES;
}

const SMALL_MIRROR_FILES = 64;
const SMALL_MIRROR_BYTES = 1024 * 1024;

/** Writes the mirror under `tempRoot`: each folder made once, the files written side by side. */
export async function writeMirror(mirror: MirrorFiles, tempRoot: string): Promise<void> {
  const targets = [...mirror].map(
    ([relative, bytes]) => [path.join(tempRoot, ...relative.split('/')), bytes] as const,
  );
  const folders = [...new Set(targets.map(([target]) => path.dirname(target)))].sort();
  if (isSmallMirror(mirror)) {
    for (const folder of folders) mkdirSync(folder, { recursive: true });
    for (const [target, bytes] of targets) writeFileSync(target, bytes);
    return;
  }
  // Parents before children: each `mkdir` then makes one folder (or finds it made).
  for (const folder of folders) await fs.mkdir(folder, { recursive: true });
  for (let next = 0; next < targets.length; next += MIRROR_WRITES) {
    await Promise.all(
      targets
        .slice(next, next + MIRROR_WRITES)
        .map(([target, bytes]) => fs.writeFile(target, bytes)),
    );
  }
}

/** Files of a mirror written at once. */
const MIRROR_WRITES = 8;
