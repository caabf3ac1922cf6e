/**
 * The one way the engine reads a file of a repository: only regular files (a named pipe would
 * block the reader forever, a device would never end), and never more than a size limit, so a
 * hostile repository can neither hang nor exhaust the process that reads it.
 */
import { constants, promises as fs } from 'node:fs';

/** Larger than any manifest, values file or chart archive a repository holds in practice. */
export const MAX_REPO_FILE_BYTES = 64 * 1024 * 1024;

export type RepoFileErrorReason = 'notAFile' | 'tooLarge';

export class RepoFileError extends Error {
  constructor(
    readonly reason: RepoFileErrorReason,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'RepoFileError';
  }
}

/** Opening a FIFO without O_NONBLOCK waits for a writer; the flag does not exist on Windows. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The bytes of `file`; rejects a non-regular file or one over `maxBytes` with a RepoFileError. */
export async function readRepoBytes(
  file: string,
  maxBytes: number = MAX_REPO_FILE_BYTES,
): Promise<Buffer> {
  const handle = await fs.open(file, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: ${file} is a directory`), { code: 'EISDIR' });
    }
    if (!stat.isFile()) {
      throw new RepoFileError(
        'notAFile',
        file,
        `${file} is not a regular file (a pipe, socket or device), so it was not read: replace it with a file.`,
      );
    }
    if (stat.size > maxBytes) {
      throw new RepoFileError(
        'tooLarge',
        file,
        `${file} is ${megabytes(stat.size)} MB, over the ${megabytes(maxBytes)} MB a file may have, so it was not read: split it into smaller files.`,
      );
    }
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) {
      throw new RepoFileError(
        'tooLarge',
        file,
        `${file} grew past ${megabytes(maxBytes)} MB while it was read, so it was not read: split it into smaller files.`,
      );
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The UTF-8 text of `file`, under the same rules as `readRepoBytes`. */
export async function readRepoText(
  file: string,
  maxBytes: number = MAX_REPO_FILE_BYTES,
): Promise<string> {
  return (await readRepoBytes(file, maxBytes)).toString('utf8');
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
