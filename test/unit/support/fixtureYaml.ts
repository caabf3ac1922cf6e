import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** The test fixtures' folder. */
export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

/** Every `.yaml` and `.yml` file under `root`, as absolute paths, sorted. */
export function yamlFilesUnder(root: string): string[] {
  const found: string[] = [];
  const pending = [root];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (/\.ya?ml$/i.test(entry.name)) found.push(full);
    }
  }
  return found.sort();
}
