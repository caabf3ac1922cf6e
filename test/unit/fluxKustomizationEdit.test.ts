import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { applyCommonMetadata } from '../../server/src/engine/render/fluxCommonMetadata';
import {
  editKustomization,
  fluxEditOf,
  isEmptyEdit,
} from '../../server/src/engine/render/fluxKustomizationEdit';
import { RenderFailure } from '../../server/src/engine/render/types';

const FILE = '/repo/apps/web/kustomization.yaml';

describe('fluxEditOf', () => {
  it('keeps what Flux passes on: inline patches with selector fields, images by name', () => {
    const edit = fluxEditOf(
      {
        namespace: 'dev',
        namePrefix: 'p-',
        patches: [
          { patch: 'a', target: { kind: 'Deployment', labelSelector: 'x=y', extra: 1 } },
          { path: 'ignored.yaml' },
          { patch: 'b', options: { allowNameChange: true } },
        ],
        images: [{ name: 'nginx', newTag: '1' }, { newTag: 'no-name' }],
      },
      ['../comp'],
    );
    assert.deepEqual(edit, {
      namespace: 'dev',
      namePrefix: 'p-',
      patches: [
        { patch: 'a', target: { kind: 'Deployment', labelSelector: 'x=y' } },
        { patch: 'b' },
      ],
      images: [{ name: 'nginx', newTag: '1' }],
      components: ['../comp'],
    });
    assert.equal(isEmptyEdit(fluxEditOf({}, [])), true);
  });
});

describe('editKustomization', () => {
  it('replaces namespace and namePrefix, appends patches and components, merges images', () => {
    const text = [
      'namespace: own',
      'namePrefix: inner-',
      'resources: [deploy.yaml]',
      'patchesJson6902:',
      '  - target: {kind: Deployment, name: web}',
      '    path: old.yaml',
      'images:',
      '  - name: nginx',
      '    newTag: "1.0"',
      '    digest: sha256:abc',
      '',
    ].join('\n');
    const edited = editKustomization(
      text,
      {
        namespace: 'target',
        namePrefix: 'flux-',
        patches: [{ patch: 'p', target: { kind: 'Service' } }],
        images: [
          { name: 'nginx', newName: 'registry/nginx', newTag: '2.0' },
          { name: 'busybox', digest: 'sha256:def' },
        ],
        components: ['../comp'],
      },
      FILE,
    );
    assert.deepEqual(parse(edited), {
      namespace: 'target',
      namePrefix: 'flux-',
      resources: ['deploy.yaml'],
      patchesJson6902: [{ target: { kind: 'Deployment', name: 'web' }, path: 'old.yaml' }],
      images: [
        { name: 'nginx', newTag: '2.0', newName: 'registry/nginx' },
        { name: 'busybox', digest: 'sha256:def' },
      ],
      patches: [{ patch: 'p', target: { kind: 'Service' } }],
      components: ['../comp'],
    });
  });

  it('edits an empty kustomization', () => {
    const edited = editKustomization(
      '',
      { namespace: 'dev', patches: [], images: [], components: [] },
      FILE,
    );
    assert.deepEqual(parse(edited), { namespace: 'dev' });
  });

  it('refuses a kustomization it cannot edit faithfully, naming the file and what to do', () => {
    const edit = { namespace: 'dev', patches: [], images: [], components: [] };
    for (const text of ['namespace: a\nnamespace: b\n', '- a\n- b\n', 'patches: {a: 1}\n']) {
      assert.throws(
        () => editKustomization(text, { ...edit, patches: [{ patch: 'x' }] }, FILE),
        (error: unknown) =>
          error instanceof RenderFailure &&
          error.error.reason === 'refused' &&
          error.error.file === FILE &&
          /^kustomization\.yaml could not be edited as Flux edits it \(.+\), so the Flux Kustomization was not rendered: simplify its YAML/.test(
            error.error.message,
          ),
      );
    }
  });
});

describe('applyCommonMetadata', () => {
  it('merges labels and annotations into metadata only, leaving selectors and templates', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  labels:',
      '    app: web',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '',
    ].join('\n');
    const output = applyCommonMetadata(
      {
        yaml: text,
        fromCache: false,
        resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', text }],
      },
      { labels: { team: 'blue', app: 'over' }, annotations: { note: 'x' } },
    );
    const resource = output.resources[0];
    assert.ok(resource);
    assert.deepEqual(parse(resource.text), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'over', team: 'blue' }, annotations: { note: 'x' } },
      spec: { selector: { matchLabels: { app: 'web' } } },
    });
    assert.equal(output.yaml, resource.text);
  });
});
