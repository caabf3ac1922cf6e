import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Writes `files` (paths relative to `root`, `/`-separated) under `root`, folders made. */
export function write(root: string, files: Record<string, string>): void {
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  }
}

/** Render settings of a workspace model that runs no tool. */
export const NO_TOOLS = {
  settings: (): { binaries: Record<string, never>; allowNetwork: boolean } => ({
    binaries: {},
    allowNetwork: false,
  }),
};
