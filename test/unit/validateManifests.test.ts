import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import { markedText } from './support/markedText';

describe('validateManifestText', () => {
  it('accepts a valid multi-document manifest and counts its resources', () => {
    const result = validateManifestText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n',
    );
    assert.deepEqual(result.findings, []);
    assert.equal(result.resources, 2);
  });

  it('puts an unclosed [ or { on the line that opened it, not past the end of the document', () => {
    // argo-cd's manifests with "namespace: [bad" on the last line: reported at a line after the
    // file's end, as a mis-indented line.
    for (const [value, open] of [
      ['[bad', '['],
      ['{a: b', '{'],
    ] as const) {
      for (const after of ['', 'data:\n  x: "1"\n']) {
        const { text, range } = markedText(
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ⟦${value}⟧\n${after}`,
        );
        const syntax = validateManifestText(text).findings.filter((f) => f.code === 'yaml-syntax');
        assert.equal(syntax.length, 1, text);
        assert.deepEqual(syntax[0]?.range, range, text);
        assert.match(
          syntax[0]?.message ?? '',
          new RegExp(`^YAML syntax: this \\${open} is never closed`),
        );
      }
    }
  });

  it('keeps the layout message for a [ closed on a later line that is not indented enough', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  args: [x,\n  y]\n';
    const syntax = validateManifestText(text).findings.filter((f) => f.code === 'yaml-syntax');
    assert.equal(syntax.length, 1);
    assert.doesNotMatch(syntax[0]?.message ?? '', /never closed/);
    assert.match(syntax[0]?.message ?? '', /does not line up/);
  });

  it('leaves a Backstage skeleton alone: ${{ }} is a template even inside a plain string', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${{ values.name }}\nspec:\n  replicas: ${{ values.replicas }}\n';
    assert.equal(
      validateManifestText(text, { path: '/repo/skeleton/deployment.yaml' }).skipped,
      'templated',
    );
  });

  it('reports a YAML syntax error with the range the parser gives', () => {
    const { text, range } = markedText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ⟦x⟧: y\n',
    );
    const result = validateManifestText(text);
    const syntax = result.findings.filter((finding) => finding.code === 'yaml-syntax');
    assert.ok(syntax.length > 0, 'a syntax error is reported');
    assert.equal(syntax[0]?.severity, 'error');
    assert.match(syntax[0]?.message ?? '', /^YAML syntax: /);
    assert.deepEqual(syntax[0]?.range, range);
    assert.equal(
      syntax[0]?.message,
      'YAML syntax: this line does not line up with the lines it belongs with, so the document cannot be read (Nested mappings are not allowed in compact mappings). Indent it like its siblings, or start a list item with "- "; the rest of the document is checked once it reads.',
    );
  });

  it('says a mis-indented line once, not once per parser error after it', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx',
      '          env:',
      '            - name: A',
      '              value: "1"',
      '              - name: B',
      '              value: "2"',
      '         ports:',
      '            - containerPort: 80',
      '',
    ].join('\n');
    const syntax = validateManifestText(text).findings.filter(
      (finding) => finding.code === 'yaml-syntax',
    );
    assert.equal(syntax.length, 1, syntax.map((finding) => finding.message).join(' | '));
    assert.equal(syntax[0]?.range.start.line, 13, 'on the first line the parser could not read');
    assert.match(syntax[0]?.message ?? '', /does not line up with the lines it belongs with/);
  });

  it('underlines the kind key when apiVersion is missing, naming the apiVersion to add', () => {
    const { text, range } = markedText('⟦kind⟧: Deployment\nmetadata:\n  name: web\n');
    const [finding, ...rest] = validateManifestText(text).findings;
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, 'missing-api-version');
    assert.deepEqual(finding?.range, range);
    assert.equal(
      finding?.message,
      'Resource has "kind" but no "apiVersion": add the apiVersion of kind Deployment (for example "apiVersion: apps/v1").',
    );
  });

  it('underlines the apiVersion key when kind is missing', () => {
    const { text, range } = markedText('⟦apiVersion⟧: v1\nmetadata:\n  name: web\n');
    const [finding] = validateManifestText(text).findings;
    assert.equal(finding?.code, 'missing-kind');
    assert.deepEqual(finding?.range, range);
  });

  it('reports on the right line of the second document of a file', () => {
    const { text, range } = markedText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# second\n⟦kind⟧: Secret\nmetadata:\n  name: b\n',
    );
    const [finding] = validateManifestText(text).findings;
    assert.deepEqual(finding?.range, range);
    assert.match(finding?.message ?? '', /kind Secret \(for example "apiVersion: v1"\)/);
  });

  it('reports a kind that is not a string on its value', () => {
    const { text, range } = markedText('apiVersion: v1\nkind: ⟦[a]⟧\n');
    const finding = validateManifestText(text).findings.find((f) => f.code === 'invalid-identity');
    assert.deepEqual(finding?.range, range);
  });

  it('says what a non-string apiVersion of a resource is, and what to write', () => {
    const { text, range } = markedText('apiVersion: ⟦1⟧\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const findings = validateManifestText(text).findings;
    const finding = findings.find((f) => f.code === 'invalid-identity');
    assert.deepEqual(finding?.range, range);
    assert.equal(
      finding?.message,
      '"apiVersion" must be a non-empty string (for example "apps/v1"), but found the number 1.',
    );
  });

  it("leaves alone another tool's file with a numeric apiVersion and no kind", () => {
    // podinfo's otel/grafana-datasources.yaml: Grafana provisioning, not a Kubernetes object.
    const text =
      'apiVersion: 1\n\ndatasources:\n  - name: Loki\n    type: loki\n    url: http://loki:3100\n';
    const result = validateManifestText(text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.skipped, 'notManifest');
  });

  it('warns about a repeated key, which kubectl accepts keeping the last value', () => {
    // kubectl apply (client-side and server-side) and kustomize accept it: not an error.
    const { text, range } = markedText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    x: "1"\n    ⟦x⟧: "2"\n',
    );
    const findings = validateManifestText(text).findings;
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code]),
      [['warning', 'yaml-duplicate-key']],
    );
    assert.deepEqual(findings[0]?.range, range);
    assert.match(findings[0]?.message ?? '', /keep only its last value/);
  });

  it('leaves YAML files that hold no resource alone, even broken ones', () => {
    assert.deepEqual(validateManifestText('replicaCount: 2\nimage:\n  tag: [oops\n').findings, []);
    assert.equal(validateManifestText('on: push\njobs: {}\n').skipped, 'notManifest');
  });

  it('leaves Chart.yaml alone although it has an apiVersion', () => {
    const result = validateManifestText('apiVersion: v2\nname: demo\nversion: 1.0.0\n', {
      path: '/repo/charts/demo/Chart.yaml',
    });
    assert.deepEqual(result.findings, []);
  });

  it('does not parse Helm templates as YAML', () => {
    const result = validateManifestText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
    assert.equal(result.skipped, 'templated');
    assert.deepEqual(result.findings, []);
  });

  it('does not parse a chart template as YAML when an action is outside the strings', () => {
    for (const text of [
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicas }}\n',
      '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n{{- end }}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "{{ .Values.x }}"\n  {{- toYaml .Values.extra | nindent 2 }}\n',
    ]) {
      assert.equal(validateManifestText(text).skipped, 'templated', text);
    }
    // Under a chart's templates/ folder a quoted action is no value yet either.
    const quoted = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\n';
    assert.equal(
      validateManifestText(quoted, { path: '/repo/charts/demo/templates/cm.yaml' }).skipped,
      'templated',
    );
  });

  it('validates a manifest whose template actions are all inside strings (alerting rules, dashboards)', async () => {
    const { bundledRegistry } = await import('./support/schemas');
    const registry = await bundledRegistry();
    // billimek/k8s-gitops: a dashboard ConfigMap with "{{instance}}" in its JSON, a HelmRelease
    // with a CoreDNS block holding "{{", PrometheusRules with "{{ $labels.instance }}".
    const { text, range } = markedText(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: dashboard',
        '  ⟦bogusMeta⟧: 1',
        'data:',
        '  ups.json: \'{"legendFormat": "{{instance}}"}\'',
        '  block: |-',
        '    {{ .Values.x }}',
        '  plain: Instance {{ $labels.instance }} is down',
        '',
      ].join('\n'),
    );
    const result = validateManifestText(text, {
      path: '/repo/monitoring/dashboard.yaml',
      schemas: registry,
    });
    assert.equal(result.skipped, undefined);
    assert.equal(result.resources, 1);
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.range]),
      [['unknown-field', range]],
    );
  });

  it('reports the syntax error of a manifest whose actions are in strings or comments', () => {
    // bjw-s/home-ops: an ExternalSecret with '{{ index . "uri" }}' and a mis-indented key, and
    // a file with `# see {{ .Values }}` in a comment: both were skipped as templates, unreported.
    const externalSecret = [
      'apiVersion: external-secrets.io/v1beta1',
      'kind: ExternalSecret',
      'metadata:',
      '  name: atuin',
      'spec:',
      '  target:',
      '    template:',
      '      data:',
      '        ATUIN_DB_URI: \'{{ index . "uri" }}\'',
      '        NOTE: "{{ .note }} # not a comment"',
      '        BLOCK: |',
      '          {{ .block }}',
      '   dataFrom:',
      '    - extract:',
      '        key: atuin',
      '',
    ].join('\n');
    const broken = validateManifestText(externalSecret);
    assert.equal(broken.skipped, undefined);
    const syntax = broken.findings.find((f) => f.code === 'yaml-syntax');
    assert.ok(syntax, JSON.stringify(broken.findings));
    assert.equal(syntax.range.start.line, 12, 'the mis-indented dataFrom line');
    const commented =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # see {{ .Values }}\ndata:\n  x: 1\n y: 2\n';
    const result = validateManifestText(commented);
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((f) => f.code === 'yaml-syntax'));
    // A template stays a template when it does not read as YAML either.
    const template = 'metadata:\n  name: {{ .Release.Name }}\n  labels:\n   a: b\n    c: d\n';
    assert.equal(validateManifestText(template).skipped, 'templated');
    // A long line of spaces in a broken text is read in one pass (a RegExp took 10 s on 100k).
    const started = process.hrtime.bigint();
    const spaces = `key: "{{ a }}"\n  bad: [\n${' '.repeat(200_000)}x\n`;
    assert.notEqual(validateManifestText(spaces).skipped, 'templated');
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsed < 2_000, `${elapsed} ms`);
  });

  it('warns once about a binary file instead of parsing it', () => {
    const result = validateManifestText('\u0000\u0001\u0002kind: x');
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0]?.code, 'not-text');
  });

  it('does not throw on an alias bomb and keeps ranges inside the text', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      .concat(
        Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
        ),
      )
      .concat(['apiVersion: v1', 'kind: ConfigMap'])
      .join('\n');
    const result = validateManifestText(bomb);
    assert.equal(result.resources, 1);
  });
});

