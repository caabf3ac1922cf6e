/**
 * `gitops-workbench check .` on real public GitOps repositories (test/fixtures/real-repos, see
 * SOURCES.md there), each copied into a temporary folder and made a git repository of its own.
 * No error, and no warning but those judged right against the real judges (kube-apiserver 1.34,
 * kubectl, kustomize, helm, Flux): what the tool cannot know is said as an information.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'real-repos');

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

interface JsonReport {
  readonly files: number;
  readonly resources: number;
  readonly findings: JsonFinding[];
}

/**
 * The warnings each repository is expected to get, by code, with why each is right. Every one
 * must appear (so an expectation cannot go stale), and no other warning may.
 */
const EXPECTED_WARNINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'flux-oci-homelab': {
    'kind-not-served':
      'admissionregistration.k8s.io/v1 MutatingAdmissionPolicy: kube-apiserver 1.34 answers "no matches for kind" (it serves v1alpha1 and v1beta1)',
    'feature-gated-value':
      'HPA minReplicas 0: kube-apiserver 1.34 rejects it ("must be greater than or equal to 1") unless the HPAScaleToZero gate is on',
    'invalid-enum':
      'an Alert with eventSources kind FluxInstance: kube-apiserver with the upstream notification-controller CRD answers Unsupported value "FluxInstance"; a cluster whose CRD was patched to add it accepts it',
  },
  'flux-legacy-apis': {
    'flux-api-removed':
      'v1beta2 Kustomizations and sources and v2beta1 HelmReleases: Flux 2.7 and 2.8 removed them from their CRDs',
  },
  'argocd-helm-umbrella': {
    'chart-dependencies-missing':
      'umbrella charts whose dependencies are not in charts/: helm template refuses them until "helm dependency build" (the issue asks for this warning)',
    'yaml-duplicate-key':
      'an annotation written twice: kubectl and Argo CD keep the last value, so ServerSideApply=true is lost',
  },
  'helm-addons': {
    'chart-dependencies-missing':
      'umbrella charts whose dependencies are not in charts/: helm template refuses them until "helm dependency build"',
    'yaml-duplicate-key':
      'a key written twice in a template of a vendored sub-chart: only the last value is applied',
  },
  'argocd-kustomize-helm': {
    'service-target-port-missing':
      'Service bazarr sends targetPort "http" to pods that have no container port of that name, so no endpoint gets the port',
    'route-backend-missing':
      'HTTPRoute gpt-researcher sends to Service ws-rewriter, which only services-updated.yaml defines, a file the kustomization does not list: kustomize build renders no such Service',
  },
};

const REPOS = [
  'flux-oci-homelab',
  'flux-sops-homelab',
  'flux-legacy-apis',
  'argocd-appsets',
  'argocd-helm-umbrella',
  'argocd-kustomize-helm',
  'helm-addons',
  'monitoring-stack',
  'kustomize-catalog',
  'flux-patches-homelab',
];

