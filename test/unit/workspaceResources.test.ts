import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WorkspaceResources, crossResourceChecks } from '../../server/src/engine/crossref';
import type {
  RenderedUnitResources,
  UnitResource,
  WorkspaceView,
} from '../../server/src/engine/crossref';
import { ResourceIndex } from '../../server/src/engine/crossref/resourceIndex';
import type { IndexedResource, Workload } from '../../server/src/engine/crossref/resourceIndex';

/*
 * WorkspaceResources merges the units' maps once instead of asking every unit's index on every
 * question, and lists each resource once. What a unit's checks see through it must stay what
 * they saw when it asked every unit's index in unit order (the reference below): a unit's index
 * given either one answers every question the same, compared on random workspaces.
 */

const NAMESPACES = ['', 'apps', 'db', 'default'];
const NAMES = ['web', 'api', 'cache', 'db'];
const LABELS = [
  { app: 'web' },
  { app: 'api', tier: 'backend' },
  { tier: 'backend' },
  { app: 'web', version: 2 },
];
const GROUPS = ['', 'example.io'];

/** One resource: a workload with pod labels, a Service, a Secret-making resource, or other kinds. */
const resource = fc
  .record({
    shape: fc.constantFrom(
      'Deployment',
      'StatefulSet',
      'Service',
      'Secret',
      'SealedSecret',
      'Certificate',
      'ClusterRole',
      'Database',
      'ConfigMap',
    ),
    name: fc.constantFrom(...NAMES),
    namespace: fc.constantFrom(...NAMESPACES),
    labels: fc.constantFrom(...LABELS),
    made: fc.constantFrom(...NAMES),
  })
  .map(({ shape, name, namespace, labels, made }): Omit<UnitResource, 'id'> => {
    const apiVersion = {
      Deployment: 'apps/v1',
      StatefulSet: 'apps/v1',
      SealedSecret: 'bitnami.com/v1alpha1',
      Certificate: 'cert-manager.io/v1',
      ClusterRole: 'rbac.authorization.k8s.io/v1',
      Database: 'example.io/v1',
    }[shape as string];
    const spec: Record<string, unknown> =
      shape === 'Deployment' || shape === 'StatefulSet'
        ? { template: { metadata: { labels }, spec: { containers: [{ name: 'c' }] } } }
        : shape === 'SealedSecret'
          ? { template: { metadata: { name: made } } }
          : shape === 'Certificate'
            ? { secretName: made }
            : {};
    const metadata = { name, ...(namespace ? { namespace } : {}) };
    return {
      object: { apiVersion: apiVersion ?? 'v1', kind: shape, metadata, spec },
      ref: {
        apiVersion: apiVersion ?? 'v1',
        kind: shape,
        name,
        ...(namespace ? { namespace } : {}),
      },
    };
  });

const units = fc.array(
  fc.record({
    resources: fc.array(resource, { maxLength: 6 }),
    defaultNamespace: fc.option(fc.constantFrom('apps', 'db'), { nil: undefined }),
  }),
  { maxLength: 5 },
);

/** The answers of asking each unit's index in turn (what WorkspaceResources did before). */
class EveryUnit implements WorkspaceView {
  private readonly indexes: ResourceIndex[];
  constructor(rendered: readonly RenderedUnitResources[]) {
    this.indexes = rendered.map((unit) => new ResourceIndex(unit.resources, unit.options ?? {}));
  }
  exists(kind: string, namespace: string, name: string, group?: string): boolean {
    return this.indexes.some((index) => index.exists(kind, namespace, name, group));
  }
  workloads(namespace: string): Workload[] {
    return this.indexes.flatMap((index) => [...index.workloads(namespace)]);
  }
  workloadsLabelled(namespace: string, key: string, value: string): Workload[] {
    return this.indexes.flatMap((index) => [...index.workloadsLabelled(namespace, key, value)]);
  }
  namesOf(kind: string, namespace: string): string[] {
    return this.indexes.flatMap((index) => index.namesOf(kind, namespace));
  }
  podSourcesUnseen(namespace: string): IndexedResource[] {
    return this.indexes.flatMap((index) => [...index.podSourcesUnseen(namespace)]);
  }
  definesNamed(kind: string, name: string, group?: string): boolean {
    return this.indexes.some((index) => index.definesNamed(kind, name, group));
  }
}

