import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppImpact, BranchImpact, ImpactResource } from '../../server/src/protocol';
import {
  appChildren,
  appDescription,
  diffTitle,
  resourceBadge,
  rootNodes,
  sidesOf,
} from '../../client/src/branchImpactNodes';

function resource(change: ImpactResource['change'], paths: string[] = []): ImpactResource {
  return {
    id: `apps/Deployment/default/web-${change}`,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: `web-${change}`,
    namespace: 'default',
    change,
    changedPaths: paths,
    diff: '',
  };
}

function app(name: string, resources: ImpactResource[], extra: Partial<AppImpact> = {}): AppImpact {
  return {
    app: name,
    kind: 'kustomize',
    path: `apps/${name}`,
    clusters: [],
    status: 'changed',
    resources,
    findings: [],
    errorChanged: false,
    ...extra,
  };
}

function impact(apps: AppImpact[], extra: Partial<BranchImpact> = {}): BranchImpact {
  return {
    base: { ref: 'main', sha: 'a'.repeat(40), how: 'mergeBase' },
    head: { ref: 'feature', sha: 'b'.repeat(40) },
    changedFiles: ['bases/web/deployment.yaml'],
    apps,
    renders: { units: 2, base: 2, head: 2 },
    ...extra,
  };
}

describe('Branch Impact tree', () => {
  it('heads the apps with "<head> against <base>" and counts their changes by kind', () => {
    const staging = app('staging', [
      resource('modified', ['spec.template.spec.containers[0].image']),
      resource('added'),
    ]);
    const nodes = rootNodes(impact([{ ...staging, clusters: ['staging'] }]));
    assert.deepEqual(
      nodes.map((node) =>
        node.type === 'app' ? node.app.app : node.type === 'header' ? node.label : '',
      ),
      ['feature against main', 'staging'],
    );
    assert.equal(
      appDescription({ ...staging, clusters: ['staging'] }),
      'staging · 1 changed, 1 added, 0 removed',
    );
    assert.match(appDescription(staging), /^cluster not named in the repo · /);
  });

  it('says so when nothing rendered changes, and shows why when the engine could not compare', () => {
    const none = rootNodes(impact([]));
    assert.equal(
      none[1]?.type === 'message' && none[1].label,
      'No rendered change between feature and main.',
    );
    const unusable = rootNodes(
      impact([], { unusable: { message: 'kustomize was not found: install it, then try again.' } }),
    );
    assert.equal(
      unusable[1]?.type === 'message' && unusable[1].label,
      'kustomize was not found: install it, then try again.',
    );
  });

  it('lists the findings the branch brings before the resources, each resource with its badge', () => {
    const node = rootNodes(
      impact([
        app('production', [resource('modified', ['a', 'b', 'c', 'd']), resource('removed')], {
          findings: [
            {
              severity: 'warning',
              code: 'deprecated-api-version',
              message: 'x',
              file: 'f',
              line: 1,
            },
          ],
        }),
      ]),
    )[1];
    assert.ok(node);
    const children = appChildren(node, { base: 'main', head: 'feature' });
    assert.deepEqual(
      children.map((child) => child.type),
      ['finding', 'resource', 'resource'],
    );
    const badges = children.flatMap((child) =>
      child.type === 'resource' ? [resourceBadge(child.resource)] : [],
    );
    assert.deepEqual(badges, ['modified: a, b, c, …', 'removed']);
  });

  it('titles the diff "<kind>/<name> (<base> ↔ <head>)", naming a side without a ref by its SHA', () => {
    const sides = sidesOf(impact([], { head: { ref: '', sha: 'c'.repeat(40) } }));
    assert.equal(
      diffTitle(resource('added'), sides),
      `Deployment/web-added (main ↔ ${'c'.repeat(12)})`,
    );
  });
});
