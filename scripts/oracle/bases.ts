import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

/** Folders of valid manifests the generator mutates: ours, and the CEL oracle's custom resources. */
export const BASE_FOLDERS: readonly string[] = [
  path.join(FIXTURES, 'differential'),
  path.join(FIXTURES, 'cel', 'standard'),
];

/** A valid manifest the API server accepts as it is. */
export interface OracleBase {
  /** File name without .yaml, e.g. "deployment" or "cel/httproute". */
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: Record<string, unknown>;
}

export async function loadBases(): Promise<OracleBase[]> {
  const bases: OracleBase[] = [];
  for (const folder of BASE_FOLDERS) {
    const prefix = folder.endsWith('differential') ? '' : 'cel/';
    const names = (await fs.readdir(folder)).filter((name) => name.endsWith('.yaml')).sort();
    for (const name of names) {
      const object = parse(await fs.readFile(path.join(folder, name), 'utf8')) as Record<
        string,
        unknown
      >;
      const { apiVersion, kind } = object;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
        throw new Error(`${path.join(folder, name)} has no apiVersion or kind`);
      }
      bases.push({ id: `${prefix}${name.replace(/\.yaml$/, '')}`, apiVersion, kind, object });
    }
  }
  return bases;
}
