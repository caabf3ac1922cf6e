/**
 * A generated GitOps monorepo for the benchmarks: shared Kustomize bases, every app a base and
 * one overlay per environment over one of them, local Helm charts deployed by Argo CD
 * Applications, and an ApplicationSet whose git directory generator deploys the tenant folders.
 *
 *   bases/<shared>/            Deployment + Service (+ ConfigMap) shared by many apps
 *   apps/<app>/base/           the app: a shared base with its name prefix and labels
 *   apps/<app>/overlays/<env>/ the app in one environment: replicas and image tag
 *   charts/<chart>/            a Helm chart; argocd/charts/<chart>.yaml deploys it
 *   tenants/<tenant>/          plain manifests; argocd/tenants.yaml generates one app each
 *
 * The layout is what the issues describe as the usual monorepo; it is written by this module,
 * not taken from a real repository, so its size can be chosen.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface MonorepoShape {
  readonly apps: number;
  readonly environments: readonly string[];
  readonly sharedBases: number;
  readonly charts: number;
  readonly tenants: number;
  /** The repoURL the Argo CD objects name this repository by. */
  readonly repoUrl: string;
}

/** A unit as a CI script would list it: what it runs and in which folder. */
export interface ScriptUnit {
  /** `plain`: the folder's YAML files as they are. */
  readonly tool: 'kustomize' | 'helm' | 'plain';
  /** Folder relative to the repository root, `/`-separated. */
  readonly dir: string;
  /** Release name for helm. */
  readonly release?: string;
}

export const sharedBaseName = (index: number): string => `shared-${index}`;
export const appName = (index: number): string => `app${String(index).padStart(3, '0')}`;

async function write(root: string, relative: string, text: string): Promise<void> {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

function sharedBase(name: string): Record<string, string> {
  return {
    'kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - LOG_LEVEL=info\n',
    'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/part-of: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.0.0
          ports:
            - containerPort: 8080
              name: http
          envFrom:
            - configMapRef:
                name: settings
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
`,
    'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - name: http
      port: 80
      targetPort: http
`,
  };
}

function appBase(app: string, shared: string): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: ${app}-
labels:
  - pairs:
      app.kubernetes.io/instance: ${app}
resources:
  - ../../../bases/${shared}
`;
}

function overlay(app: string, env: string, index: number): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${app}-${env}
resources:
  - ../../base
images:
  - name: ghcr.io/example/web
    newTag: 1.${index % 7}.0
patches:
  - target:
      kind: Deployment
      name: web
    patch: |
      - op: replace
        path: /spec/replicas
        value: ${env === 'production' ? 3 : 1}
`;
}

function chart(name: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0.0"\n`,
    'values.yaml': 'replicaCount: 2\nimage:\n  repository: ghcr.io/example/api\n  tag: 2.0.0\n',
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .Release.Name }}
    spec:
      containers:
        - name: api
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`,
    'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app.kubernetes.io/name: {{ .Release.Name }}
  ports:
    - port: 80
`,
  };
}

function chartApplication(name: string, repoUrl: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoUrl}
    targetRevision: HEAD
    path: charts/${name}
  destination:
    name: production
    namespace: ${name}
`;
}

function tenantSet(repoUrl: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tenants
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${repoUrl}
        revision: HEAD
        directories:
          - path: tenants/*
  template:
    metadata:
      name: 'tenant-{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: ${repoUrl}
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        name: production
        namespace: 'tenant-{{path.basename}}'
`;
}

function tenant(name: string): string {
  return `apiVersion: v1
kind: ResourceQuota
metadata:
  name: ${name}-quota
  namespace: tenant-${name}
spec:
  hard:
    pods: "20"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}-deployer
  namespace: tenant-${name}
`;
}

/** Writes the repository's files under `root` and returns the units a CI script would render. */
export async function writeMonorepo(root: string, shape: MonorepoShape): Promise<ScriptUnit[]> {
  const units: ScriptUnit[] = [];
  for (let b = 0; b < shape.sharedBases; b++) {
    const name = sharedBaseName(b);
    for (const [file, text] of Object.entries(sharedBase(name))) {
      await write(root, `bases/${name}/${file}`, text);
    }
    units.push({ tool: 'kustomize', dir: `bases/${name}` });
  }
  for (let a = 0; a < shape.apps; a++) {
    const app = appName(a);
    await write(
      root,
      `apps/${app}/base/kustomization.yaml`,
      appBase(app, sharedBaseName(a % shape.sharedBases)),
    );
    units.push({ tool: 'kustomize', dir: `apps/${app}/base` });
    for (const env of shape.environments) {
      await write(root, `apps/${app}/overlays/${env}/kustomization.yaml`, overlay(app, env, a));
      units.push({ tool: 'kustomize', dir: `apps/${app}/overlays/${env}` });
    }
  }
  for (let c = 0; c < shape.charts; c++) {
    const name = `api-${c}`;
    for (const [file, text] of Object.entries(chart(name))) {
      await write(root, `charts/${name}/${file}`, text);
    }
    await write(root, `argocd/charts/${name}.yaml`, chartApplication(name, shape.repoUrl));
    units.push({ tool: 'helm', dir: `charts/${name}`, release: name });
  }
  if (shape.tenants > 0) {
    await write(root, 'argocd/tenants.yaml', tenantSet(shape.repoUrl));
    for (let t = 0; t < shape.tenants; t++) {
      await write(root, `tenants/team-${t}/manifests.yaml`, tenant(`team-${t}`));
      units.push({ tool: 'plain', dir: `tenants/team-${t}` });
    }
  }
  await write(root, 'README.md', '# Generated GitOps monorepo for the benchmarks\n');
  return units;
}

export const MISSING_CONFIG_MAP = 'worker-settings';

/** A Deployment whose `envFrom` names a ConfigMap no unit defines. */
export const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: worker
  template:
    metadata:
      labels:
        app.kubernetes.io/name: worker
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/worker:1.0.0
          envFrom:
            - configMapRef:
                name: ${MISSING_CONFIG_MAP}
`;

/**
 * Adds `worker.yaml` (WORKER) to the base of app `index`: a mistake only the rendered output
 * shows. Returns the file.
 */
export async function writeWorkerMistake(root: string, index: number): Promise<string> {
  const base = path.join(root, 'apps', appName(index), 'base');
  const file = path.join(base, 'worker.yaml');
  await fs.writeFile(file, WORKER);
  await fs.appendFile(path.join(base, 'kustomization.yaml'), '  - worker.yaml\n');
  return file;
}
