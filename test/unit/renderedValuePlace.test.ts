import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { renderedFindings } from '../../server/src/engine/check/renderedFindings';
import { renderedBeside } from '../../server/src/engine/check/renderedRepeats';
import { validateManifestText } from '../../server/src/engine/validate/validateManifests';
import type { RenderedResource, RenderUnit } from '../../server/src/engine/render/types';
import type { SchemaRegistry } from '../../server/src/engine/schemas/schemaRegistry';
import { findingToDiagnostic } from '../../server/src/findingToDiagnostic';
import { bundledRegistry } from './support/schemas';

const CHART = path.resolve('/repo/chart');
const TEMPLATE_FILE = path.join(CHART, 'templates', 'deployment.yaml');
const VALUES_FILE = path.join(CHART, 'values.yaml');
const RELEASE_FILE = path.resolve('/repo/release.yaml');

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  revisionHistoryLimit: -5
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
const VALUES = `replicaCount: -2
image:
  repository: nginx
  tag: "1.27"
resources:
  limits:
    cpu: lots
`;
const RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  values:
    replicaCount: -3
`;

function rendered(replicas: number): RenderedResource {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  revisionHistoryLimit: -5
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          resources:
            limits:
              cpu: lots
`,
    origin: {
      file: TEMPLATE_FILE,
      line: 1,
      via: 'chart/templates/deployment.yaml',
      values: [
        {
          key: 'replicaCount',
          file: replicas === -3 ? RELEASE_FILE : VALUES_FILE,
          line: replicas === -3 ? 7 : 1,
        },
        { key: 'image.repository', file: VALUES_FILE, line: 3 },
        { key: 'image.tag', file: VALUES_FILE, line: 4 },
        { key: 'resources', file: VALUES_FILE, line: 5 },
        { key: 'resources.limits', file: VALUES_FILE, line: 6 },
        { key: 'resources.limits.cpu', file: VALUES_FILE, line: 7 },
      ],
    },
  };
}

const FILES = new Map([
  [TEMPLATE_FILE, TEMPLATE],
  [VALUES_FILE, VALUES],
  [RELEASE_FILE, RELEASE],
]);

function unitOf(kind: RenderUnit['kind']): RenderUnit {
  return {
    kind,
    id: `${kind}:web`,
    name: 'web',
    root: CHART,
    renderer: 'helm',
    ...(kind === 'flux-helmrelease' ? { definedIn: { file: RELEASE_FILE, line: 1 } } : {}),
  };
}

