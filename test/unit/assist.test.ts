import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { completeAt, definitionAt, hoverAt, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { bundledRegistry } from './support/schemas';

/** Splits a text at its `|` cursor marker. */
function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at).split('\n');
  return {
    text: marked.slice(0, at) + marked.slice(at + 1),
    position: { line: before.length - 1, character: (before.at(-1) ?? '').length },
  };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          imagePullPolicy: Always
`;

describe('hover and completion from the schemas', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('hovers a field with its type, whether it is required, and its documentation', () => {
    const { text, position } = cursor(DEPLOYMENT.replace('  replicas', '  repl|icas'));
    const hover = hoverAt(text, position, registry);
    assert.ok(hover);
    assert.match(hover.markdown, /^\*\*replicas\*\* · `integer \(int32\)` · optional/);
    assert.match(hover.markdown, /`Deployment\.spec\.replicas`/);
    assert.match(hover.markdown, /Number of desired pods/);
    assert.deepEqual(hover.range, {
      start: { line: 5, character: 2 },
      end: { line: 5, character: 10 },
    });
  });

  it('hovers a required field inside a list item', () => {
    const { text, position } = cursor(DEPLOYMENT.replace('- name: web', '- na|me: web'));
    const hover = hoverAt(text, position, registry);
    assert.match(hover?.markdown ?? '', /^\*\*name\*\* · `string` · required/);
    assert.match(hover?.markdown ?? '', /spec\.template\.spec\.containers\[0\]\.name/);
  });

  it('hovers the kind with the schema it came from', () => {
    const { text, position } = cursor(DEPLOYMENT.replace('kind: Deployment', 'kind: Deploy|ment'));
    assert.match(
      hoverAt(text, position, registry)?.markdown ?? '',
      /^\*\*Deployment\*\* \(apps\/v1\) · schema from Kubernetes 1\.34/,
    );
  });

  it('completes the missing keys of an object, required ones first', () => {
    const { text, position } = cursor(
      DEPLOYMENT.replace('  replicas: 2\n', '  replicas: 2\n  |\n'),
    );
    const entries = completeAt(text, position, registry);
    const labels = entries.map((entry) => entry.label);
    assert.ok(labels.includes('strategy') && labels.includes('minReadySeconds'));
    assert.ok(
      !labels.includes('replicas') && !labels.includes('selector'),
      'present keys are not offered',
    );
    assert.ok(!labels.includes('status'));
  });

  it('completes the keys of a container at its indentation', () => {
    const { text, position } = cursor(
      DEPLOYMENT.replace(
        '          imagePullPolicy: Always\n',
        '          imagePullPolicy: Always\n          |\n',
      ),
    );
    const labels = completeAt(text, position, registry).map((entry) => entry.label);
    assert.ok(labels.includes('ports') && labels.includes('resources') && labels.includes('env'));
    assert.ok(!labels.includes('image'));
  });

  it('completes enum values', () => {
    const { text, position } = cursor(
      DEPLOYMENT.replace('imagePullPolicy: Always', 'imagePullPolicy: |'),
    );
    assert.deepEqual(
      completeAt(text, position, registry)
        .map((entry) => entry.label)
        .sort(),
      ['Always', 'IfNotPresent', 'Never'],
    );
  });

  it('completes the kinds of an apiVersion and the apiVersions of a kind', () => {
    const kinds = cursor('apiVersion: apps/v1\nkind: |\n');
    assert.deepEqual(
      completeAt(kinds.text, kinds.position, registry).map((entry) => entry.label),
      ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
    );
    const versions = cursor('apiVersion: |\nkind: Kustomization\n');
    assert.deepEqual(
      completeAt(versions.text, versions.position, registry).map((entry) => entry.label),
      [
        'kustomize.toolkit.fluxcd.io/v1',
        'kustomize.toolkit.fluxcd.io/v1beta1',
        'kustomize.toolkit.fluxcd.io/v1beta2',
      ].filter((version) =>
        registry
          .allKinds()
          .some((entry) => entry.apiVersion === version && entry.kind === 'Kustomization'),
      ),
    );
  });
});

describe('deprecated and removed API versions', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('reports a removed apiVersion with the version that removed it and a mechanical fix', () => {
    const [finding] = validateManifestText(
      'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: x\n',
      {
        schemas: registry,
      },
    ).findings;
    assert.equal(finding?.code, 'removed-api-version');
    assert.equal(
      finding?.message,
      'batch/v1beta1 CronJob was removed in Kubernetes 1.25, so a 1.34 cluster rejects it. Use batch/v1.',
    );
    assert.deepEqual(finding?.fixes, [
      {
        title: 'Change apiVersion to batch/v1',
        range: { start: { line: 0, character: 12 }, end: { line: 0, character: 25 } },
        newText: 'batch/v1',
      },
    ]);
  });

  it('offers no fix when the migration is not mechanical, and says why', () => {
    const [finding] = validateManifestText(
      'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n',
      {
        schemas: registry,
      },
    ).findings;
    assert.equal(finding?.fixes, undefined);
    assert.match(
      finding?.message ?? '',
      /removed in Kubernetes 1\.22.*Use networking\.k8s\.io\/v1 \(backends become service\.name\/service\.port/,
    );
  });

  it('warns about an apiVersion that is deprecated but still served', () => {
    const [finding] = validateManifestText(
      'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: x\n',
      {
        schemas: registry,
      },
    ).findings;
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.code, 'deprecated-api-version');
  });

  it('suggests the kind meant when a kind does not exist in its group', () => {
    const [finding] = validateManifestText(
      'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n',
      {
        schemas: registry,
      },
    ).findings;
    assert.equal(finding?.code, 'unknown-kind');
    assert.match(finding?.message ?? '', /did you mean "Deployment"\?/);
    assert.equal(finding?.fixes?.[0]?.newText, 'Deployment');
  });
});

describe('go to definition in a kustomization', () => {
  it('follows a path under a key kustomize reads in any case', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'definition-'));
    try {
      await fs.mkdir(path.join(root, 'base'));
      await fs.writeFile(path.join(root, 'base', 'kustomization.yaml'), 'resources: []\n');
      await fs.writeFile(path.join(root, 'patch.yaml'), 'kind: Deployment\n');
      const file = path.join(root, 'kustomization.yaml');
      for (const [marked, target] of [
        ['Resources:\n  - ba|se\n', path.join(root, 'base', 'kustomization.yaml')],
        ['re\u017Fources:\n  - ba|se\n', path.join(root, 'base', 'kustomization.yaml')],
        ['PATCHES:\n  - Path: pat|ch.yaml\n', path.join(root, 'patch.yaml')],
      ] as const) {
        const { text, position } = cursor(marked);
        const targets = await definitionAt(text, position, { file, workspaceRoot: root });
        assert.deepEqual(
          targets.map((found) => found.file),
          [target],
          marked,
        );
      }
      const { text, position } = cursor('namePrefix: ba|se\n');
      assert.deepEqual(await definitionAt(text, position, { file, workspaceRoot: root }), []);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
