// Pure parts of the render engine, in plain Node (no tool runs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeValues, setAtPath } from '../../server/src/engine/render/helmValues';
import { withOriginAnnotations } from '../../server/src/engine/render/kustomizeRenderer';
import { readKustomization } from '../../server/src/engine/kustomize/kustomizationReader';
import {
  helmOrigin,
  splitDocuments,
  stripOriginAnnotation,
} from '../../server/src/engine/render/provenance';
import { RenderCache } from '../../server/src/engine/render/renderCache';
import { isRemoteReference } from '../../server/src/engine/render/renderSafety';
import { ToolQueue } from '../../server/src/engine/render/toolQueue';
import { argoImages } from '../../server/src/engine/render/argoUnits';

describe('render helpers', () => {
  it('tells remote kustomize resources from local paths', () => {
    for (const remote of [
      'https://github.com/org/repo//base',
      'github.com/org/repo/base?ref=v1',
      'git::https://example.com/repo.git',
      'git@github.com:org/repo.git//base',
      'ssh://git@example.com/repo.git',
      'gitlab.com/org/repo//base',
    ]) {
      assert.equal(isRemoteReference(remote), true, remote);
    }
    for (const local of ['../base', 'deployment.yaml', './github.com/vendored', 'git/base']) {
      assert.equal(isRemoteReference(local), false, local);
    }
  });

  it('adds originAnnotations to buildMetadata once, keeping what was there', () => {
    assert.deepEqual(withOriginAnnotations('resources:\n  - a.yaml\n'), {
      text: 'resources:\n  - a.yaml\nbuildMetadata:\n  - originAnnotations\n',
      hadOrigin: false,
    });
    assert.equal(
      withOriginAnnotations('buildMetadata: [managedByLabel]\n').text,
      'buildMetadata: [ managedByLabel, originAnnotations ]\n',
    );
    assert.equal(withOriginAnnotations('buildMetadata: [originAnnotations]\n').hadOrigin, true);
    const twoDocuments = 'resources: [a.yaml]\n---\nresources: [b.yaml]\n';
    assert.deepEqual(withOriginAnnotations(twoDocuments), { text: twoDocuments, hadOrigin: false });
    assert.match(
      withOriginAnnotations('resources: [a.yaml]\nresources: [b.yaml]\n').text,
      /buildMetadata:\n {2}- originAnnotations/,
    );
    // Plain block maps get the key as their last lines; anything else goes through the YAML
    // package. Either way kustomize reads the same fields, and the origins.
    for (const text of [
      'resources:\n  - a.yaml\n\n# spaced out\nnamespace: x\n',
      'resources:\n  - a.yaml\npatches:\n  - patch: |\n      - op: remove\n        path: /x\n',
      'resources:\n  - a.yaml\npatches:\n  - patch: |\n      - op: remove',
      '{resources: [a.yaml]}\n',
      'BuildMetadata: [managedByLabel]\nresources: [a.yaml]\n',
      'resources:\n  - a.yaml\n  # an indented comment last\n',
    ]) {
      const annotated = withOriginAnnotations(text).text;
      const { buildMetadata: before, ...read } = readKustomization(text);
      const { buildMetadata: after, ...again } = readKustomization(annotated);
      assert.deepEqual(again, read, text);
      assert.deepEqual(after, [...before, 'originAnnotations'], text);
    }
    assert.equal(
      withOriginAnnotations('resources:\n  - a.yaml\n\nnamespace: x\n').text,
      'resources:\n  - a.yaml\n\nnamespace: x\nbuildMetadata:\n  - originAnnotations\n',
    );
  });

  it('removes the origin annotation and an annotations map it leaves empty', () => {
    const only =
      'apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../base/service.yaml\n  name: web\n';
    assert.deepEqual(stripOriginAnnotation(only), {
      text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
      origin: { path: '../base/service.yaml' },
    });
    const more =
      'metadata:\n  annotations:\n    a: b\n    config.kubernetes.io/origin: |\n      path: x.yaml\n  name: web\n';
    assert.equal(
      stripOriginAnnotation(more).text,
      'metadata:\n  annotations:\n    a: b\n  name: web\n',
    );
  });

  it('splits a stream and maps Helm sources into the chart folder', () => {
    const docs = splitDocuments(
      '---\n# Source: app/templates/a.yaml\nkind: A\n---\n# Source: app/charts/db/templates/b.yaml\nkind: B\n',
    );
    assert.equal(docs.length, 2);
    assert.deepEqual(helmOrigin(docs[1] ?? '', '/repo/app'), {
      file: '/repo/app/charts/db/templates/b.yaml',
      via: 'app/charts/db/templates/b.yaml',
    });
  });

  it('merges values as Helm does and sets a Flux targetPath', () => {
    assert.deepEqual(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, e: 2 }), {
      a: { b: 1, c: [2] },
      d: 1,
      e: 2,
    });
    const values = {};
    setAtPath(values, 'ingress.annotations.example\\.com/x', 'y');
    assert.deepEqual(values, { ingress: { annotations: { 'example.com/x': 'y' } } });
  });

  it('turns Argo CD image overrides into kustomize images', () => {
    assert.deepEqual(
      argoImages([
        'ghcr.io/org/app:1.2.3',
        'nginx=registry.example.com/nginx:1.27',
        'redis@sha256:abc',
      ]),
      [
        { name: 'ghcr.io/org/app', newTag: '1.2.3' },
        { name: 'nginx', newName: 'registry.example.com/nginx', newTag: '1.27' },
        { name: 'redis', digest: 'sha256:abc' },
      ],
    );
  });

  it('queues tool runs beyond the limit and drops a queued run when it is cancelled', async () => {
    const queue = new ToolQueue(1);
    const order: string[] = [];
    let releaseFirst = (): void => {};
    const first = queue.run(
      () =>
        new Promise<void>((resolve) => {
          order.push('first started');
          releaseFirst = resolve;
        }),
    );
    const controller = new AbortController();
    const cancelled = queue.run(
      () => Promise.resolve(order.push('cancelled run started')),
      controller.signal,
    );
    const second = queue.run(() => Promise.resolve(order.push('second started')));
    controller.abort();
    await assert.rejects(
      cancelled,
      (error: { error?: { reason?: string } }) => error.error?.reason === 'cancelled',
    );
    assert.deepEqual(order, ['first started']);
    releaseFirst();
    await first;
    await second;
    assert.deepEqual(order, ['first started', 'second started']);
  });

  it('keeps the most recently used renders', () => {
    const cache = new RenderCache(2);
    const entry = { yaml: '', resources: [] };
    cache.set('a', entry);
    cache.set('b', entry);
    cache.get('a');
    cache.set('c', entry);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a'));
    assert.equal(cache.size, 2);
  });
});
