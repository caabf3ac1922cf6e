import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SchemaCatalog } from '../../../server/src/engine';
import type { SchemaRegistry } from '../../../server/src/engine';

/** The schema bundles shipped with the server, as the tests read them from source. */
export const BUNDLE_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'server',
  'src',
  'engine',
  'schemas',
  'bundled',
);

let catalog: SchemaCatalog | undefined;

/** The registry of the newest bundled Kubernetes version, shared by a test file's tests. */
export async function bundledRegistry(): Promise<SchemaRegistry> {
  catalog ??= new SchemaCatalog(BUNDLE_DIR);
  const version = await catalog.defaultVersion();
  if (!version) {
    throw new Error(`no Kubernetes schema bundle in ${BUNDLE_DIR}: run "npm run schemas:generate"`);
  }
  return catalog.registry(version);
}

/** The Widget CRD of test/fixtures/crds (example.com/v1, spec.size: integer >= 1, required). */
export const WIDGET_CRD = readFileSync(
  path.resolve(__dirname, '..', '..', 'fixtures', 'crds', 'widget-crd.yaml'),
  'utf8',
);
