/**
 * The demo cluster of `npm start`: a real control plane where the example repo's staging app is
 * deployed as Flux would deploy it (kustomize build, server-side apply, Flux's ownership labels,
 * the Kustomization's status and inventory written through the status subresource), then a few
 * live objects are changed so the product shows real drift from the first minute.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runKubectl } from './clusterSetup';
import { startControlPlane } from './controlPlane';
import type { ControlPlane } from './controlPlane';
import { runProcess } from './processes';
import { ensureTools, toolPath } from './toolchain';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const FLUX_NAME = 'podinfo-staging';
const FLUX_NAMESPACE = 'flux-system';

export interface DemoCluster {
  readonly plane: ControlPlane;
  /** What was changed live, as a user would describe it. */
  readonly drift: readonly string[];
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** Deploys the staging app of `exampleDir` (by default the project's examples/podinfo-gitops). */
export async function startDemoCluster(
  signal?: AbortSignal,
  log: (line: string) => void = console.log,
  exampleDir: string = EXAMPLE,
): Promise<DemoCluster> {
  await ensureTools(['kustomize', 'kubectl'], { signal });
  log('Starting the demo cluster (etcd, kube-apiserver, controller-manager, kwok)…');
  const plane = await startControlPlane({ signal });
  try {
    await deployExample(plane, exampleDir, signal);
    const drift = await makeDrift(plane, signal);
    log(
      `Demo cluster ready: podinfo-staging deployed by "Flux", with live drift: ${drift.join('; ')}.`,
    );
    return { plane, drift };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}

/** The Flux Kustomization the demo deploys, and the namespace its objects go to. */
export const DEMO_APP = {
  name: FLUX_NAME,
  namespace: FLUX_NAMESPACE,
  targetNamespace: 'podinfo-staging',
} as const;

function kubectlOn(
  plane: ControlPlane,
  signal?: AbortSignal,
): (args: string[], input?: string) => Promise<unknown> {
  return (args, input) =>
    runKubectl(toolPath('kubectl'), plane.kubeconfigPath, args, signal, input);
}

/**
 * Deploys the staging app of `exampleDir` (a copy of examples/podinfo-gitops) as Flux would:
 * kustomize build, server-side apply with Flux's field manager and labels, the Flux source and
 * Kustomization, and the Kustomization's status with its inventory and applied revision.
 */
export async function deployExample(
  plane: ControlPlane,
  exampleDir: string = EXAMPLE,
  signal?: AbortSignal,
): Promise<void> {
  await ensureTools(['kustomize', 'kubectl'], { signal });
  const kubectl = kubectlOn(plane, signal);
  const rendered = await runProcess(
    toolPath('kustomize'),
    ['build', path.join(exampleDir, 'apps', 'podinfo', 'overlays', 'staging')],
    {
      timeoutMs: 60_000,
      ...(signal ? { signal } : {}),
    },
  );
  const manifests = withFluxLabels(rendered.stdout);
  await kubectl(
    ['apply', '--server-side', '--field-manager=kustomize-controller', '-f', '-'],
    manifests.map((m) => stringify(m)).join('---\n'),
  );
  await kubectl(['create', 'namespace', FLUX_NAMESPACE]);
  await kubectl([
    'apply',
    '--server-side',
    '--field-manager=flux',
    '-f',
    path.join(exampleDir, 'clusters', 'local'),
  ]);
  await writeFluxStatus(kubectl, manifests, exampleDir);
}

export interface FluxAppDeployment {
  /** The Flux Kustomization's name and namespace (its namespace is created). */
  readonly name: string;
  readonly namespace: string;
  /** Folder given to `kustomize build`: what the Kustomization applies. */
  readonly buildDir: string;
  /** File or folder of the Flux objects (source and Kustomization), applied as they are. */
  readonly fluxObjects: string;
  /** Git work tree whose HEAD is the applied revision. */
  readonly repoDir: string;
}

/**
 * Deploys any Kustomization as Flux would (see deployExample) and returns the applied objects as
 * YAML, Flux labels included.
 */
export async function deployFluxApp(
  plane: ControlPlane,
  app: FluxAppDeployment,
  signal?: AbortSignal,
): Promise<string> {
  await ensureTools(['kustomize', 'kubectl'], { signal });
  const kubectl = kubectlOn(plane, signal);
  const rendered = await runProcess(toolPath('kustomize'), ['build', app.buildDir], {
    timeoutMs: 120_000,
    ...(signal ? { signal } : {}),
  });
  const manifests = withFluxLabels(rendered.stdout, app.name, app.namespace);
  const applied = manifests.map((m) => stringify(m)).join('---\n');
  await kubectl(
    ['apply', '--server-side', '--field-manager=kustomize-controller', '-f', '-'],
    applied,
  );
  await kubectl(['create', 'namespace', app.namespace]);
  await kubectl(['apply', '--server-side', '--field-manager=flux', '-f', app.fluxObjects]);
  await writeFluxStatus(kubectl, manifests, app.repoDir, app.name, app.namespace);
  return applied;
}

/** Flux labels every object it applies with the Kustomization that owns it. */
function withFluxLabels(
  yamlText: string,
  name: string = FLUX_NAME,
  namespace: string = FLUX_NAMESPACE,
): Manifest[] {
  return parseAllDocuments(yamlText).map((document) => {
    const manifest = document.toJS() as Manifest;
    manifest.metadata.labels = {
      ...(manifest.metadata.labels ?? {}),
      'kustomize.toolkit.fluxcd.io/name': name,
      'kustomize.toolkit.fluxcd.io/namespace': namespace,
    };
    return manifest;
  });
}

async function writeFluxStatus(
  kubectl: (args: string[], input?: string) => Promise<unknown>,
  manifests: Manifest[],
  exampleDir: string,
  name: string = FLUX_NAME,
  namespace: string = FLUX_NAMESPACE,
): Promise<void> {
  const revision = `main@sha1:${gitHead(exampleDir)}`;
  const entries = manifests.map((m) => {
    const [group, version] = m.apiVersion.includes('/')
      ? m.apiVersion.split('/')
      : ['', m.apiVersion];
    return {
      id: `${m.metadata.namespace ?? ''}_${m.metadata.name}_${group ?? ''}_${m.kind}`,
      v: version,
    };
  });
  const now = new Date().toISOString();
  const status = {
    status: {
      observedGeneration: 1,
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ReconciliationSucceeded',
          message: `Applied revision: ${revision}`,
          lastTransitionTime: now,
        },
      ],
      inventory: { entries },
    },
  };
  await kubectl([
    'patch',
    'kustomizations.kustomize.toolkit.fluxcd.io',
    name,
    '-n',
    namespace,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify(status),
  ]);
}