describe('a rendered finding on the values key that set the wrong value', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  const findingsOf = (
    unit: RenderUnit,
    resource: RenderedResource,
  ): ReturnType<typeof renderedFindings> =>
    renderedFindings(unit, [resource], registry, (file) => FILES.get(file));

  it("puts a wrong value of the chart's values.yaml on its key, the template line related", () => {
    const findings = findingsOf(unitOf('helm'), rendered(-2));
    const replicas = findings.find((finding) => finding.message.includes('spec.replicas'));
    assert.equal(replicas?.file, VALUES_FILE);
    assert.deepEqual(replicas?.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 16 },
    });
    assert.equal(
      replicas?.message,
      'spec.replicas: Invalid value: -2: must be greater than or equal to 0. (rendered Deployment web of chart web, field spec.replicas; value replicaCount set here, used by templates/deployment.yaml:6)',
    );
    assert.deepEqual(replicas?.related, [
      {
        file: TEMPLATE_FILE,
        range: { start: { line: 5, character: 2 }, end: { line: 5, character: 38 } },
        message: 'replicaCount is used here',
      },
    ]);
  });

  it('puts a wrong key of a map written with toYaml on that key', () => {
    const findings = findingsOf(unitOf('helm'), rendered(-2));
    const cpu = findings.find((finding) => finding.code === 'invalid-quantity');
    assert.equal(cpu?.file, VALUES_FILE);
    assert.equal(cpu?.range.start.line, 6);
    assert.match(
      cpu?.message ?? '',
      /value resources\.limits\.cpu set here, used by templates\/deployment\.yaml:19\)$/,
    );
  });

  it("puts a value a HelmRelease overrides on the HelmRelease's key", () => {
    const findings = findingsOf(unitOf('flux-helmrelease'), rendered(-3));
    const replicas = findings.find((finding) => finding.message.includes('spec.replicas'));
    assert.equal(replicas?.file, RELEASE_FILE);
    assert.deepEqual(replicas?.range, {
      start: { line: 6, character: 4 },
      end: { line: 6, character: 20 },
    });
    assert.match(
      replicas?.message ?? '',
      /of Flux HelmRelease web, field spec\.replicas; value replicaCount set here/,
    );
  });

  it('keeps a mistake of the template itself on the template line', () => {
    const findings = findingsOf(unitOf('helm'), rendered(-2));
    const history = findings.find((finding) => finding.message.includes('revisionHistoryLimit'));
    assert.equal(history?.file, TEMPLATE_FILE);
    assert.equal(history?.range.start.line, 6);
    assert.equal(history?.related, undefined);
    assert.doesNotMatch(history?.message ?? '', /set here/);
  });

  it('gives the editor the template line as related information of the diagnostic', () => {
    const findings = findingsOf(unitOf('helm'), rendered(-2));
    const replicas = findings.find((finding) => finding.message.includes('spec.replicas'));
    assert.ok(replicas);
    assert.deepEqual(findingToDiagnostic(replicas).relatedInformation, [
      {
        location: {
          uri: pathToFileURL(TEMPLATE_FILE).href,
          range: { start: { line: 5, character: 2 }, end: { line: 5, character: 38 } },
        },
        message: 'replicaCount is used here',
      },
    ]);
    const history = findings.find((finding) => finding.message.includes('revisionHistoryLimit'));
    assert.ok(history);
    assert.equal(findingToDiagnostic(history).relatedInformation, undefined);
  });

  it('keeps an unknown field on the template line when the template writes the key', () => {
    const typo = TEMPLATE.replace('  replicas: {{', '  replica: {{');
    const resource = rendered(-2);
    const findings = renderedFindings(
      unitOf('helm'),
      [{ ...resource, text: resource.text.replace('  replicas: -2', '  replica: -2') }],
      registry,
      (file) => (file === TEMPLATE_FILE ? typo : FILES.get(file)),
    );
    const unknown = findings.find((finding) => finding.code === 'unknown-field');
    assert.equal(unknown?.file, TEMPLATE_FILE);
    assert.equal(unknown?.range.start.line, 5);
    assert.equal(unknown?.related, undefined);
    assert.deepEqual(
      unknown?.fixes,
      [
        {
          title: 'Rename "replica" to "replicas"',
          range: { start: { line: 5, character: 2 }, end: { line: 5, character: 9 } },
          newText: 'replicas',
        },
      ],
      'the quick fix renames the key on the template line',
    );
  });

  it('offers no rename where the line the finding lands on does not write the key', () => {
    const resource = rendered(-2);
    const findings = renderedFindings(
      unitOf('helm'),
      [{ ...resource, text: resource.text.replace('  selector:', '  selectr:') }],
      registry,
      (file) => FILES.get(file),
    );
    const unknown = findings.find((finding) => finding.code === 'unknown-field');
    assert.ok(unknown, 'the unknown field is reported');
    assert.equal(unknown.fixes, undefined);
  });

  it('puts an unknown field a values map brings on the values key', () => {
    const values = VALUES.replace('  limits:', '  limtis:');
    const resource = rendered(-2);
    const findings = renderedFindings(
      unitOf('helm'),
      [{ ...resource, text: resource.text.replace('            limits:', '            limtis:') }],
      registry,
      (file) => (file === VALUES_FILE ? values : FILES.get(file)),
    );
    const unknown = findings.find((finding) => finding.code === 'unknown-field');
    assert.equal(unknown?.file, VALUES_FILE);
    assert.match(
      unknown?.message ?? '',
      /value resources set here, used by templates\/deployment\.yaml:19\)$/,
    );
  });
});

describe('a rendered finding of a kustomization, on the part of the source its own finding takes', () => {
  const SOURCE = path.resolve('/repo/apps/podinfo/repository.yaml');
  const TEXT = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 5m
  replicass: 1
`;
  const unit: RenderUnit = {
    kind: 'kustomize',
    id: 'kustomize:apps/podinfo',
    name: 'apps/podinfo',
    root: path.dirname(SOURCE),
    renderer: 'kustomize',
  };
  const resource: RenderedResource = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    name: 'podinfo',
    namespace: 'podinfo',
    text: TEXT,
    origin: { file: SOURCE, line: 1 },
  };

  it('a missing field on its parent key and an unknown field on its key, as the file itself says them', async () => {
    // podinfo with the HelmRepository's url removed: one error in the file, one rendered, which
    // repeated it on the next line (the value of spec) and was counted twice.
    const registry = await bundledRegistry();
    const own = validateManifestText(TEXT, { schemas: registry }).findings;
    const found = renderedFindings(unit, [resource], registry, (file) =>
      file === SOURCE ? TEXT : undefined,
    );
    const place = (f: { code: string; range: { start: { line: number; character: number } } }) =>
      `${f.code}@${f.range.start.line}:${f.range.start.character}`;
    assert.deepEqual(own.map(place).sort(), ['missing-required@5:0', 'unknown-field@7:2']);
    assert.deepEqual(found.map(place).sort(), own.map(place).sort());
    assert.deepEqual(renderedBeside(own, found), []);
  });
});
