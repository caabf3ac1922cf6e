/**
 * The memory limit of helm and kustomize with the real tools: inputs that make them allocate
 * without end are stopped near the limit, and an ordinary render does not notice it. An
 * independent witness (the kernel's VmHWM, read every 2 ms) checks how far above the limit the
 * tool really went; it also kills any tool above 2 GB so that a broken limit cannot take the
 * machine down.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RenderCache, renderUnit } from '../../server/src/engine/render';
import type { RenderOptions, RenderResult, RenderUnit } from '../../server/src/engine/render';
import { watchPeakMemory } from '../../scripts/harness/peakMemory';
import { editorText } from '../../server/src/editorHints';
import { PODINFO, renderTools, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

/** Low, so the test is quick; far above what the ordinary renders below need (< 100 MB). */
const LIMIT_MB = 256;
/**
 * How far above the limit the witness may see a tool. It covers what a fast machine allocates
 * between two 50 ms samples (a few hundred MB/s for these Go programs under GOMEMLIMIT) and one
 * doubling step of the helm template, which allocates its new string at once. Without the limit
 * the same inputs pass 2 GB (the witness's safety net) or the time limit.
 */
const MARGIN_MB = 256;
const SAFETY_NET_KB = 2 * 1024 * 1024;
const witnessed = process.platform === 'linux';
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

let tools: Tools;
const temporary: string[] = [];

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const root of temporary) await fs.rm(root, { recursive: true, force: true });
});

async function workspaceWith(files: Record<string, string>, copyFrom?: string): Promise<string> {
  const { root, workspace } = await tempWorkspace(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [`workspace/${name}`, text])),
    copyFrom,
  );
  temporary.push(root);
  return workspace;
}

function options(workspaceRoot: string, memoryLimitMB?: number): RenderOptions {
  return {
    workspaceRoot,
    overlays: new Map(),
    binaries: {
      helm: tools.helm,
      kustomize: tools.kustomize,
      ...(memoryLimitMB ? { memoryLimitMB } : {}),
    },
    allowNetwork: false,
    timeoutMs: 120_000,
    cache: new RenderCache(),
  };
}

/** Renders `unit` while the witness watches; the peak RSS in MB of the tool named `tool`. */
async function renderWatched(
  unit: RenderUnit,
  renderOptions: RenderOptions,
  tool: string,
): Promise<{ result: RenderResult; peakMB: number | undefined }> {
  const witness = watchPeakMemory(SAFETY_NET_KB);
  const result = await renderUnit(unit, renderOptions);
  const peakKB = witness.stop().peakKB.get(tool);
  return { result, peakMB: peakKB === undefined ? undefined : Math.round(peakKB / 1024) };
}

function assertStoppedNearLimit(peakMB: number | undefined, tool: string): void {
  if (!witnessed) return;
  assert.ok(peakMB !== undefined, `the witness saw ${tool}`);
  console.log(`${tool} peak ${peakMB} MB for a limit of ${LIMIT_MB} MB`);
  assert.ok(peakMB > LIMIT_MB * 0.75, `${tool} really grew (${peakMB} MB)`);
  assert.ok(peakMB < LIMIT_MB + MARGIN_MB, `${tool} stopped at ${peakMB} MB`);
}

/** Nine levels of nine aliases: about 387 million nodes once kustomize expands the anchors. */
const ALIAS_BOMB = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: lol',
  'data:',
  '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...Array.from(
    { length: 8 },
    (_, i) => `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`,
  ),
  '',
].join('\n');

/** A template that doubles a string forty times: 16 TB if nothing stops it. */
const DOUBLING_TEMPLATE = [
  '{{- $s := "0123456789abcdef" }}',
  '{{- range $i := until 40 }}{{- $s = print $s $s }}{{- end }}',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: big',
  'data:',
  '  big: {{ $s | quote }}',
  '',
].join('\n');

