import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CEL_MUTATIONS } from './celMutations';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
const CRDS = path.join(FIXTURES, 'crds');

export type Channel = 'standard' | 'experimental';

export interface OracleCase {
  readonly id: string;
  readonly text: string;
  /** Zero-based line our finding must be on when the server rejects the manifest. */
  readonly line: number | undefined;
}

/** The CRD files of a channel, with ours and network-policy-api's beside Gateway API's. */
export async function crdFiles(channel: Channel): Promise<string[]> {
  const gateway = path.join(CRDS, 'gateway-api', channel);
  const policy = path.join(CRDS, 'network-policy-api');
  return [
    ...(await fs.readdir(gateway)).map((name) => path.join(gateway, name)),
    ...(await fs.readdir(policy)).map((name) => path.join(policy, name)),
    path.join(CRDS, 'cel-coverage-crd.yaml'),
  ].filter((file) => file.endsWith('.yaml'));
}

export async function celOracleCases(channel: Channel): Promise<OracleCase[]> {
  const dir = path.join(FIXTURES, 'cel', channel);
  const bases = new Map<string, string>();
  for (const name of (await fs.readdir(dir)).filter((file) => file.endsWith('.yaml')).sort()) {
    bases.set(
      `${channel}/${name.replace(/\.yaml$/, '')}`,
      await fs.readFile(path.join(dir, name), 'utf8'),
    );
  }
  const all: OracleCase[] = [...bases].map(([id, text]) => ({
    id: `valid:${id}`,
    text,
    line: undefined,
  }));
  for (const mutation of CEL_MUTATIONS.filter((candidate) =>
    candidate.base.startsWith(`${channel}/`),
  )) {
    let text = bases.get(mutation.base);
    assert.ok(text !== undefined, `mutation ${mutation.id}: no base ${mutation.base}`);
    for (const [from, to] of mutation.edits) {
      assert.ok(
        text.includes(from),
        `mutation ${mutation.id}: "${from}" is not in ${mutation.base}.yaml`,
      );
      text = text.replace(from, to);
    }
    const marker = text.indexOf('⟦');
    all.push({
      id: mutation.id,
      text: text.replace('⟦', ''),
      line: marker === -1 ? undefined : text.slice(0, marker).split('\n').length - 1,
    });
  }
  return all;
}
