import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where the schema bundles are: `dist/schemas` next to the bundled server and CLI, or the source
 * folder when run from source (tests, tsx).
 */
export function schemaBundleDir(): string {
  const bundled = path.join(__dirname, 'schemas');
  return existsSync(bundled) ? bundled : path.join(__dirname, 'engine', 'schemas', 'bundled');
}
