// The one reader of kustomization files sees every value kustomize 5.8 could take from a file:
// keys in any case (Go's encoding/json), merge keys and aliases, YAML 1.1 tags, deprecated fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KustomizationReadError,
  kustomizationFieldOf,
  readKustomization,
} from '../../server/src/engine';

const ORDINARY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: apps
resources:
  - ../../base
  - service.yaml
components: [../../components/tls]
patches:
  - path: replicas-patch.yaml
    target: {kind: Deployment, name: web}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
patchesJson6902:
  - path: json-patch.yaml
    target: {kind: Service, name: web}
patchesStrategicMerge:
  - legacy-patch.yaml
configMapGenerator:
  - name: settings
    files: [app.properties, key=extra.txt]
    envs: [settings.env]
secretGenerator:
  - name: creds
    env: creds.env
replacements:
  - path: replacement.yaml
crds: [crd.yaml]
configurations: [config.yaml]
generators: [gen.yaml]
transformers: [transformer.yaml]
validators: [validator.yaml]
openapi:
  path: schema.json
buildMetadata: [managedByLabel]
`;

describe('reading a kustomization as kustomize does', () => {
  it('reads an ordinary file field by field', () => {
    assert.deepEqual(readKustomization(ORDINARY), {
      kinds: ['Kustomization'],
      resources: ['../../base', 'service.yaml'],
      components: ['../../components/tls'],
      crds: ['crd.yaml'],
      configurations: ['config.yaml'],
      generators: ['gen.yaml'],
      transformers: ['transformer.yaml'],
      validators: ['validator.yaml'],
      patches: [
        { paths: ['replicas-patch.yaml'], inline: [], target: { kind: 'Deployment', name: 'web' } },
        { paths: [], inline: ['- op: replace\n  path: /spec/replicas\n  value: 3'] },
        { paths: ['json-patch.yaml'], inline: [], target: { kind: 'Service', name: 'web' } },
      ],
      patchesStrategicMerge: ['legacy-patch.yaml'],
      configMapGenerator: [{ files: ['app.properties', 'key=extra.txt'], envs: ['settings.env'] }],
      secretGenerator: [{ files: [], envs: ['creds.env'] }],
      replacementPaths: ['replacement.yaml'],
      openapiPaths: ['schema.json'],
      helmFields: [],
      buildMetadata: ['managedByLabel'],
      namespaces: ['apps'],
    });
  });

  it('matches keys in any case, as Go matches JSON keys to struct fields', () => {
    const read = readKustomization(
      'Resources: [a]\nRESOURCES: [b]\nresources: [c]\nrEsOuRcEs: [d]\nComponents: [e]\n',
    );
    assert.deepEqual(read.resources, ['a', 'b', 'c', 'd']);
    assert.deepEqual(read.components, ['e']);
  });

  it('folds the long s and the Kelvin sign, the two letters Unicode folds to ASCII', () => {
    const read = readKustomization('re\u017Fources: [../../outside]\n\u212Aind: Component\n');
    assert.deepEqual(read.resources, ['../../outside']);
    assert.deepEqual(read.kinds, ['Component']);
    // The dotless i folds to nothing in ASCII: Go rejects `ıtems`, so nothing is read from it.
    assert.deepEqual(readKustomization('\u0131mages: []\nres\u0131urces: [x]\n').resources, []);
  });

  it('resolves merge keys, keeping both the merged and the own values', () => {
    const read = readKustomization(
      [
        'namePrefix: x-',
        '<<: [&base {resources: [../../outside-dir]}, *base]',
        '<<: {components: [../merged]}',
        'resources: [own.yaml]',
        '',
      ].join('\n'),
    );
    assert.deepEqual([...read.resources].sort(), [
      '../../outside-dir',
      '../../outside-dir',
      'own.yaml',
    ]);
    assert.deepEqual(read.components, ['../merged']);
  });

  it('merges an aliased map with `<<: *base` (kustomize also rejects the unknown `base`)', () => {
    const read = readKustomization(
      'commonLabels: {app: web}\nbase: &base\n  resources: [../../outside]\n<<: *base\n',
    );
    assert.ok(read.resources.includes('../../outside'));
  });

  it('follows aliases to lists and scalars', () => {
    const read = readKustomization(
      'resources:\n  - &dir ../../outside\n  - &list [x]\ncomponents: [*dir]\nbases: *list\n',
    );
    assert.deepEqual(read.components, ['../../outside']);
    const list = readKustomization('resources: &r [../a]\nbases: *r\n');
    assert.deepEqual(list.resources, ['../a', '../a']);
  });

  it('reads nested struct fields in any case', () => {
    const read = readKustomization(
      [
        'patches: [{Path: ../../p.yaml, TARGET: {KIND: Deployment}}, {PATCH: "x: 1"}]',
        'patchesJson6902: [{pAth: ../../j.yaml}]',
        'configMapGenerator: [{name: a, Files: [k=../../f], ENV: ../../e, Envs: [../../g]}]',
        'secretGenerator: [{name: s, fIlEs: [../../s]}]',
        'replacements: [{PATH: ../../r.yaml}]',
        'openapi: {Path: ../../o.json}',
        'HelmCharts: [{name: x}]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(read.patches, [
      { paths: ['../../p.yaml'], inline: [], target: { kind: 'Deployment' } },
      { paths: [], inline: ['x: 1'] },
      { paths: ['../../j.yaml'], inline: [] },
    ]);
    assert.deepEqual(read.configMapGenerator, [
      { files: ['k=../../f'], envs: ['../../g', '../../e'] },
    ]);
    assert.deepEqual(read.secretGenerator, [{ files: ['../../s'], envs: [] }]);
    assert.deepEqual(read.replacementPaths, ['../../r.yaml']);
    assert.deepEqual(read.openapiPaths, ['../../o.json']);
    assert.deepEqual(read.helmFields, ['helmCharts']);
  });

  it('reads the deprecated fields kustomize still honours', () => {
    const read = readKustomization(
      'bases: [../base]\nresources: [a.yaml]\nBases: [../other]\nhelmChartInflationGenerator: []\n',
    );
    assert.deepEqual(read.resources, ['a.yaml', '../base', '../other']);
    assert.deepEqual(read.helmFields, ['helmChartInflationGenerator']);
  });

  it('decodes YAML 1.1 binary scalars, in values and in keys', () => {
    const value = readKustomization('resources: [!!binary Li4vLi4vb3V0c2lkZQ==]\n');
    assert.deepEqual(value.resources, ['../../outside']);
    const key = readKustomization('? !!binary cmVzb3VyY2Vz\n: [../../outside]\n');
    assert.deepEqual(key.resources, ['../../outside']);
    const tagged = readKustomization(
      '%TAG !e! tag:yaml.org,2002:\n---\nresources: [!e!binary Li4v]\n',
    );
    assert.deepEqual(tagged.resources, ['../']);
  });

  it('keeps the text of scalars that YAML 1.1 might not read as strings', () => {
    const read = readKustomization('resources: [1:20, 2019-01-01, !custom x, !!str 12]\n');
    for (const text of ['1:20', '2019-01-01', 'x', '12'])
      assert.ok(read.resources.includes(text), text);
    assert.deepEqual(readKustomization('resources: [~, null]\n').resources, []);
  });

  it('reads every document, though kustomize reads the first', () => {
    assert.deepEqual(readKustomization('resources: [a]\n---\nresources: [b]\n').resources, [
      'a',
      'b',
    ]);
    assert.deepEqual(readKustomization('---\n---\nresources: [b]\n').resources, ['b']);
  });

  it('gives nothing for a document that is not a map', () => {
    assert.deepEqual(readKustomization('').resources, []);
    assert.deepEqual(readKustomization('- a\n- b\n').resources, []);
  });

  it('refuses YAML it cannot read as kustomize would, with a reason', () => {
    const cases: [string, string, RegExp][] = [
      ['resources: [a\n', 'invalidYaml', /^is not valid YAML \(/],
      [
        'resources: *nowhere\n',
        'unknownAnchor',
        /refers to an anchor that is not defined \(\*nowhere\)/,
      ],
      [
        [
          'a: &a [x, x, x, x, x, x, x, x, x, x]',
          'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
          'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
          'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
          'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
          'resources: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
          '',
        ].join('\n'),
        'tooComplex',
        /too many nodes through its aliases/,
      ],
    ];
    for (const [text, reason, detail] of cases) {
      assert.throws(
        () => readKustomization(text),
        (error: unknown) =>
          error instanceof KustomizationReadError &&
          error.reason === reason &&
          detail.test(error.detail) &&
          !error.message.includes('\n'),
        reason,
      );
    }
  });

  it('names the field a key decodes into', () => {
    assert.equal(kustomizationFieldOf('RESOURCES'), 'resources');
    assert.equal(kustomizationFieldOf('patchesjson6902'), 'patchesJson6902');
    assert.equal(kustomizationFieldOf('re\u017Fources'), 'resources');
    assert.equal(kustomizationFieldOf('resource'), undefined);
  });
});

/** Blank lines and comments around block scalars and top-level keys. */
const GAPS = [
  'kind: K\n\nresources:\n  - a.yaml\n\n\nnamespace: x\n',
  'kind: K\npatch: |\n  line one\n\n  line two\n\nnext: x\n',
  'kind: K\npatch: |+\n  kept\n\n\nnext: x\n',
  'kind: K\npatch: >+\n  kept\n\nnext: x\n',
  'kind: K\npatch: |-\n  stripped\n\n# a comment\nnext: x\n',
  'kind: K\npatch: |\n  content\n  # content too\n\nnext: x\n',
  'kind: K\npatch: |\n  a\n# comment\n  b\nnext: x\n',
  'kind: K\nlist:\n- a\n\n- b\n\n# c\nafter: 1\n',
  'kind: K\nplain: one\n  two\n\n  three\nafter: 1\n',
  'kind: K\nquoted: "one\n  two\n\n  three"\nafter: 1\n',
  'kind: K\nflow: [a,\n\n# c\n b]\nafter: 1\n',
  '# head\n\n---\n# yaml-language-server: x\nkind: K\n\nresources: [a]\n',
  'kind: K\n\n   \nresources: [a]\n   \n',
];

describe('the fast path of the kustomization reader', () => {
  it('reads every kustomization of the fixtures as the yaml package does', async () => {
    const { readGoYaml, readGoYamlExact } =
      await import('../../server/src/engine/kustomize/goYaml');
    const { promises: fs } = await import('node:fs');
    const path = await import('node:path');
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/^(kustomization\.ya?ml|Kustomization)$/.test(entry.name)) files.push(full);
      }
    };
    await walk(path.join(__dirname, '..', 'fixtures'));
    assert.ok(files.length > 100, `only ${files.length} kustomizations in the fixtures`);
    let fast = 0;
    for (const file of files) {
      const text = await fs.readFile(file, 'utf8');
      let exact: unknown;
      try {
        exact = readGoYamlExact(text);
      } catch (error) {
        exact = (error as Error).message;
      }
      let read: unknown;
      try {
        read = readGoYaml(text);
      } catch (error) {
        read = (error as Error).message;
      }
      assert.deepEqual(read, exact, file);
      const { parseManifestFast } = await import('../../server/src/engine/parse/fastManifest');
      const { withoutTopLevelGaps } = await import('../../server/src/engine/parse/fastLines');
      if (parseManifestFast(withoutTopLevelGaps(text))?.documents.length === 1) fast++;
    }
    const reading = (read: (text: string) => unknown, text: string): unknown => {
      try {
        return read(text);
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const text of GAPS) {
      assert.deepEqual(reading(readGoYaml, text), reading(readGoYamlExact, text), text);
    }
    // Most real kustomizations are plain block YAML: the fast parser reads them.
    assert.ok(fast > files.length / 2, `the fast parser read ${fast} of ${files.length}`);
  });
});

describe('reading one kustomization text many times (a shared base)', () => {
  it('gives each caller the same reading, which no caller can change', () => {
    const first = readKustomization(ORDINARY);
    assert.throws(() => (first.resources as string[]).push('added-by-a-caller.yaml'), TypeError);
    const second = readKustomization(ORDINARY);
    assert.deepEqual(second.resources, ['../../base', 'service.yaml']);
    assert.throws(() => {
      (second.patches[0] as unknown as { paths: string[] }).paths = [];
    }, TypeError);
  });

  it('refuses the same unreadable text each time with the same message', () => {
    const text = 'resources: [a.yaml\n';
    const messages = [0, 1].map((): string => {
      try {
        readKustomization(text);
        return 'read';
      } catch (error) {
        return error instanceof KustomizationReadError ? error.message : String(error);
      }
    });
    assert.match(messages[0] ?? '', /not valid YAML/);
    assert.equal(messages[1], messages[0]);
  });
});
