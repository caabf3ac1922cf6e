/**
 * A Flux GitRepository and a HelmRelease of the OpenTelemetry Collector chart copied into the
 * test repository's `charts/otel` (test/fixtures/charts/opentelemetry-collector), as a fleet
 * repository deploys a chart of its own. `values` are the lines of `spec.values`, unindented.
 */
export function otelRelease(name: string, values: readonly string[]): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  url: https://github.com/example/fleet
  ref:
    branch: main
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/otel
      sourceRef:
        kind: GitRepository
        name: flux-system
  values:
${values.map((line) => `    ${line}`).join('\n')}
`;
}
