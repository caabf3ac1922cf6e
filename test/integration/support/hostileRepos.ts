/** Helpers of the hostile-repository render tests: workspaces with a marker script, Flux and Argo CD resources, a counting server. */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { RenderCache, discoverRenderUnits } from '../../../server/src/engine/render';
import type {
  RenderError,
  RenderOptions,
  RenderResult,
  RenderUnit,
  RenderUnitKind,
} from '../../../server/src/engine/render';
import { tempWorkspace } from './renderSupport';
import type { Tools } from './renderSupport';

export const PASSWD_BYTES = /root:x:0:0|root:\*:0:0|nobody:/;

export function options(tools: Tools, workspaceRoot: string): RenderOptions {
  return {
    workspaceRoot,
    overlays: new Map(),
    binaries: { helm: tools.helm, kustomize: tools.kustomize },
    allowNetwork: false,
    cache: new RenderCache(),
  };
}

export function refusal(result: RenderResult): RenderError {
  if (result.ok) assert.fail(`expected a refusal, got:\n${result.yaml}`);
  assert.equal(result.error.reason, 'refused', result.error.message);
  assert.doesNotMatch(result.error.message, /\n/, 'one line');
  return result.error;
}

export function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  return result;
}

export const CHART_YAML = (name: string): string =>
  `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`;

/** A ConfigMap whose data shows `.Values.x` (where `--set-file=x=/etc/passwd` would put it). */
export const TEMPLATE = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: {{ .Release.Name }}-demo',
  'data:',
  '  x: {{ .Values.x | default "none" | quote }}',
  '',
].join('\n');

export interface Hostile {
  workspace: string;
  /** Executable script in the repo that writes `marker` when run. */
  script: string;
  marker: string;
}

/** A workspace with `files`, plus `evil.sh` (writes a marker, passes stdin through). */
export async function hostileWorkspace(
  files: Record<string, string>,
  temporary: string[],
): Promise<Hostile> {
  const { root, workspace } = await tempWorkspace(
    Object.fromEntries(Object.entries(files).map(([key, value]) => [`workspace/${key}`, value])),
  );
  temporary.push(root);
  const marker = path.join(root, 'marker');
  const script = path.join(workspace, 'evil.sh');
  await fs.writeFile(script, `#!/bin/sh\necho pwned > '${marker}'\ncat\n`);
  await fs.chmod(script, 0o755);
  return { workspace, script, marker };
}

export async function unitOf(workspace: string, kind: RenderUnitKind): Promise<RenderUnit> {
  const unit = (await discoverRenderUnits(workspace)).find((candidate) => candidate.kind === kind);
  assert.ok(unit, `a ${kind} unit`);
  return unit;
}

export function helmRelease(spec: string[], name = 'demo'): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 5m',
    ...spec,
    '  chart:',
    '    spec:',
    '      chart: ./charts/demo',
    '      sourceRef:',
    '        kind: GitRepository',
    '        name: flux-system',
    '',
  ].join('\n');
}

export function application(helm: string[], name = 'demo', namespace = 'demo'): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  namespace: argocd',
    'spec:',
    '  project: default',
    '  destination:',
    '    server: https://kubernetes.default.svc',
    `    namespace: ${JSON.stringify(namespace)}`,
    '  source:',
    '    repoURL: https://example.com/repo.git',
    '    path: charts/demo',
    '    helm:',
    ...(helm.length ? helm : ['      valueFiles: []']),
    '',
  ].join('\n');
}

export const CHART = {
  'charts/demo/Chart.yaml': CHART_YAML('demo'),
  'charts/demo/templates/cm.yaml': TEMPLATE,
};

/** A local HTTP server that counts every connection it gets. */
export async function countingServer(): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let count = 0;
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"type":"object","properties":{"x":{"const":"leak"}}}');
  });
  server.on('connection', () => {
    count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