describe('server-side rules that a dry run cannot show', () => {
  it('rejects a nodePort outside the default 30000-32767 range, as the port allocator does', async () => {
    const { bundledRegistry } = await import('./support/schemas');
    const registry = await bundledRegistry();
    const { text, range } = markedText(
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n    - port: 80\n      nodePort: ⟦80⟧\n',
    );
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.deepEqual(finding?.range, range);
    assert.match(finding?.message ?? '', /The range of valid ports is 30000-32767/);
  });
});

describe('int-or-string fields of built-in kinds', () => {
  it('accept an integer or a string and reject a list', async () => {
    const { bundledRegistry } = await import('./support/schemas');
    const registry = await bundledRegistry();
    const service = (targetPort: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n      targetPort: ${targetPort}\n`;
    assert.deepEqual(validateManifestText(service('8080'), { schemas: registry }).findings, []);
    assert.deepEqual(validateManifestText(service('http'), { schemas: registry }).findings, []);
    const { text, range } = markedText(service('⟦[8080]⟧'));
    const [finding] = validateManifestText(text, { schemas: registry }).findings;
    assert.equal(finding?.code, 'invalid-type');
    assert.deepEqual(finding?.range, range);
    assert.match(finding?.message ?? '', /expected an integer or a string, found a list/);
  });
});

describe('Flux post-build substitutions', () => {
  it('are not type or name errors: Flux fills them in before applying', async () => {
    const { bundledRegistry } = await import('./support/schemas');
    const registry = await bundledRegistry();
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: ${app_name}',
      '  labels: {env: "${cluster_env:=dev}"}',
      'spec:',
      '  replicas: ${replicas}',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers: [{name: web, image: "nginx:${tag}", imagePullPolicy: "${pull_policy:-Always}"}]',
      '',
    ].join('\n');
    assert.deepEqual(validateManifestText(text, { schemas: registry }).findings, []);
    const plain = validateManifestText(text.replace('${replicas}', 'many'), { schemas: registry });
    assert.deepEqual(
      plain.findings.map((f) => f.code),
      ['invalid-type'],
      'a plain string is still an error',
    );
  });
});

describe('Files real repositories hold', () => {
  it('accept a kustomization without apiVersion, as kustomize does, but not a Flux one', () => {
    assert.deepEqual(
      validateManifestText('kind: Kustomization\nresources:\n  - deployment.yaml\n').findings,
      [],
    );
    assert.deepEqual(validateManifestText('kind: Component\npatches: []\n').findings, []);
    const flux = validateManifestText(
      'kind: Kustomization\nmetadata: {name: apps}\nspec:\n  path: ./apps\n',
    ).findings;
    assert.deepEqual(
      flux.map((f) => f.code),
      ['missing-api-version'],
    );
  });
});

describe('StatefulSet volume claim templates', () => {
  const statefulSet = (mount: string): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts:
            - {name: ${mount}, mountPath: /var/lib/postgresql}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`;

  it('give the pods a volume per template, so a mount may name one', async () => {
    const { bundledRegistry } = await import('./support/schemas');
    const registry = await bundledRegistry();
    assert.deepEqual(validateManifestText(statefulSet('data'), { schemas: registry }).findings, []);
    assert.deepEqual(
      validateManifestText(statefulSet('dta'), { schemas: registry }).findings.map((f) => f.code),
      ['unknown-reference'],
    );
  });
});
