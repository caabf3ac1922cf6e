/**
 * A small GitOps repository for the branch impact tests: a shared base with two overlays, a
 * Helm chart, and the Flux `clusters/staging` + `clusters/production` layout pointing at them.
 */
import { tempRepo } from './gitRepos';
import type { TempRepo } from './gitRepos';

/** A Secret value (and a SOPS-like one) no report may show. */
export const SECRET_BEFORE = 'hunter2-base-password';
export const SECRET_AFTER = 'hunter3-head-password';
export const SOPS_BEFORE = 'ENC[AES256_GCM,data:c29wcy1iZWZvcmU=,iv:aXY=,tag:dGFn,type:str]';
export const SOPS_AFTER = 'ENC[AES256_GCM,data:c29wcy1hZnRlcg==,iv:aXY=,tag:dGFn,type:str]';

export function deployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  labels:
    app: podinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: podinfo
  template:
    metadata:
      labels:
        app: podinfo
    spec:
      containers:
        - name: podinfo
          image: ${image}
`;
}

export function secret(password: string, sops: string): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: podinfo-auth
type: Opaque
data:
  password: ${Buffer.from(password).toString('base64')}
stringData:
  token: ${sops}
`;
}

export function overlay(namespace: string, replicas: number): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
  - ../../bases/podinfo
patches:
  - target:
      kind: Deployment
      name: podinfo
    patch: |
      - op: replace
        path: /spec/replicas
        value: ${replicas}
`;
}

function fluxApps(cluster: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@example.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo-${cluster}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./overlays/${cluster}
  prune: true
`;
}

const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 10m
  targetNamespace: web
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
  values:
    greeting: hello staging
`;

export const FILES: Record<string, string> = {
  'README.md': '# fleet\n',
  'bases/podinfo/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - secret.yaml\n',
  'bases/podinfo/deployment.yaml': deployment('ghcr.io/stefanprodan/podinfo:6.5.0'),
  'bases/podinfo/secret.yaml': secret(SECRET_BEFORE, SOPS_BEFORE),
  'overlays/staging/kustomization.yaml': overlay('staging', 2),
  'overlays/production/kustomization.yaml': overlay('production', 3),
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'greeting: hello\n',
  'charts/web/templates/configmap.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'clusters/staging/apps.yaml': fluxApps('staging'),
  'clusters/staging/web.yaml': HELM_RELEASE,
  'clusters/production/apps.yaml': fluxApps('production'),
};

/** The repository on `main`, pushed, then on a new branch `feature` for the change. */
export function impactRepo(): TempRepo {
  const repo = tempRepo(FILES);
  repo.git('checkout', '--quiet', '-b', 'feature');
  return repo;
}
