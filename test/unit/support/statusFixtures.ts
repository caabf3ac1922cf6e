// Answers of the language server for the Clusters tree's tests: a context, an app and a resource
// as the server describes them, each with the fields a test may override.
import type { AppSummary, ContextInfo, ResourceStatus } from '../../../server/src/protocol';

export const info: ContextInfo = {
  name: 'kind-staging',
  cluster: 'kind-staging',
  user: 'kind-staging',
  namespace: undefined,
  server: 'https://127.0.0.1:6443',
  file: '/home/me/.kube/config',
  current: true,
};

export function app(overrides: Partial<AppSummary> = {}): AppSummary {
  return {
    id: 'kind-staging/FluxKustomization/flux-system/podinfo',
    context: 'kind-staging',
    kind: 'FluxKustomization',
    name: 'podinfo',
    namespace: 'flux-system',
    source: { url: 'https://github.com/example/fleet', path: './apps/podinfo', ref: 'main' },
    controller: { ready: 'True', revision: 'main@sha1:0123abc', message: 'Applied revision' },
    match: {
      unitId: 'kustomize:apps/podinfo',
      root: '/work/fleet/apps/podinfo',
      how: 'definition',
    },
    sync: 'OutOfSync',
    counts: { Synced: 3, OutOfSync: 2, Missing: 1, Extra: 1, Unknown: 0 },
    desiredFrom: 'workingTree',
    comparison: 'serverSideDryRun',
    ...overrides,
  };
}

export function resource(overrides: Partial<ResourceStatus> = {}): ResourceStatus {
  return {
    id: 'apps/Deployment/podinfo/podinfo',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'podinfo',
    name: 'podinfo',
    sync: 'OutOfSync',
    health: { status: 'Healthy', message: '2 of 2 replicas available' },
    changedPaths: ['spec.replicas'],
    comparison: 'serverSideDryRun',
    origin: { file: '/work/fleet/apps/podinfo/deployment.yaml', line: 3 },
    ...overrides,
  };
}
