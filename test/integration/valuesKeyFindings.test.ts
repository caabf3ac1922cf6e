import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderedFindings } from '../../server/src/engine/check/renderedFindings';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type { RenderUnit } from '../../server/src/engine/render';
import type { FileFinding } from '../../server/src/engine/types';
import { bundledRegistry } from '../unit/support/schemas';
import { renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';
import { otelRelease } from '../unit/support/otelRelease';

const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');

const RELEASE = otelRelease('otel-flux', ['replicaCount: -3']);

const APPLICATIONS = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: otel-object
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: otel
  source:
    repoURL: https://github.com/example/fleet
    targetRevision: HEAD
    path: charts/otel
    helm:
      valuesObject:
        replicaCount: -4
      parameters:
        - name: rollout.rollingUpdate.maxSurge
          value: half
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: otel-string
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: otel
  source:
    repoURL: https://github.com/example/fleet
    targetRevision: HEAD
    path: charts/otel
    helm:
      values: |
        # set by the team
        replicaCount: -5
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: otel-files
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: otel
  source:
    repoURL: https://github.com/example/fleet
    targetRevision: HEAD
    path: charts/otel
    helm:
      valueFiles:
        - values-prod.yaml
`;

const PROD_VALUES = `# production
replicaCount: -6
`;

/** The 0-based line of `file` that holds `needle` (the first one). */
function lineOf(file: string, needle: string): number {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, `${needle} not in ${file}`);
  return line;
}

describe('rendered findings on the values key that set the wrong value (real helm, OpenTelemetry Collector chart)', () => {
  let tools: Tools;
  let repo = '';
  let values = '';
  let deployment = '';
  let release = '';
  let applications = '';
  let units: RenderUnit[] = [];

  before(async () => {
    tools = await renderTools();
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-values-key-'));
    const chart = path.join(repo, 'charts', 'otel');
    cpSync(CHART, chart, { recursive: true });
    values = path.join(chart, 'values.yaml');
    // Values the chart's schema allows but a Kubernetes API server refuses once rendered.
    writeFileSync(
      values,
      readFileSync(values, 'utf8')
        .replace(/^mode: ""$/m, 'mode: deployment')
        .replace(/^ {2}repository: ""$/m, '  repository: otel/opentelemetry-collector-k8s')
        .replace(/^replicaCount: 1$/m, 'replicaCount: -2')
        .replace(/^ {2}rollingUpdate: \{\}$/m, '  rollingUpdate:\n    maxSurge: lots'),
    );
    // A mistake of the template itself, with no value involved.
    deployment = path.join(chart, 'templates', 'deployment.yaml');
    writeFileSync(
      deployment,
      readFileSync(deployment, 'utf8').replace(
        'revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}',
        'revisionHistoryLimit: -1',
      ),
    );
    writeFileSync(path.join(chart, 'values-prod.yaml'), PROD_VALUES);
    mkdirSync(path.join(repo, 'clusters'));
    release = path.join(repo, 'clusters', 'otel-release.yaml');
    writeFileSync(release, RELEASE);
    applications = path.join(repo, 'clusters', 'otel-applications.yaml');
    writeFileSync(applications, APPLICATIONS);
    units = await discoverRenderUnits(repo);
  });
  after(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  /** The findings of the Deployment the unit `name` renders, as the language server and `check` get them. */
  async function findingsOf(name: string): Promise<FileFinding[]> {
    const unit = units.find((candidate) => candidate.name === name);
    assert.ok(unit, `no unit ${name} in ${units.map((u) => `${u.kind}:${u.name}`).join(', ')}`);
    const result = await renderUnit(unit, {
      workspaceRoot: repo,
      overlays: new Map(),
      binaries: { helm: tools.helm, kustomize: tools.kustomize },
      allowNetwork: false,
      cache: new RenderCache(),
    });
    if (!result.ok) assert.fail(`${name} does not render: ${result.error.message}`);
    const registry = await bundledRegistry();
    return renderedFindings(unit, result.resources, registry, (file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    });
  }

  function only(findings: FileFinding[], field: string): FileFinding {
    const found = findings.filter((finding) => finding.message.startsWith(`${field}:`));
    assert.equal(found.length, 1, JSON.stringify(findings, null, 2));
    return found[0] as FileFinding;
  }

  const at = (finding: FileFinding): string =>
    `${path.relative(repo, finding.file).split(path.sep).join('/')}:${finding.range.start.line}`;

  it("puts a wrong value of the chart's values.yaml on its key, and one written by `with` + toYaml", async () => {
    const findings = await findingsOf('opentelemetry-collector');
    const replicas = only(findings, 'spec.replicas');
    assert.equal(at(replicas), `charts/otel/values.yaml:${lineOf(values, 'replicaCount: -2')}`);
    const used = lineOf(deployment, 'replicas: {{ .Values.replicaCount }}');
    assert.equal(
      replicas.message,
      `spec.replicas: Invalid value: -2: must be greater than or equal to 0. (rendered Deployment default/opentelemetry-collector of chart opentelemetry-collector, field spec.replicas; value replicaCount set here, used by templates/deployment.yaml:${used + 1})`,
    );
    assert.deepEqual(
      replicas.related?.map((place) => [place.file, place.range.start.line, place.message]),
      [[deployment, used, 'replicaCount is used here']],
    );
    const surge = only(findings, 'spec.strategy.rollingUpdate.maxSurge');
    assert.equal(at(surge), `charts/otel/values.yaml:${lineOf(values, 'maxSurge: lots')}`);
    assert.match(
      surge.message,
      /value rollout\.rollingUpdate\.maxSurge set here, used by templates\/deployment\.yaml:\d+\)$/,
    );
  });

  it('keeps a mistake of the template itself on the template line', async () => {
    const findings = await findingsOf('opentelemetry-collector');
    const history = only(findings, 'spec.revisionHistoryLimit');
    assert.equal(
      at(history),
      `charts/otel/templates/deployment.yaml:${lineOf(deployment, 'revisionHistoryLimit: -1')}`,
    );
    assert.equal(history.related, undefined);
    assert.doesNotMatch(history.message, /set here/);
  });

  it('puts a value a Flux HelmRelease sets on the key of its spec.values', async () => {
    const replicas = only(await findingsOf('otel-flux'), 'spec.replicas');
    assert.equal(at(replicas), `clusters/otel-release.yaml:${lineOf(release, 'replicaCount: -3')}`);
    assert.match(
      replicas.message,
      /Invalid value: -3.*of Flux HelmRelease otel-flux, field spec\.replicas; value replicaCount set here/,
    );
  });

  it('puts values an Argo CD Application sets on its valuesObject key and its parameter', async () => {
    const findings = await findingsOf('otel-object');
    const replicas = only(findings, 'spec.replicas');
    assert.equal(
      at(replicas),
      `clusters/otel-applications.yaml:${lineOf(applications, 'replicaCount: -4')}`,
    );
    const surge = only(findings, 'spec.strategy.rollingUpdate.maxSurge');
    assert.equal(
      at(surge),
      `clusters/otel-applications.yaml:${lineOf(applications, 'value: half')}`,
    );
    assert.match(surge.message, /Invalid value "half"/);
  });

  it("puts a value of an Argo CD Application's helm.values string on its line inside the block", async () => {
    const replicas = only(await findingsOf('otel-string'), 'spec.replicas');
    assert.equal(
      at(replicas),
      `clusters/otel-applications.yaml:${lineOf(applications, 'replicaCount: -5')}`,
    );
  });

  it('puts a value of a values file in use on its key', async () => {
    const replicas = only(await findingsOf('otel-files'), 'spec.replicas');
    assert.equal(at(replicas), 'charts/otel/values-prod.yaml:1');
    assert.match(replicas.message, /Invalid value: -6/);
  });
});
