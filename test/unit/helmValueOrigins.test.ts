import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  templateSources,
  valueOriginsOf,
  valuesSources,
} from '../../server/src/engine/render/helmValueOrigins';
import { SourceReader } from '../../server/src/engine/render/sourceReader';
import type { HelmInputs, RenderUnit } from '../../server/src/engine/render/types';

const ROOT = path.resolve('/repo');
const CHART = path.join(ROOT, 'chart');
const TEMPLATE = `spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
const CHART_VALUES = `replicaCount: 1
image:
  repository: nginx
  tag: "1.27"
resources:
  limits:
    cpu: 100m
`;

/** The origins of the template's keys for `unit`, as `key -> file:line` (file relative to /repo). */
async function originsOf(
  unit: RenderUnit,
  files: Record<string, string>,
  valueFiles: string[] = [],
): Promise<Map<string, string>> {
  const reader = new SourceReader(
    new Map(
      Object.entries({ 'chart/values.yaml': CHART_VALUES, ...files }).map(([file, text]) => [
        path.join(ROOT, file),
        text,
      ]),
    ),
  );
  const helm: HelmInputs = unit.helm ?? { releaseName: unit.name, valueFiles };
  const sources = await valuesSources(unit, helm, valueFiles, reader);
  return new Map(
    valueOriginsOf(TEMPLATE, sources).map((origin) => [
      origin.key,
      `${path.relative(ROOT, origin.file).split(path.sep).join('/')}:${origin.line}`,
    ]),
  );
}

function unitOf(kind: RenderUnit['kind'], file?: string, line = 1, id?: string): RenderUnit {
  return {
    kind,
    id: id ?? `${kind}:${file ?? CHART}:${line}`,
    name: 'app',
    root: CHART,
    renderer: 'helm',
    ...(file ? { definedIn: { file: path.join(ROOT, file), line } } : {}),
    helm: { releaseName: 'app', valueFiles: [] },
  };
}

describe('where the values a chart template reads are set', () => {
  it("finds the chart's values.yaml keys, and the keys under a map the template writes whole", async () => {
    const origins = await originsOf(unitOf('helm'), {});
    assert.equal(origins.get('replicaCount'), 'chart/values.yaml:1');
    assert.equal(origins.get('image.tag'), 'chart/values.yaml:4');
    assert.equal(origins.get('resources'), 'chart/values.yaml:5', 'the key line, not its value');
    assert.equal(origins.get('resources.limits.cpu'), 'chart/values.yaml:7');
  });

  it('lets a values file in use win over values.yaml', async () => {
    const file = path.join(ROOT, 'env', 'prod.yaml');
    const origins = await originsOf(
      unitOf('helm'),
      { 'env/prod.yaml': '# production\nreplicaCount: 3\n' },
      [file],
    );
    assert.equal(origins.get('replicaCount'), 'env/prod.yaml:2');
    assert.equal(origins.get('image.tag'), 'chart/values.yaml:4');
  });

  it("takes a HelmRelease's spec.values from its own document of a file holding several", async () => {
    const release = `apiVersion: v1
kind: Namespace
metadata:
  name: other
spec:
  values:
    replicaCount: 9
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    resources:
      limits:
        cpu: lots
`;
    const origins = await originsOf(unitOf('flux-helmrelease', 'release.yaml', 9), {
      'release.yaml': release,
    });
    assert.equal(origins.get('resources.limits.cpu'), 'release.yaml:17');
    assert.equal(origins.get('replicaCount'), 'chart/values.yaml:1', 'not the other document');
  });

  it('finds the HelmRelease by name when an unsaved edit moved its document', async () => {
    const release = `# a line typed above it
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    replicaCount: 5
`;
    const origins = await originsOf(unitOf('flux-helmrelease', 'release.yaml', 1), {
      'release.yaml': release,
    });
    assert.equal(origins.get('replicaCount'), 'release.yaml:8');
  });

  it('counts the lines of a valuesFrom ConfigMap inside its block scalar', async () => {
    const unit = unitOf('flux-helmrelease', 'release.yaml', 1);
    const origins = await originsOf(
      {
        ...unit,
        helm: {
          releaseName: 'app',
          valueFiles: [],
          valuesFrom: [
            {
              kind: 'ConfigMap',
              name: 'app-values',
              valuesKey: 'values.yaml',
              optional: false,
              file: path.join(ROOT, 'values-cm.yaml'),
            },
          ],
        },
      },
      {
        'release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec: {}\n',
        'values-cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-values
data:
  values.yaml: |
    image:
      tag: latest
`,
      },
    );
    assert.equal(origins.get('image.tag'), 'values-cm.yaml:8');
  });

  it("follows an Argo CD Application's helm.values string, valuesObject, then parameters", async () => {
    const application = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
spec:
  source:
    path: chart
    helm:
      values: |
        image:
          repository: registry.example/app
        replicaCount: 2
      valuesObject:
        replicaCount: 4
        resources:
          limits:
            cpu: lots
      parameters:
        - name: image.tag
          value: "2.0"
`;
    const origins = await originsOf(unitOf('argocd-application', 'app.yaml', 1), {
      'app.yaml': application,
    });
    assert.equal(origins.get('image.repository'), 'app.yaml:11', 'a line inside the block');
    assert.equal(origins.get('replicaCount'), 'app.yaml:14', 'valuesObject over values');
    assert.equal(origins.get('resources.limits.cpu'), 'app.yaml:17');
    assert.equal(origins.get('image.tag'), 'app.yaml:20', "the parameter's value line");
  });

  it('takes the helm values of the source of a multi-source Application the unit renders', async () => {
    const application = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
spec:
  sources:
    - path: other
      helm:
        valuesObject:
          replicaCount: 7
    - path: chart
      helm:
        parameters:
          - name: resources.limits.cpu
            value: lots
`;
    const unit = unitOf('argocd-application', 'app.yaml', 1, `argocd-application:app.yaml:1:1`);
    const origins = await originsOf(unit, { 'app.yaml': application });
    assert.equal(origins.get('replicaCount'), 'chart/values.yaml:1');
    assert.equal(origins.get('resources.limits.cpu'), 'app.yaml:15');
  });

  it("reads a sub-chart template's keys under the sub-chart's name, over its own values.yaml", async () => {
    const reader = new SourceReader(
      new Map([
        [path.join(CHART, 'values.yaml'), 'redis:\n  port: 7000\nglobal:\n  region: eu\n'],
        [
          path.join(CHART, 'charts', 'redis', 'values.yaml'),
          'port: 6379\nimage: redis\nglobal:\n  region: us\n',
        ],
      ]),
    );
    const unit = unitOf('helm');
    const sources = await valuesSources(unit, { releaseName: 'app', valueFiles: [] }, [], reader);
    const template = path.join(CHART, 'charts', 'redis', 'templates', 'service.yaml');
    const origins = valueOriginsOf(
      'port: {{ .Values.port }}\nimage: {{ .Values.image }}\nregion: {{ .Values.global.region }}\n',
      await templateSources(CHART, template, sources, reader),
    );
    assert.deepEqual(
      origins.map((origin) => `${origin.key} ${path.relative(ROOT, origin.file)}:${origin.line}`),
      [
        `port ${path.join('chart', 'values.yaml')}:2`,
        `image ${path.join('chart', 'charts', 'redis', 'values.yaml')}:2`,
        `global.region ${path.join('chart', 'values.yaml')}:4`,
      ],
    );
  });
});