describe('gitops-workbench check on real GitOps repositories (dist/cli.js)', () => {
  let tools: Tools;
  let temp = '';
  const reports = new Map<string, JsonReport>();

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is built (npx tsx scripts/build.ts --bundle-only)`);
    tools = await renderTools();
    temp = mkdtempSync(path.join(os.tmpdir(), 'gw-real-repos-'));
    // Two checks at a time (one per core); each test then reads its repository's report.
    const queue = [...REPOS];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        reports.set(name, await check(name));
      }
    };
    await Promise.all([worker(), worker()]);
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  /** Checks the repository as its own git repository, from its root, offline. */
  async function check(name: string): Promise<JsonReport> {
    const repo = path.join(temp, name);
    cpSync(path.join(CORPUS, name), repo, { recursive: true });
    const init = spawnSync('git', ['init', '--quiet'], { cwd: repo, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    const child = spawn(
      process.execPath,
      [CLI, 'check', '.', '--format', 'json', '--helm', tools.helm, '--kustomize', tools.kustomize],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(Buffer.concat(err).toString('utf8'), '', `${name}: nothing on stderr`);
    assert.equal(status, 0, `${name}: exit code 0 (no error)`);
    const report = JSON.parse(Buffer.concat(out).toString('utf8')) as JsonReport;
    for (const finding of report.findings) {
      assert.ok(
        !path.isAbsolute(finding.file) && existsSync(path.join(repo, finding.file)),
        `${name}: ${finding.file} is a path of the repository, relative to where check ran`,
      );
    }
    return report;
  }

  function reportOf(name: string): JsonReport {
    const report = reports.get(name);
    assert.ok(report, `${name} was checked`);
    return report;
  }

  for (const name of REPOS) {
    it(`${name}: no error, and only the warnings judged right`, () => {
      const report = reportOf(name);
      // Two of them hold only Helm templates and values: their resources are rendered ones.
      assert.ok(
        report.resources > 0 || ['argocd-appsets', 'helm-addons'].includes(name),
        `${name} holds resources`,
      );
      const errors = report.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors, [], `${name}: errors`);
      const expected = EXPECTED_WARNINGS[name] ?? {};
      const warnings = report.findings.filter((f) => f.severity === 'warning');
      const unexpected = warnings.filter((f) => !Object.hasOwn(expected, f.code));
      assert.deepEqual(unexpected, [], `${name}: warnings not judged right`);
      for (const code of Object.keys(expected)) {
        assert.ok(
          warnings.some((f) => f.code === code),
          `${name}: the expected ${code} warning is still reported`,
        );
      }
    });
  }

  it('says a remote chart was not rendered with network rendering off, naming chart and source', () => {
    const info = reportOf('flux-oci-homelab').findings.find(
      (f) => f.code === 'not-rendered' && f.file.endsWith('cert-manager/app/helmrelease.yaml'),
    );
    assert.ok(info);
    assert.equal(info.severity, 'info');
    assert.equal(
      info.message,
      'Flux HelmRelease cert-manager was not rendered: chart cert-manager comes from oci://quay.io/jetstack/charts/cert-manager and network rendering is off: turn it on to render it (--allow-network).',
    );
  });

  it('renders Flux Kustomizations whose children get their required fields from the parent patch', () => {
    const report = reportOf('flux-sops-homelab');
    assert.ok(!report.findings.some((f) => f.code === 'missing-required'));
    // The cluster Kustomization syncs from an OCIRepository: an artifact built elsewhere.
    const cluster = report.findings.find(
      (f) =>
        f.code === 'not-rendered' &&
        f.file === path.join('kubernetes', 'clusters', 'cluster-00', 'ks.yaml'),
    );
    assert.ok(cluster, 'the OCIRepository-sourced Kustomization is an information');
    assert.match(
      cluster.message,
      /its source is OCIRepository flux-system, an artifact built outside this workspace/,
    );
  });

  it('validates SOPS-encrypted Secrets without an unknown sops field or a ciphertext error', () => {
    for (const name of ['flux-sops-homelab', 'flux-legacy-apis']) {
      const sops = reportOf(name).findings.filter(
        (f) => /sops|\.enc\./i.test(f.file) && f.severity !== 'info',
      );
      assert.deepEqual(sops, [], name);
    }
  });

  it('expands RoleList and RoleBindingList documents into their items', () => {
    const report = reportOf('monitoring-stack');
    assert.ok(!report.findings.some((f) => f.code === 'unknown-kind'));
    // 70 files: the two List documents hold four items between them.
    assert.ok(
      report.resources > report.files,
      `${report.resources} resources in ${report.files} files`,
    );
  });

  it('flux-patches-homelab: a wrong value in the Flux patch of every HelmRelease is one error on the patch, and files holding {{ }} in strings are checked', () => {
    const repo = path.join(temp, 'flux-patches-homelab-edited');
    cpSync(path.join(CORPUS, 'flux-patches-homelab'), repo, { recursive: true });
    const edit = (relative: string, from: RegExp, to: string): void => {
      const file = path.join(repo, relative);
      const text = readFileSync(file, 'utf8');
      assert.match(text, from, relative);
      writeFileSync(file, text.replace(from, to));
    };
    // The second `crds: CreateReplace` of the patch is spec.upgrade.crds (line 45).
    edit(
      'setup/flux/cluster/cluster.yaml',
      /(upgrade:\n {12})crds: CreateReplace/,
      '$1crds: Bogus',
    );
    const dashboard = 'kubernetes/monitoring/grafana/dashboards/grafana-dashboard-nfs-server.yaml';
    edit(dashboard, /\ndata:\n/, '\nbogusTop: true\ndata:\n');
    spawnSync('git', ['init', '--quiet'], { cwd: repo });
    const run = spawnSync(
      process.execPath,
      [CLI, 'check', '.', '--format', 'json', '--helm', tools.helm, '--kustomize', tools.kustomize],
      { cwd: repo, encoding: 'utf8', timeout: 600_000 },
    );
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const errors = report.findings
      .filter((f) => f.severity === 'error')
      .map((f) => [f.file, f.line, f.code])
      .sort();
    assert.deepEqual(
      errors,
      [
        [path.join('setup', 'flux', 'cluster', 'cluster.yaml'), 45, 'invalid-enum'],
        [path.join(...dashboard.split('/')), 7, 'unknown-field'],
      ].sort(),
      JSON.stringify(
        report.findings.filter((f) => f.severity === 'error'),
        null,
        2,
      ),
    );
  });
});
