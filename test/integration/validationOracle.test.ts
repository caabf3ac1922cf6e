import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { SchemaCatalog, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { MUTATIONS } from './oracle/mutations';
import { RawKube } from './support/rawKube';
import { BUNDLE_DIR } from '../unit/support/schemas';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'oracle');
const NAMESPACE = 'oracle';

interface OracleCase {
  readonly id: string;
  readonly text: string;
  /** Zero-based line our finding must be on when the server rejects the manifest. */
  readonly line: number | undefined;
}

async function cases(): Promise<OracleCase[]> {
  const bases = new Map<string, string>();
  for (const name of (await fs.readdir(FIXTURES)).filter((file) => file.endsWith('.yaml')).sort()) {
    bases.set(name.replace(/\.yaml$/, ''), await fs.readFile(path.join(FIXTURES, name), 'utf8'));
  }
  const all: OracleCase[] = [...bases].map(([id, text]) => ({
    id: `valid:${id}`,
    text,
    line: undefined,
  }));
  for (const mutation of MUTATIONS) {
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

/**
 * Mutations the server rejects that we report as a warning on purpose, with why: what a real
 * client sends, or a cluster's configuration, decides, and neither is known from the manifest.
 */
const WARNED_BY_DESIGN: Readonly<Record<string, string>> = {
  'duplicate-yaml-key':
    'the server rejects a repeated key only in a YAML body; kubectl, helm, kustomize, Flux and Argo CD send JSON that keeps the last value',
  'hpa-min-zero': 'allowed when the cluster turns on the HPAScaleToZero feature gate',
};

describe('validation oracle: our verdicts against a real kube-apiserver', () => {
  let plane: ControlPlane;
  let kube: RawKube;
  let registry: SchemaRegistry;

  before(async () => {
    plane = await startControlPlane({ withControllerManager: false, withKwok: false });
    kube = await RawKube.connect(plane.kubeconfigPath, plane.contexts.admin);
    const created = await kube.request(
      'POST',
      '/api/v1/namespaces',
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }),
    );
    assert.equal(created.status, 201, created.body);
    const minor = /^(\d+\.\d+)/.exec(plane.kubernetesVersion)?.[1] ?? '';
    registry = await new SchemaCatalog(BUNDLE_DIR).registry(minor);
  });

  after(async () => {
    await plane?.stop();
  });

  it('agrees with the server on every valid and mutated manifest, on the mutated line', async () => {
    const all = await cases();
    assert.ok(all.length >= 66, `at least 50 mutations and the valid bases (${all.length})`);
    const rows: string[] = [];
    const disagreements: string[] = [];
    for (const oracleCase of all) {
      const server = await kube.dryRunApply(oracleCase.text, NAMESPACE);
      const warned = Object.hasOwn(WARNED_BY_DESIGN, oracleCase.id);
      const errors = validateManifestText(oracleCase.text, { schemas: registry }).findings.filter(
        (f) => f.severity === 'error' || (warned && f.severity === 'warning'),
      );
      const ours =
        errors.length === 0
          ? 'accepted'
          : errors.map((f) => `${f.range.start.line + 1}: ${f.message}`).join(' | ');
      let verdict = 'agree';
      if (server.accepted && errors.length > 0) {
        verdict = 'DISAGREE (we reject what the server accepts)';
      } else if (!server.accepted && errors.length === 0) {
        verdict = 'DISAGREE (we accept what the server rejects)';
      } else if (
        !server.accepted &&
        oracleCase.line !== undefined &&
        !errors.some((f) => f.range.start.line === oracleCase.line)
      ) {
        verdict = `DISAGREE (no finding on line ${oracleCase.line + 1})`;
      }
      rows.push(
        `${verdict.padEnd(10)} ${oracleCase.id}\n    server: ${server.message.split('\n')[0]}\n    ours:   ${ours}`,
      );
      if (verdict !== 'agree') {
        disagreements.push(rows.at(-1) ?? '');
      }
    }
    const agreed = all.length - disagreements.length;
    process.stdout.write(
      `\nvalidation oracle: ${agreed}/${all.length} agree (${((agreed / all.length) * 100).toFixed(1)}%), ` +
        `${all.filter((c) => c.id.startsWith('valid:')).length} valid bases, ${MUTATIONS.length} mutations\n`,
    );
    if (process.env['ORACLE_VERBOSE']) {
      process.stdout.write(rows.join('\n') + '\n');
    }
    assert.deepEqual(disagreements, [], disagreements.join('\n'));
  });
});
