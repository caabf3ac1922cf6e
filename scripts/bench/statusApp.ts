/**
 * The app of `npm run bench:status`: a Flux Kustomization of exactly 1,000 resources (plus its
 * Namespace) in a new git repository, and its deployment on a control plane as Flux would.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { deployFluxApp } from '../harness/demoCluster';
import type { ControlPlane } from '../harness/controlPlane';

export const BENCH_APP = {
  name: 'bench',
  namespace: 'flux-system',
  targetNamespace: 'bench',
} as const;

/** How many objects of each kind the app holds: 1,000 in all, the Namespace not counted. */
export const BENCH_MIX = {
  ConfigMap: 300,
  Service: 300,
  Deployment: 250,
  ServiceAccount: 100,
  Secret: 50,
} as const;

export const BENCH_RESOURCES = Object.values(BENCH_MIX).reduce((sum, n) => sum + n, 0);

/** Objects per file, as a team splits a large app. */
const PER_FILE = 50;

type Doc = Record<string, unknown>;

const pad = (i: number): string => String(i).padStart(4, '0');

/**
 * Deployment `i` and its Service select the same pods; extra Services front nothing. One Service
 * in three is headless (as for peer discovery): the harness's service range (/24) holds at most
 * 253 cluster IPs.
 */
export function deploymentName(i: number): string {
  return `svc-${pad(i)}`;
}

function configMap(i: number): Doc {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `config-${pad(i)}`, labels: { 'app.kubernetes.io/part-of': 'bench' } },
    data: {
      LOG_LEVEL: i % 3 === 0 ? 'debug' : 'info',
      FEATURE_FLAGS: `search,export,beta-${i % 7}`,
      'app.properties': `server.port=8080\ncache.size=${64 + (i % 16)}\nregion=eu-west-${1 + (i % 3)}\n`,
    },
  };
}

function service(i: number): Doc {
  const name = deploymentName(i);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      ...(i % 3 === 2 ? { clusterIP: 'None' } : {}),
      selector: { 'app.kubernetes.io/name': name },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function deployment(i: number): Doc {
  const name = deploymentName(i);
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: `sa-${pad(i % BENCH_MIX.ServiceAccount)}`,
          containers: [
            {
              name: 'app',
              image: `registry.example.com/bench/app:1.${i % 10}.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
              envFrom: [{ configMapRef: { name: `config-${pad(i)}` } }],
              resources: {
                requests: { cpu: '10m', memory: '32Mi' },
                limits: { memory: '64Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

function serviceAccount(i: number): Doc {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${pad(i)}` } };
}

function secret(i: number): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `credentials-${pad(i)}` },
    type: 'Opaque',
    stringData: { username: `user-${i}`, password: `not-a-real-password-${i}` },
  };
}

const GENERATORS: ReadonlyArray<readonly [keyof typeof BENCH_MIX, string, (i: number) => Doc]> = [
  ['ConfigMap', 'configmaps', configMap],
  ['Service', 'services', service],
  ['Deployment', 'deployments', deployment],
  ['ServiceAccount', 'serviceaccounts', serviceAccount],
  ['Secret', 'secrets', secret],
];

const yamlOf = (docs: readonly Doc[]): string => docs.map((d) => stringify(d)).join('---\n');

function fluxObjects(): string {
  return yamlOf([
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: BENCH_APP.name, namespace: BENCH_APP.namespace },
      spec: { interval: '1m', url: 'https://example.com/acme/bench.git', ref: { branch: 'main' } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: BENCH_APP.name, namespace: BENCH_APP.namespace },
      spec: {
        interval: '10m',
        path: './apps/bench',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: BENCH_APP.name },
        targetNamespace: BENCH_APP.targetNamespace,
        timeout: '5m',
      },
    },
  ]);
}

export interface BenchRepo {
  readonly root: string;
  readonly appDir: string;
  readonly fluxFile: string;
}

/** Writes the app into `root` (a new folder) and commits it on branch main. */
export async function writeBenchRepo(root: string): Promise<BenchRepo> {
  const appDir = path.join(root, 'apps', 'bench');
  const fluxFile = path.join(root, 'clusters', 'bench', 'app.yaml');
  await fs.mkdir(appDir, { recursive: true });
  await fs.mkdir(path.dirname(fluxFile), { recursive: true });
  await fs.writeFile(fluxFile, fluxObjects());
  const files = ['namespace.yaml'];
  await fs.writeFile(
    path.join(appDir, 'namespace.yaml'),
    yamlOf([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_APP.targetNamespace } },
    ]),
  );
  for (const [kind, stem, make] of GENERATORS) {
    const count = BENCH_MIX[kind];
    for (let start = 0; start < count; start += PER_FILE) {
      const file = `${stem}-${String(start / PER_FILE + 1).padStart(2, '0')}.yaml`;
      const docs = Array.from({ length: Math.min(PER_FILE, count - start) }, (_, k) =>
        make(start + k),
      );
      await fs.writeFile(path.join(appDir, file), yamlOf(docs));
      files.push(file);
    }
  }
  await fs.writeFile(
    path.join(appDir, 'kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: BENCH_APP.targetNamespace,
      resources: files,
    }),
  );
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: root, stdio: 'ignore', timeout: 30_000 });
  };
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench');
  return { root, appDir, fluxFile };
}

/** Deploys the app as Flux would; returns the applied objects as YAML (Flux labels included). */
export function deployBenchRepo(
  plane: ControlPlane,
  repo: BenchRepo,
  signal?: AbortSignal,
): Promise<string> {
  return deployFluxApp(
    plane,
    {
      name: BENCH_APP.name,
      namespace: BENCH_APP.namespace,
      buildDir: repo.appDir,
      fluxObjects: repo.fluxFile,
      repoDir: repo.root,
    },
    signal,
  );
}
