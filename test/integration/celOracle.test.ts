import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { SchemaCatalog, crdsInText, validateManifestText } from '../../server/src/engine';
import type { Finding, SchemaRegistry } from '../../server/src/engine';
import { celOracleCases, crdFiles, FIXTURES } from './oracle/celCases';
import type { Channel } from './oracle/celCases';
import { installCrds } from './support/installCrds';
import { RawKube } from './support/rawKube';
import { BUNDLE_DIR } from '../unit/support/schemas';

const NAMESPACE = 'cel-oracle';
const CEL_CODES = new Set(['cel-rule', 'cel-error']);

/** What a finding of ours says, as the oracle prints it. */
const describeFinding = (finding: Finding): string =>
  `${finding.range.start.line + 1}: [${finding.code}] ${finding.message}`;

/** Our CEL finding as the server words it: "<field>: <type of error>: <detail>". */
function inServerMessage(finding: Finding, serverMessage: string): boolean {
  const field = finding.fieldPath ?? '';
  const detail = field === '' ? finding.message : finding.message.slice(field.length + 2);
  const fieldShown = field === '' ? '<nil>: ' : `${field}: `;
  return serverMessage.includes(fieldShown) && serverMessage.includes(detail);
}

describe('CEL oracle: x-kubernetes-validations verdicts against a real kube-apiserver', () => {
  let plane: ControlPlane;
  let kube: RawKube;
  let catalog: SchemaCatalog;
  let registry: SchemaRegistry;
  const rows: string[] = [];
  const disagreements: string[] = [];
  let total = 0;

  before(async () => {
    plane = await startControlPlane({ withControllerManager: false, withKwok: false });
    kube = await RawKube.connect(plane.kubeconfigPath, plane.contexts.admin);
    const created = await kube.request(
      'POST',
      '/api/v1/namespaces',
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }),
    );
    assert.equal(created.status, 201, created.body);
    catalog = new SchemaCatalog(BUNDLE_DIR);
    const minor = /^(\d+\.\d+)/.exec(plane.kubernetesVersion)?.[1] ?? '';
    registry = await catalog.registry(minor);
  });

  after(async () => {
    await plane?.stop();
  });

  async function useChannel(channel: Channel): Promise<void> {
    const files = await crdFiles(channel);
    await installCrds(kube, files);
    for (const [file] of [...catalog.workspaceCrds.entries()]) {
      registry.setWorkspaceCrds(file, []);
    }
    for (const file of files) {
      registry.setWorkspaceCrds(file, crdsInText(await fs.readFile(file, 'utf8')));
    }
    if (channel === 'experimental') {
      // The API server takes the new schema of a replaced CRD a moment after the update: wait
      // until an object that only the experimental schema allows is accepted.
      const probe = await fs.readFile(
        path.join(FIXTURES, 'cel', 'experimental', 'httproute-experimental.yaml'),
        'utf8',
      );
      const deadline = Date.now() + 60_000;
      while (!(await kube.dryRunApply(probe, NAMESPACE)).accepted) {
        assert.ok(
          Date.now() < deadline,
          'the experimental HTTPRoute schema was not served within 60 s',
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  async function judge(channel: Channel): Promise<void> {
    for (const oracleCase of await celOracleCases(channel)) {
      total++;
      const server = await kube.dryRunApply(oracleCase.text, NAMESPACE);
      const errors = validateManifestText(oracleCase.text, { schemas: registry }).findings.filter(
        (finding) => finding.severity === 'error',
      );
      const cel = errors.filter((finding) => CEL_CODES.has(finding.code));
      let verdict = 'agree';
      if (server.accepted && errors.length > 0) {
        verdict = 'DISAGREE (we reject what the server accepts)';
      } else if (!server.accepted && errors.length === 0) {
        verdict = 'DISAGREE (we accept what the server rejects)';
      } else if (
        !server.accepted &&
        oracleCase.line !== undefined &&
        !errors.some((finding) => finding.range.start.line === oracleCase.line)
      ) {
        verdict = `DISAGREE (no finding on line ${oracleCase.line + 1})`;
      } else if (!server.accepted && server.message.includes(' is invalid: ') && cel.length === 0) {
        verdict = 'DISAGREE (the server rejects it, but no CEL rule of ours does)';
      } else if (cel.some((finding) => !inServerMessage(finding, server.message))) {
        verdict = "DISAGREE (our rule message or field is not the server's)";
      }
      const row =
        `${verdict.padEnd(10)} ${channel}:${oracleCase.id}\n    server: ${server.message.split('\n')[0]}\n` +
        `    ours:   ${errors.length === 0 ? 'accepted' : errors.map(describeFinding).join(' | ')}`;
      rows.push(row);
      if (verdict !== 'agree') disagreements.push(row);
    }
  }

  it('agrees on the standard channel, the bundled Flux and Argo CD CRDs, network-policy-api and ours', async () => {
    await useChannel('standard');
    await judge('standard');
  });

  it('agrees on the experimental channel, installed over the standard one', async () => {
    await useChannel('experimental');
    await judge('experimental');
  });

  it('agrees on every case, with the rule message on the rule field', () => {
    const valid = rows.filter((row) => row.includes(':valid:')).length;
    const mutations = total - valid;
    const breaking = rows.filter(
      (row) => !row.includes(':valid:') && !row.includes('server: accepted'),
    ).length;
    process.stdout.write(
      `\nCEL oracle: ${total - disagreements.length}/${total} agree, ${valid} valid objects, ${mutations} mutations (${breaking} that break a rule)\n`,
    );
    if (process.env['ORACLE_VERBOSE']) process.stdout.write(rows.join('\n') + '\n');
    assert.ok(valid >= 20, `at least 20 valid objects (${valid})`);
    assert.ok(breaking >= 50, `at least 50 mutations that break a rule (${breaking})`);
    assert.deepEqual(disagreements, [], disagreements.join('\n'));
  });
});