describe('memory limit of helm and kustomize (real tools)', () => {
  it('stops kustomize expanding an alias bomb in a resource, with a sentence naming the unit', async () => {
    const workspace = await workspaceWith({
      'apps/bomb/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
      'apps/bomb/configmap.yaml': ALIAS_BOMB,
    });
    const unit: RenderUnit = {
      kind: 'kustomize',
      id: 'kustomize:apps/bomb',
      name: 'apps/bomb',
      root: path.join(workspace, 'apps', 'bomb'),
      renderer: 'kustomize',
    };
    const { result, peakMB } = await renderWatched(unit, options(workspace, LIMIT_MB), 'kustomize');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.reason, 'memory', result.error.message);
    assert.equal(
      result.error.message,
      `kustomize used more than ${LIMIT_MB} MB rendering apps/bomb and was stopped: look for a YAML alias bomb or a template that builds huge values, or raise the memory limit.`,
    );
    // Each face names its own knob: the setting in the editor, the flag in the CLI.
    assert.equal(result.error.hint, 'memoryLimit');
    assert.match(
      editorText(result.error.message, result.error.hint),
      /, or raise the memory limit \(gitopsWorkbench\.render\.memoryLimitMB\)\.$/,
    );
    assertStoppedNearLimit(peakMB, 'kustomize');
  });

  it('stops helm building an ever longer string in a template', async () => {
    const workspace = await workspaceWith({
      'charts/doubler/Chart.yaml': 'apiVersion: v2\nname: doubler\nversion: 0.1.0\n',
      'charts/doubler/templates/configmap.yaml': DOUBLING_TEMPLATE,
    });
    const unit: RenderUnit = {
      kind: 'helm',
      id: 'helm:charts/doubler',
      name: 'doubler',
      root: path.join(workspace, 'charts', 'doubler'),
      renderer: 'helm',
      helm: { releaseName: 'doubler', valueFiles: [] },
    };
    const { result, peakMB } = await renderWatched(unit, options(workspace, LIMIT_MB), 'helm');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.reason, 'memory', result.error.message);
    assert.match(
      result.error.message,
      new RegExp(`^helm used more than ${LIMIT_MB} MB rendering doubler and was stopped: `),
    );
    assertStoppedNearLimit(peakMB, 'helm');
  });

  it('the CLI takes --memory-limit and reports the stopped render on stderr, exit 1', async () => {
    const workspace = await workspaceWith({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'apps/bomb/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
      'apps/bomb/configmap.yaml': ALIAS_BOMB,
    });
    const cli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const run = spawnSync(process.execPath, [CLI, ...args], {
        cwd: workspace,
        encoding: 'utf8',
        timeout: 120_000,
        shell: false,
      });
      return { code: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    const witness = watchPeakMemory(SAFETY_NET_KB);
    const run = cli('render', 'apps/bomb', '--kustomize', tools.kustomize, '--memory-limit', '200');
    witness.stop();
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^gitops-workbench: kustomization apps\/bomb does not render: kustomize used more than 200 MB rendering apps\/bomb and was stopped: .*raise the memory limit \(--memory-limit MB\)\.\n$/,
    );
    const usage = cli('check', '--memory-limit', '10', '.');
    assert.equal(usage.code, 2);
    assert.match(
      usage.stderr,
      /--memory-limit must be a whole number of megabytes, at least 64, not "10"/,
    );
  });

  it('renders an ordinary chart and overlay as before, under the default limit and a low one', async () => {
    const workspace = await workspaceWith({}, PODINFO);
    const chart: RenderUnit = {
      kind: 'helm',
      id: 'helm:charts/podinfo',
      name: 'podinfo',
      root: path.join(workspace, 'charts', 'podinfo'),
      renderer: 'helm',
      helm: { releaseName: 'podinfo', valueFiles: [] },
    };
    const overlay: RenderUnit = {
      kind: 'kustomize',
      id: 'kustomize:kustomize',
      name: 'kustomize',
      root: path.join(workspace, 'kustomize'),
      renderer: 'kustomize',
    };
    for (const [unit, tool] of [
      [chart, 'helm'],
      [overlay, 'kustomize'],
    ] as const) {
      for (const limit of [undefined, LIMIT_MB]) {
        const { result, peakMB } = await renderWatched(unit, options(workspace, limit), tool);
        assert.ok(result.ok, result.ok ? '' : result.error.message);
        assert.ok(result.resources.length > 0);
        if (witnessed) assert.ok((peakMB ?? 0) < LIMIT_MB / 2, `${tool} used ${peakMB} MB`);
      }
    }
  });
});
