import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FIELD_MANAGER,
  asAppliedBy,
  fieldManagerFor,
} from '../../server/src/engine/status/fieldManager';

type Entry = { manager: string; operation: string; fieldsV1?: unknown; subresource?: string };

const live = (...managedFields: Entry[]): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'app',
    namespace: 'default',
    labels: {
      app: 'x',
      'kustomize.toolkit.fluxcd.io/name': 'apps',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    },
    managedFields: managedFields.map((entry) => ({ apiVersion: 'v1', ...entry })),
  },
  data: { a: '1' },
});

const fields = (...names: string[]): unknown => ({
  'f:data': Object.fromEntries(names.map((name) => [`f:${name}`, {}])),
});

describe('the field manager a resource is compared as', () => {
  it('is the Flux controller when it applied the object', () => {
    const object = live(
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: fields('b') },
      { manager: 'kustomize-controller', operation: 'Apply', fieldsV1: fields('a') },
    );
    assert.equal(fieldManagerFor('FluxKustomization', object), 'kustomize-controller');
  });

  it('is ours when the controller only updated the object (client-side, as Helm 3)', () => {
    const object = live({ manager: 'helm-controller', operation: 'Update', fieldsV1: fields('a') });
    assert.equal(fieldManagerFor('FluxHelmRelease', object), FIELD_MANAGER);
  });

  it('is argocd-controller only when Argo CD applied server-side', () => {
    const applied = live({
      manager: 'argocd-controller',
      operation: 'Apply',
      fieldsV1: fields('a'),
    });
    assert.equal(fieldManagerFor('ArgoApplication', applied), 'argocd-controller');
    const updated = live({
      manager: 'argocd-controller',
      operation: 'Update',
      fieldsV1: fields('a'),
    });
    assert.equal(fieldManagerFor('ArgoApplication', updated), FIELD_MANAGER);
  });

  it("is never another app kind's controller, nor a manager of the status subresource", () => {
    const object = live(
      { manager: 'kubectl', operation: 'Apply', fieldsV1: fields('a') },
      { manager: 'kustomize-controller', operation: 'Apply', subresource: 'status', fieldsV1: {} },
    );
    assert.equal(fieldManagerFor('FluxKustomization', object), FIELD_MANAGER);
  });

  it('is, for a folder, the Apply manager owning the most fields, if only one does', () => {
    const object = live(
      { manager: 'kubectl', operation: 'Apply', fieldsV1: fields('a', 'b', 'c') },
      { manager: 'other', operation: 'Apply', fieldsV1: fields('d') },
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: fields('e', 'f', 'g', 'h') },
    );
    assert.equal(fieldManagerFor('Folder', object), 'kubectl');
    const tie = live(
      { manager: 'kubectl', operation: 'Apply', fieldsV1: fields('a') },
      { manager: 'other', operation: 'Apply', fieldsV1: fields('d') },
    );
    assert.equal(fieldManagerFor('Folder', tie), FIELD_MANAGER);
    assert.equal(fieldManagerFor('Folder', live()), FIELD_MANAGER);
  });
});

describe('the desired object as its controller applies it', () => {
  const desired = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app', namespace: 'default', labels: { app: 'x' } },
    data: { a: '1' },
  };

  it("gets Flux's tracking labels from live, and nothing else", () => {
    const applied = asAppliedBy(desired, live(), 'kustomize-controller');
    assert.deepEqual(applied.metadata, {
      name: 'app',
      namespace: 'default',
      labels: {
        app: 'x',
        'kustomize.toolkit.fluxcd.io/name': 'apps',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
    });
    assert.deepEqual(desired.metadata.labels, { app: 'x' }, 'the desired object is not changed');
  });

  it('is left as it is for a manager that adds nothing', () => {
    assert.equal(asAppliedBy(desired, live(), 'kubectl'), desired);
    assert.equal(asAppliedBy(desired, live(), FIELD_MANAGER), desired);
  });

  it('keeps a value Git sets itself', () => {
    const own = {
      ...desired,
      metadata: { ...desired.metadata, labels: { 'kustomize.toolkit.fluxcd.io/name': 'mine' } },
    };
    const applied = asAppliedBy(own, live(), 'kustomize-controller');
    assert.deepEqual(applied.metadata, {
      name: 'app',
      namespace: 'default',
      labels: {
        'kustomize.toolkit.fluxcd.io/name': 'mine',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
    });
  });
});