/** Changes live objects the way people do by hand: what the Clusters view must report. */
export async function makeDrift(plane: ControlPlane, signal?: AbortSignal): Promise<string[]> {
  const kubectl = kubectlOn(plane, signal);
  const namespace = 'podinfo-staging';
  await kubectl(['scale', 'deployment/podinfo', '-n', namespace, '--replicas=3']);
  await kubectl([
    'patch',
    'configmap/podinfo-config',
    '-n',
    namespace,
    '--type=merge',
    '-p',
    '{"data":{"PODINFO_UI_MESSAGE":"edited by hand"}}',
  ]);
  const extra = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'podinfo-debug',
      namespace,
      labels: {
        'kustomize.toolkit.fluxcd.io/name': FLUX_NAME,
        'kustomize.toolkit.fluxcd.io/namespace': FLUX_NAMESPACE,
      },
    },
    data: { DEBUG: 'true' },
  };
  await kubectl(['apply', '--server-side', '--field-manager=kubectl', '-f', '-'], stringify(extra));
  return [
    'Deployment podinfo scaled to 3 (Git says 2)',
    'ConfigMap podinfo-config edited',
    'ConfigMap podinfo-debug created by hand',
  ];
}

function gitHead(exampleDir: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: exampleDir,
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  } catch {
    return '0000000000000000000000000000000000000000';
  }
}
