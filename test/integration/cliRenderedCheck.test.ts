import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

describe('gitops-workbench check on rendered units (dist/cli.js)', () => {
  let repo = '';
  before(async () => {
    await ensureTools(['kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-rendered-check-'));
    cpSync(EXAMPLE, repo, { recursive: true });
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  function check(target = repo): {
    code: number | null;
    findings: JsonFinding[];
    rendered?: { units: number; resources: number };
  } {
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'check',
        '--format',
        'json',
        '--kustomize',
        toolPath('kustomize'),
        '--root',
        repo,
        target,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as {
      findings: JsonFinding[];
      rendered?: { units: number; resources: number };
    };
    return {
      code: run.status,
      findings: report.findings,
      ...(report.rendered ? { rendered: report.rendered } : {}),
    };
  }

  function edit(relative: string, from: string, to: string): void {
    const file = path.join(repo, relative);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${from} is in ${relative}`);
    writeFileSync(file, text.replace(from, to));
  }

  it('finds in the example, whose overlays and Flux Kustomization all render, only the autoscaler fight', () => {
    // The staging overlay sets spec.replicas of the Deployment its HorizontalPodAutoscaler scales.
    const { code, findings, rendered } = check();
    assert.equal(code, 0, 'a warning does not fail the check');
    // What was rendered is counted apart from the files' own resources: the base (5 resources),
    // the two overlays and the Flux Kustomization of the staging overlay (6 each).
    assert.deepEqual(rendered, { units: 4, resources: 23 });
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, path.basename(f.file), f.line]),
      [['hpa-replicas-conflict', 'warning', 'replicas-patch.yaml', 6]],
      JSON.stringify(findings, null, 2),
    );
  });

  it('reports an error that only the rendered output has on the resource, naming the rendered field', () => {
    edit(
      'apps/podinfo/overlays/production/kustomization.yaml',
      'namespace: podinfo-production',
      'namespace: Podinfo_Production',
    );
    try {
      const { code, findings } = check();
      assert.equal(code, 1);
      const namespaceErrors = findings.filter((f) => f.message.includes('Podinfo_Production'));
      assert.ok(namespaceErrors.length > 0, JSON.stringify(findings, null, 2));
      for (const finding of namespaceErrors) {
        assert.match(
          finding.message,
          /\(rendered \w+ (Podinfo_Production\/)?[-\w]+ of kustomization apps\/podinfo\/overlays\/production, field metadata\.(namespace|name)\)$/,
        );
      }
    } finally {
      edit(
        'apps/podinfo/overlays/production/kustomization.yaml',
        'namespace: Podinfo_Production',
        'namespace: podinfo-production',
      );
    }
  });

  it('renders the app a file defines when the file is checked alone, as a pre-commit hook does', () => {
    edit('apps/podinfo/base/deployment.yaml', 'minReadySeconds: 3', 'minReadySeconds: three');
    try {
      const { code, findings, rendered } = check(
        path.join(repo, 'clusters', 'local', 'podinfo-staging.yaml'),
      );
      assert.equal(code, 1, JSON.stringify(findings, null, 2));
      assert.deepEqual(rendered, { units: 1, resources: 6 }, 'the Flux Kustomization it defines');
      const wrong = findings.find((f) => f.code === 'invalid-type');
      assert.equal(
        wrong && path.relative(repo, wrong.file),
        path.join('apps', 'podinfo', 'base', 'deployment.yaml'),
      );
    } finally {
      edit('apps/podinfo/base/deployment.yaml', 'minReadySeconds: three', 'minReadySeconds: 3');
    }
  });

  it('reports a rendered field on the line of the patch that sets it', () => {
    edit(
      'apps/podinfo/overlays/production/replicas-patch.yaml',
      'minReplicas: 3',
      'minReplicas: 0',
    );
    try {
      const { findings } = check();
      const finding = findings.find((f) => f.message.includes('minReplicas'));
      assert.ok(finding, JSON.stringify(findings, null, 2));
      assert.equal(
        path.relative(repo, finding.file),
        path.join('apps', 'podinfo', 'overlays', 'production', 'replicas-patch.yaml'),
      );
      assert.equal(finding.line, 6);
    } finally {
      edit(
        'apps/podinfo/overlays/production/replicas-patch.yaml',
        'minReplicas: 0',
        'minReplicas: 3',
      );
    }
  });

  it('reports a rendered field on the patch that sets it when a later patch changes the same resource', () => {
    // opentelemetry-operator's config/default: a mistake in the first of two patches of the
    // manager Deployment landed on the Deployment's first line: only the last patch was looked in.
    // A deadline shorter than the base's minReadySeconds (3) is wrong only in the rendered object.
    const kustomization = 'apps/podinfo/overlays/staging/kustomization.yaml';
    const patch = 'apps/podinfo/overlays/staging/replicas-patch.yaml';
    const later =
      '  - path: replicas-patch.yaml\n  - target:\n      kind: Deployment\n      name: podinfo\n    patch: |-\n      - op: add\n        path: /spec/revisionHistoryLimit\n        value: 3\n';
    edit(kustomization, '  - path: replicas-patch.yaml\n', later);
    edit(patch, '  replicas: 2\n', '  replicas: 2\n  progressDeadlineSeconds: 2\n');
    try {
      const { findings } = check();
      const finding = findings.find((f) => f.message.includes('progressDeadlineSeconds'));
      assert.ok(finding, JSON.stringify(findings, null, 2));
      assert.equal(path.relative(repo, finding.file), path.join(...patch.split('/')));
      assert.equal(finding.line, 7);
    } finally {
      edit(patch, '  replicas: 2\n  progressDeadlineSeconds: 2\n', '  replicas: 2\n');
      edit(kustomization, later, '  - path: replicas-patch.yaml\n');
    }
  });

  it("reports a Flux Kustomization's path that names no folder on its path line", () => {
    const file = 'clusters/local/podinfo-staging.yaml';
    edit(file, 'path: ./apps/podinfo/overlays/staging', 'path: ./apps/podinfo/overlays/stagin');
    try {
      const { findings } = check();
      const finding = findings.find((f) => f.message.includes('overlays/stagin"'));
      assert.ok(finding, JSON.stringify(findings, null, 2));
      assert.equal(path.relative(repo, finding.file), path.join(...file.split('/')));
      assert.equal(finding.line, 8, 'the spec.path line, not the document start');
      assert.ok(
        finding.message.includes(
          'spec.path "./apps/podinfo/overlays/stagin" is not a folder of this workspace',
        ),
        finding.message,
      );
    } finally {
      edit(file, 'path: ./apps/podinfo/overlays/stagin', 'path: ./apps/podinfo/overlays/staging');
    }
  });

  it('reports a unit that does not render on its kustomization', () => {
    edit(
      'apps/podinfo/overlays/staging/kustomization.yaml',
      '  - namespace.yaml',
      '  - namespace.yaml\n  - missing.yaml',
    );
    try {
      const { code, findings } = check();
      assert.equal(code, 1);
      const failed = findings.filter((f) => f.code === 'render-failed');
      assert.ok(failed.length > 0, JSON.stringify(findings, null, 2));
      assert.ok(
        failed.some(
          (f) =>
            // Paths are printed relative to the folder check runs in.
            path.resolve(f.file) ===
              path.join(repo, 'apps', 'podinfo', 'overlays', 'staging', 'kustomization.yaml') ||
            f.file.endsWith('podinfo-staging.yaml'),
        ),
      );
      assert.ok(
        failed.every((f) => /does not render: /.test(f.message)),
        JSON.stringify(failed, null, 2),
      );
    } finally {
      edit(
        'apps/podinfo/overlays/staging/kustomization.yaml',
        '  - namespace.yaml\n  - missing.yaml',
        '  - namespace.yaml',
      );
    }
  });

  it('warns about references between rendered resources that point nowhere, on the line that names them', () => {
    edit('apps/podinfo/base/configmap.yaml', '  name: podinfo-config', '  name: podinfo-settings');
    try {
      const { code, findings } = check();
      assert.equal(code, 0, 'a missing reference is a warning: it may exist in the cluster');
      const missing = findings.find((f) => f.code === 'missing-configmap');
      assert.ok(missing, JSON.stringify(findings, null, 2));
      assert.equal(missing.severity, 'warning');
      assert.equal(
        path.relative(repo, missing.file),
        path.join('apps', 'podinfo', 'overlays', 'staging', 'replicas-patch.yaml'),
      );
      assert.equal(missing.line, 13);
      assert.match(
        missing.message,
        /ConfigMap "podinfo-config" .* gitopsWorkbench\.externalResources/,
      );
    } finally {
      edit(
        'apps/podinfo/base/configmap.yaml',
        '  name: podinfo-settings',
        '  name: podinfo-config',
      );
    }
  });
});
