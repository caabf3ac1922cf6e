/**
 * `npm run bench:render`: render-and-validate latency after an edit to a podinfo overlay, p50
 * and p95, cold (every edit renders with kustomize) and cached (unchanged input), against what a
 * user runs by hand in the same run: `kustomize build` piped to `kubeconform -strict`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTools, toolPath } from '../harness/toolchain';
import { RenderCache } from '../../server/src/engine/render';
import { SchemaCatalog } from '../../server/src/engine';
import { loadKubernetesBundle } from '../../server/src/engine/schemas/bundles';
import { benchFindings, openBenchWorkspace } from './benchWorkspace';
import { CORPUS_KINDS } from './corpus';
import { kubeconformFileName, standaloneSchema } from './jsonSchemaExport';
import { ms, percentile } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = path.join(ROOT, 'server', 'src', 'engine', 'schemas', 'bundled');
const EDITS = 30;

async function main(): Promise<void> {
  await ensureTools(['kustomize', 'kubeconform']);
  const repo = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-bench-render-'));
  try {
    cpSync(path.join(ROOT, 'examples', 'podinfo-gitops'), repo, { recursive: true });
    const overlay = path.join(repo, 'apps', 'podinfo', 'overlays', 'staging');
    const patch = path.join(overlay, 'replicas-patch.yaml');
    const original = readFileSync(patch, 'utf8');
    // The edit is an unsaved buffer of the workspace, as in the editor.
    const buffers = new Map<string, string>();
    const workspace = await openBenchWorkspace(
      repo,
      { kustomize: toolPath('kustomize') },
      { buffers, cache: new RenderCache() },
    );
    const unit = await workspace.unitOf(overlay);
    if (unit?.unit.kind !== 'kustomize') {
      throw new Error('the staging overlay was not discovered');
    }
    const registry = await new SchemaCatalog(BUNDLES).registry('1.34');
    const renderAndValidate = async (text: string): Promise<number> => {
      const started = performance.now();
      buffers.set(patch, text);
      const findings = await benchFindings(workspace, registry, new Set([unit.key]));
      const failed = findings.find((finding) => finding.code === 'render-failed');
      if (failed) {
        throw new Error(failed.message);
      }
      return performance.now() - started;
    };
    const cold: number[] = [];
    const cached: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const text = original.replace('replicas: 2', `replicas: ${i + 3}`);
      cold.push(await renderAndValidate(text));
      cached.push(await renderAndValidate(text));
    }

    const schemas = path.join(repo, '.schemas');
    await fs.mkdir(schemas);
    const bundle = await loadKubernetesBundle(BUNDLES, '1.34');
    const kinds = [
      ...CORPUS_KINDS,
      { apiVersion: 'v1', kind: 'Namespace', definition: 'io.k8s.api.core.v1.Namespace' },
      { apiVersion: 'v1', kind: 'Secret', definition: 'io.k8s.api.core.v1.Secret' },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        definition: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
      },
    ];
    for (const { apiVersion, kind, definition } of kinds) {
      await fs.writeFile(
        path.join(schemas, kubeconformFileName(apiVersion, kind)),
        JSON.stringify(standaloneSchema(bundle, definition, true)),
      );
    }
    const peer: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      await fs.writeFile(patch, original.replace('replicas: 2', `replicas: ${i + 3}`));
      const started = performance.now();
      const built = spawnSync(toolPath('kustomize'), ['build', overlay], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const checked = spawnSync(
        toolPath('kubeconform'),
        [
          '-strict',
          '-schema-location',
          path.join(schemas, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
          '-',
        ],
        {
          input: built.stdout,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      peer.push(performance.now() - started);
      if (built.status !== 0 || checked.status !== 0) {
        throw new Error(`peer failed: ${built.stderr}${checked.stdout}${checked.stderr}`);
      }
    }
    const line = (label: string, values: number[]): string =>
      `   ${label.padEnd(44)} p50 ${ms(percentile(values, 50)).padStart(9)}  p95 ${ms(percentile(values, 95)).padStart(9)}\n`;
    process.stdout.write(
      `bench:render on ${os.cpus().length} cores: ${EDITS} edits of the staging overlay's patch (podinfo, 6 resources)\n` +
        line('gitops-workbench render + validate, cold', cold) +
        line('gitops-workbench render + validate, cached', cached) +
        line('kustomize build | kubeconform -strict', peer) +
        `   ratio cold/peer p50 ${(percentile(cold, 50) / percentile(peer, 50)).toFixed(2)}; the peer checks schemas only, we also check server rules and references\n`,
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:render: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
