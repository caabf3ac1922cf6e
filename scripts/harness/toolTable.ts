// The tools the harness builds from source, pinned by the wrapper modules under tools/.
// A version bump is a change of the wrapper's go.mod and go.sum only (`go get module@vX`, then
// `go mod tidy`; for Kubernetes regenerate the replace list, see tools/README.md): the version
// is read from go.mod, and the cache key hashes go.mod and go.sum.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type ToolName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'helm'
  | 'kustomize'
  | 'kubeconform'
  | 'kwok'
  | 'fluxbuild'
  | 'kustomizebatch';

/** One `go build` in one wrapper module, producing one or more binaries. */
export interface ToolBuild {
  /** Names the cache folder and the log file. */
  id: string;
  /** The module whose required version (in the wrapper's go.mod) is the tool's version. */
  module: string;
  /** Folder under tools/ holding go.mod and go.sum. */
  wrapper: string;
  binaries: Array<{ tool: ToolName; pkg: string }>;
  /** Extra -ldflags (besides -s -w), given the version and the wrapper's go.mod text. */
  ldflags: (version: string, goMod: string) => string[];
  /** Arguments that make a binary print its version, for `npm run tools`. */
  versionArgs: Partial<Record<ToolName, string[]>>;
  /** Upper bound for a cold build on a 2-core machine. */
  timeoutMs: number;
  /** Run by a benchmark only: `npm test` does not build it. */
  benchmarkOnly?: true;
}

/** The repository root (scripts/harness/ is two levels below it). */
export const repoRoot = path.resolve(__dirname, '..', '..');

export const toolsDir = path.join(repoRoot, 'tools');

