import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RepoFiles } from '../../server/src/engine/render/appSets/appSetTypes';
import { expandApplicationSet } from '../../server/src/engine/render/appSets/expandAppSet';
import { generatorItemParams } from '../../server/src/engine/render/appSets/generators';
import { REPO, SECRETS, THIS_REPO, context, problem, repo } from './support/appSetFixtures';

describe('the selector of a generator item', () => {
  it('keeps the parameter sets whose flattened parameters it selects', () => {
    const params = generatorItemParams(
      {
        list: { elements: [{ cluster: { env: 'dev' } }, { cluster: { env: 'prod' } }] },
        selector: { matchLabels: { 'cluster.env': 'prod' } },
      },
      context(true),
    );
    assert.deepEqual(params, [{ cluster: { env: 'prod' } }]);
  });
  it('stops reading files past the limit', () => {
    const read: string[] = [];
    const files = repo(
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c/${i}/config.json`, '{}'])),
    );
    const counted: RepoFiles = { ...files, read: (file) => (read.push(file), files.read(file)) };
    const params = generatorItemParams(
      { git: { repoURL: THIS_REPO, files: [{ path: 'c/**' }] } },
      context(false, { repo: counted, limit: 5 }),
    );
    assert.equal(params.length, 6);
    assert.equal(read.length, 6);
  });
});

describe('matrix and merge generators', () => {
  it('matrix pairs both children, the second templated with the first', () => {
    const params = generatorItemParams(
      {
        matrix: {
          generators: [
            { git: { repoURL: THIS_REPO, directories: [{ path: 'apps/guestbook' }] } },
            { list: { elements: [{ env: '{{path.basename}}-dev' }, { env: 'prod' }] } },
          ],
        },
      },
      context(false),
    );
    assert.deepEqual(
      params.map((set) => [set.path, set.env]),
      [
        ['apps/guestbook', 'guestbook-dev'],
        ['apps/guestbook', 'prod'],
      ],
    );
  });
  it('matrix refuses a key both children set differently (fasttemplate), as Argo CD does', () => {
    const conflict = problem(() =>
      generatorItemParams(
        {
          matrix: {
            generators: [
              { list: { elements: [{ a: '1' }] } },
              { list: { elements: [{ a: '2' }] } },
            ],
          },
        },
        context(false),
      ),
    );
    assert.equal(conflict.reason, 'invalid');
    assert.match(conflict.message, /both set "a", to "1" and "2"/);
  });
  it('merge overrides the base sets that agree on the merge keys', () => {
    const params = generatorItemParams(
      {
        merge: {
          mergeKeys: ['server'],
          generators: [
            { clusters: { values: { kafka: 'true' } } },
            { list: { elements: [{ server: 'https://prod:6443', 'values.kafka': 'false' }] } },
          ],
        },
      },
      context(false),
    );
    assert.deepEqual(
      params.map((set) => [set.name, set['values.kafka']]),
      [
        ['production', 'false'],
        ['staging', 'true'],
        ['in-cluster', 'true'],
      ],
    );
  });
});

describe("a list's elementsYaml from a git file (Argo CD's documented matrix)", () => {
  it('passes the file through toJson into the list elements', () => {
    const files = repo({
      'list/components.yaml':
        'key:\n  components:\n    - name: component1\n      chart: podinfo\n      version: "6.3.2"\n    - name: component2\n      chart: podinfo\n      version: "6.3.3"\n',
    });
    const params = generatorItemParams(
      {
        matrix: {
          generators: [
            { git: { repoURL: THIS_REPO, files: [{ path: 'list/components.yaml' }] } },
            { list: { elementsYaml: '{{ .key.components | toJson }}' } },
          ],
        },
      },
      context(true, { repo: files }),
    );
    assert.deepEqual(
      params.map((set) => [set.name, set.version, (set.path as { path: string }).path]),
      [
        ['component1', '6.3.2', 'list'],
        ['component2', '6.3.3', 'list'],
      ],
    );
  });
});

describe('expanding an ApplicationSet', () => {
  const template = {
    metadata: { name: '{{name}}-guestbook' },
    spec: {
      project: 'default',
      source: { repoURL: THIS_REPO, path: 'apps/guestbook' },
      destination: { server: '{{server}}', namespace: 'guestbook' },
    },
  };
  const inputs = { repoCheck: context(false).repoCheck, repo: REPO, clusters: SECRETS };
  it('names unsupported generators as information and still expands the others', () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'demo', namespace: 'argocd' },
        spec: {
          generators: [
            { pullRequest: { github: { owner: 'x', repo: 'y' } } },
            { clusters: { selector: { matchLabels: { env: 'prod' } } } },
          ],
          template,
        },
      },
      inputs,
    );
    assert.deepEqual(
      expansion.applications.map((app) => app.name),
      ['production-guestbook'],
    );
    assert.equal(
      (expansion.applications[0]?.resource.metadata as Record<string, unknown>).namespace,
      'argocd',
    );
    assert.deepEqual(expansion.notes, [
      {
        reason: 'unsupported',
        message:
          'its pullRequest generator asks a forge for open pull requests, which is not done offline, so the Applications it generates are not shown',
      },
    ]);
  });
  it('says the clusters Argo CD knows are not in a repository that defines no cluster Secret', () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'c' },
        spec: {
          generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }],
          template,
        },
      },
      { ...inputs, clusters: [] },
    );
    assert.deepEqual(expansion.applications, []);
    assert.deepEqual(expansion.notes, [
      {
        reason: 'unknown',
        message:
          'its clusters generator reads the clusters registered in Argo CD, and this repository defines no cluster Secret (labelled argocd.argoproj.io/secret-type: cluster) for its selector, so the Applications it generates for them are not shown',
      },
    ]);
    const inCluster = expandApplicationSet(
      { metadata: { name: 'c' }, spec: { generators: [{ clusters: {} }], template } },
      { ...inputs, clusters: [] },
    );
    assert.deepEqual(
      inCluster.applications.map((app) => app.name),
      ['in-cluster-guestbook'],
    );
    assert.match(
      inCluster.notes[0]?.message ?? '',
      /so only the in-cluster cluster is known here$/,
    );
  });
  it('caps the Applications of one set, saying so', () => {
    const elements = Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, server: 's' }));
    const expansion = expandApplicationSet(
      { metadata: { name: 'many' }, spec: { generators: [{ list: { elements } }], template } },
      { ...inputs, limit: 10 },
    );
    assert.equal(expansion.applications.length, 10);
    assert.deepEqual(expansion.notes, [
      {
        reason: 'capped',
        message: 'it generates more than 10 Applications; only the first 10 are shown',
      },
    ]);
  });
  it('refuses duplicate Application names and templatePatch, generating nothing', () => {
    const duplicate = expandApplicationSet(
      {
        metadata: { name: 'd' },
        spec: {
          generators: [
            {
              list: {
                elements: [
                  { name: 'a', server: 's' },
                  { name: 'a', server: 't' },
                ],
              },
            },
          ],
          template,
        },
      },
      inputs,
    );
    assert.deepEqual(duplicate.applications, []);
    assert.equal(duplicate.notes[0]?.reason, 'invalid');
    assert.match(duplicate.notes[0]?.message ?? '', /two Applications named a-guestbook/);
    const patched = expandApplicationSet(
      {
        metadata: { name: 'p' },
        spec: { generators: [{ list: { elements: [] } }], template, templatePatch: 'spec: {}' },
      },
      inputs,
    );
    assert.equal(patched.notes[0]?.reason, 'unsupported');
    assert.match(patched.notes[0]?.message ?? '', /templatePatch is not applied offline/);
  });
  it("lays a generator's own template over the set's", () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'o' },
        spec: {
          generators: [
            {
              list: {
                elements: [{ name: 'x', server: 's' }],
                template: { metadata: {}, spec: { destination: { namespace: 'other' } } },
              },
            },
          ],
          template,
        },
      },
      inputs,
    );
    const spec = expansion.applications[0]?.resource.spec as {
      destination: Record<string, unknown>;
      project: string;
    };
    assert.deepEqual(spec.destination, { server: 's', namespace: 'other' });
    assert.equal(spec.project, 'default');
  });
});
