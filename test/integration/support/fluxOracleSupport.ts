/**
 * What the cases of test/integration/fluxRenderOracle.test.ts are made of: a repository (relative
 * path -> text) and the spec of one Flux Kustomization over it, and the manifests they hold.
 */

export interface FluxOracleCase {
  name: string;
  files: Record<string, string>;
  /** The Flux Kustomization's spec (sourceRef, interval and prune are added). */
  spec: Record<string, unknown>;
}

export const lines = (...text: string[]): string => `${text.join('\n')}\n`;

export const configMap = (name: string, extra = ''): string =>
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}${extra}`,
    'data:',
    '  a: "1"',
  );

export const deployment = (name: string, image = 'nginx:1.25'): string =>
  lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${image}`,
  );

export const service = (name: string): string =>
  lines(
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    app: ${name}`,
    '  ports:',
    '    - port: 80',
  );