/** The version of a module required in a go.mod text ("v0.34.4"), or undefined. */
export function requiredVersion(goMod: string, modulePath: string): string | undefined {
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const line = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v[^\\s]+)(?!.*=>)`, 'm');
  return line.exec(goMod)?.[1];
}

/** Kubernetes' version stamp, so `kubectl version` and /version show the real release. */
function kubernetesLdflags(version: string): string[] {
  const [major = '1', minor = '0'] = version.replace(/^v/, '').split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
}

/** Helm's default Capabilities.KubeVersion follows the client-go it is built with (its Makefile). */
function helmLdflags(version: string, goMod: string): string[] {
  const clientGo = requiredVersion(goMod, 'k8s.io/client-go') ?? 'v0.0.0';
  const minor = clientGo.replace(/^v/, '').split('.')[1] ?? '0';
  return [
    `-X helm.sh/helm/v3/internal/version.version=${version}`,
    ...['helm.sh/helm/v3/pkg/chartutil', 'helm.sh/helm/v3/pkg/lint/rules'].flatMap((pkg) => [
      `-X ${pkg}.k8sVersionMajor=1`,
      `-X ${pkg}.k8sVersionMinor=${minor}`,
    ]),
  ];
}

export const toolBuilds: readonly ToolBuild[] = [
  {
    id: 'kubernetes',
    module: 'k8s.io/kubernetes',
    wrapper: 'kubernetes',
    binaries: [
      { tool: 'kube-apiserver', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver' },
      { tool: 'kube-controller-manager', pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager' },
      { tool: 'kube-scheduler', pkg: 'k8s.io/kubernetes/cmd/kube-scheduler' },
      { tool: 'kubectl', pkg: 'k8s.io/kubernetes/cmd/kubectl' },
    ],
    ldflags: (version) => kubernetesLdflags(version),
    versionArgs: {
      'kube-apiserver': ['--version'],
      'kube-controller-manager': ['--version'],
      'kube-scheduler': ['--version'],
      kubectl: ['version', '--client'],
    },
    timeoutMs: 60 * 60_000,
  },
  {
    id: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    wrapper: 'etcd',
    binaries: [{ tool: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' }],
    // etcd's own build stamps the git commit; a module build has none, so say where it came from.
    ldflags: (version) => [`-X go.etcd.io/etcd/api/v3/version.GitSHA=module-${version}`],
    versionArgs: { etcd: ['--version'] },
    timeoutMs: 20 * 60_000,
  },
  {
    id: 'helm',
    module: 'helm.sh/helm/v3',
    wrapper: 'helm',
    binaries: [{ tool: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm' }],
    ldflags: helmLdflags,
    versionArgs: { helm: ['version', '--short'] },
    timeoutMs: 20 * 60_000,
  },
  {
    id: 'kustomize',
    module: 'sigs.k8s.io/kustomize/kustomize/v5',
    wrapper: 'kustomize',
    binaries: [{ tool: 'kustomize', pkg: 'sigs.k8s.io/kustomize/kustomize/v5' }],
    ldflags: (version) => [`-X sigs.k8s.io/kustomize/api/provenance.version=${version}`],
    versionArgs: { kustomize: ['version'] },
    timeoutMs: 20 * 60_000,
  },
  {
    id: 'kubeconform',
    module: 'github.com/yannh/kubeconform',
    wrapper: 'kubeconform',
    binaries: [{ tool: 'kubeconform', pkg: 'github.com/yannh/kubeconform/cmd/kubeconform' }],
    ldflags: (version) => [`-X main.version=${version}`],
    versionArgs: { kubeconform: ['-v'] },
    timeoutMs: 20 * 60_000,
  },
  {
    id: 'kwok',
    module: 'sigs.k8s.io/kwok',
    wrapper: 'kwok',
    binaries: [{ tool: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwok' }],
    ldflags: () => [],
    versionArgs: { kwok: ['--version'] },
    timeoutMs: 30 * 60_000,
  },
  {
    // A test oracle, never run by the product: Flux's own kustomization generator and build
    // (tools/fluxbuild/main.go), for test/integration/fluxRenderOracle.test.ts.
    id: 'fluxbuild',
    module: 'github.com/fluxcd/pkg/kustomize',
    wrapper: 'fluxbuild',
    binaries: [{ tool: 'fluxbuild', pkg: '.' }],
    ldflags: () => [],
    versionArgs: { fluxbuild: ['--version'] },
    timeoutMs: 20 * 60_000,
  },
  {
    // A benchmark tool, never run by the product: many kustomize builds in one process with
    // kustomize's own API (tools/kustomizebatch/main.go), for scripts/bench/kustomizeProcesses.ts.
    id: 'kustomizebatch',
    module: 'sigs.k8s.io/kustomize/api',
    wrapper: 'kustomizebatch',
    binaries: [{ tool: 'kustomizebatch', pkg: '.' }],
    ldflags: () => [],
    versionArgs: { kustomizebatch: ['--version'] },
    timeoutMs: 20 * 60_000,
    benchmarkOnly: true,
  },
];

export const allTools: readonly ToolName[] = toolBuilds.flatMap((build) =>
  build.binaries.map((binary) => binary.tool),
);

/** The tools the tests run: all but those of benchmarks only (`npm test` builds no other). */
export const testTools: readonly ToolName[] = toolBuilds
  .filter((build) => !build.benchmarkOnly)
  .flatMap((build) => build.binaries.map((binary) => binary.tool));

/** The build that produces `tool`. */
export function buildOf(tool: ToolName): ToolBuild | undefined {
  return toolBuilds.find((build) => build.binaries.some((binary) => binary.tool === tool));
}

/** True when `name` is one of the tools of the table. */
export function isToolName(name: string): name is ToolName {
  return (allTools as readonly string[]).includes(name);
}

/** The text of a wrapper's go.mod. */
export function readGoMod(build: ToolBuild): string {
  return readFileSync(path.join(toolsDir, build.wrapper, 'go.mod'), 'utf8');
}

/** The pinned version of a build ("v1.34.4"), as required by its wrapper's go.mod. */
export function buildVersion(build: ToolBuild, goMod = readGoMod(build)): string {
  const version = requiredVersion(goMod, build.module);
  if (version === undefined) {
    throw new Error(`tools/${build.wrapper}/go.mod does not require ${build.module}.`);
  }
  return version;
}