const KINDS = ['Deployment', 'Service', 'Secret', 'ClusterRole', 'Database', 'ConfigMap'];
const SELECTORS: Array<Record<string, string>> = [
  { app: 'web' },
  { app: 'web', version: '2' },
  { version: '2', app: 'web' },
  { app: 'api', tier: 'backend' },
];
const LABEL_KEYS: Array<[string, string]> = [
  ['app', 'web'],
  ['app', 'api'],
  ['tier', 'backend'],
  ['version', '2'],
];

describe('WorkspaceResources', () => {
  it("gives a unit's checks the answers of asking each unit in turn, in the same order", () => {
    fc.assert(
      fc.property(units, fc.nat(), (generated, pick) => {
        const rendered: RenderedUnitResources[] = generated.map((unit, u) => ({
          resources: unit.resources.map((item, i) => ({ ...item, id: `${u}/${i}` })),
          options: unit.defaultNamespace ? { defaultNamespace: unit.defaultNamespace } : {},
        }));
        // The unit checked is one of the workspace's (its resources repeat there) or a new one.
        const own = rendered[pick % (rendered.length + 1)]?.resources ?? [];
        const merged = new ResourceIndex(own, { workspace: new WorkspaceResources(rendered) });
        const reference = new ResourceIndex(own, { workspace: new EveryUnit(rendered) });
        // Each question twice: the second answer comes from what was kept.
        for (let round = 0; round < 2; round++) {
          for (const namespace of NAMESPACES) {
            assert.deepEqual(merged.workloads(namespace), reference.workloads(namespace));
            assert.deepEqual(
              merged.podSourcesUnseen(namespace),
              reference.podSourcesUnseen(namespace),
            );
            for (const [key, value] of LABEL_KEYS) {
              assert.deepEqual(
                merged.workloadsLabelled(namespace, key, value),
                reference.workloadsLabelled(namespace, key, value),
              );
            }
            for (const selector of SELECTORS) {
              const selected = merged.workloadsSelecting(namespace, selector);
              assert.deepEqual(selected, reference.workloadsSelecting(namespace, selector));
              // Whatever label it looks up by: every copy matched first, then each kept once.
              const every = [own, ...rendered.map((unit) => unit.resources)].flatMap(
                (resources, u) =>
                  new ResourceIndex(
                    resources,
                    u === 0 ? {} : (rendered[u - 1]?.options ?? {}),
                  ).entries.filter(
                    (entry) =>
                      entry.pods !== undefined &&
                      entry.namespace === namespace &&
                      Object.entries(selector).every(
                        ([key, value]) => String(entry.pods?.labels[key]) === value,
                      ),
                  ),
              );
              const seen = new Set<string>();
              const once = every.filter((entry) => {
                const key = `${entry.group}/${entry.kind}/${entry.name}`;
                const first = !seen.has(key);
                seen.add(key);
                return first;
              });
              assert.deepEqual(
                selected.map((workload) => workload.resource.id),
                once.map((entry) => entry.resource.id),
              );
            }
            for (const kind of KINDS) {
              assert.deepEqual(merged.namesOf(kind, namespace), reference.namesOf(kind, namespace));
              for (const name of NAMES) {
                for (const group of [undefined, ...GROUPS]) {
                  assert.equal(
                    merged.exists(kind, namespace, name, group),
                    reference.exists(kind, namespace, name, group),
                    `exists(${kind}, ${namespace}, ${name}, ${group})`,
                  );
                  assert.equal(
                    merged.definesNamed(kind, name, group),
                    reference.definesNamed(kind, name, group),
                    `definesNamed(${kind}, ${name}, ${group})`,
                  );
                }
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a Secret that another unit makes from a SealedSecret, and a Deployment by pod label', () => {
    const workspace = new WorkspaceResources([
      {
        resources: [
          {
            id: 'a',
            object: { spec: { template: { metadata: { name: 'db-password' } } } },
            ref: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'sealed' },
          },
        ],
        options: { defaultNamespace: 'db' },
      },
      {
        resources: [
          {
            id: 'b',
            object: {
              spec: { template: { metadata: { labels: { app: 'web' } }, spec: {} } },
            },
            ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' },
          },
        ],
      },
    ]);
    assert.equal(workspace.exists('Secret', 'db', 'db-password'), true);
    assert.equal(workspace.exists('Secret', 'apps', 'db-password'), false);
    assert.deepEqual(
      workspace.workloadsLabelled('apps', 'app', 'web').map((workload) => workload.name),
      ['web'],
    );
    assert.deepEqual(workspace.workloadsLabelled('apps', 'app', 'api'), []);
  });

  it('finds the pods of a Service by its rarest label when every base shares its first one', () => {
    // 200 bases render a Deployment labelled `name: web` into the same namespace; only one has
    // the Service's instance label, and only its container names the port `http`.
    const deployment = (app: number, port: string): UnitResource => ({
      id: `d${app}`,
      object: {
        spec: {
          template: {
            metadata: { labels: { name: 'web', instance: `app${app}` } },
            spec: { containers: [{ name: 'web', ports: [{ name: port, containerPort: 80 }] }] },
          },
        },
      },
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: `app${app}-web` },
    });
    const workspace = new WorkspaceResources(
      Array.from({ length: 200 }, (_, app) => ({
        resources: [deployment(app, app === 7 ? 'http' : 'metrics')],
      })),
    );
    const service = (instance: string): UnitResource => ({
      id: 's',
      object: {
        spec: {
          selector: { name: 'web', instance },
          ports: [{ port: 80, targetPort: 'http' }],
        },
      },
      ref: { apiVersion: 'v1', kind: 'Service', name: 'web' },
    });
    assert.deepEqual(crossResourceChecks([service('app7')], { workspace }), []);
    assert.deepEqual(
      crossResourceChecks([service('app8')], { workspace }).map(({ code, message }) => [
        code,
        message,
      ]),
      [
        [
          'service-target-port-missing',
          'targetPort "http" is not the name of a container port of the pods this Service ' +
            'selects (Deployment "app8-web"), so traffic to it goes nowhere. Use one of the ' +
            'named ports "metrics" or a port number.',
        ],
      ],
    );
  });

  it('selects the copy of a Deployment whose pod labels match, whatever label comes first', () => {
    // Three units render Deployment "web" into one namespace with different pod labels (one
    // copy lacks the first label, one the second); two more render others with the first.
    const deployment = (
      id: string,
      name: string,
      labels: Record<string, string>,
    ): UnitResource => ({
      id,
      object: { spec: { template: { metadata: { labels }, spec: { containers: [] } } } },
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'apps' },
    });
    const workspace = new WorkspaceResources([
      { resources: [deployment('a', 'web', { app: 'web', env: 'staging' })] },
      { resources: [deployment('a2', 'web', { env: 'prod' })] },
      { resources: [deployment('b', 'web', { app: 'web', env: 'prod' })] },
      { resources: [deployment('c', 'other', { app: 'web' })] },
      { resources: [deployment('d', 'more', { app: 'web' })] },
    ]);
    for (const selector of [
      { app: 'web', env: 'prod' },
      { env: 'prod', app: 'web' },
    ]) {
      const service: UnitResource = {
        id: 's',
        object: { spec: { selector, ports: [{ port: 80 }] } },
        ref: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'apps' },
      };
      assert.deepEqual(crossResourceChecks([service], { workspace }), [], JSON.stringify(selector));
    }
  });
});
