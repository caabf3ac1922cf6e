/**
 * Scratch folders a render leaves behind when its process is killed (a crashed or stopped
 * language server cannot remove them): removed at the next start once they are old enough that
 * no render can still be using them. Only our own: folders (never a link) named with the
 * render prefix, directly in the temporary folder, owned by this user.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SCRATCH_PREFIX = 'gitops-workbench-render-';

/** Older than this, no render can still be running in it (renders stop after minutes). */
const STALE_MS = 6 * 60 * 60 * 1000;

/** Removes stale scratch folders of ours from `dir`; how many. Never throws. */
export async function removeStaleScratch(
  dir: string = os.tmpdir(),
  now: number = Date.now(),
): Promise<number> {
  const names = await fs.readdir(dir).catch((): string[] => []);
  const uid = process.getuid?.();
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(SCRATCH_PREFIX)) continue;
    const folder = path.join(dir, name);
    const stat = await fs.lstat(folder).catch(() => undefined);
    if (!stat?.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
    if (now - stat.mtimeMs < STALE_MS) continue;
    try {
      await fs.rm(folder, { recursive: true, force: true, maxRetries: 3 });
      removed++;
    } catch {
      // Another process's, or in use on Windows: left for a later start.
    }
  }
  return removed;
}
