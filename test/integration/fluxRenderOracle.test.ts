/**
 * Differential test: the workbench's render of a Flux Kustomization against Flux's own generator
 * and build (tools/fluxbuild, github.com/fluxcd/pkg/kustomize), resource by resource. Origin
 * annotations are the workbench's own and are left out of the comparison; everything else must
 * be the same.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import { fluxOracleCases } from './support/fluxOracleCases';
import { failingSubstitutionCases, fluxSubstitutionCases } from './support/fluxSubstitutionCases';
import type { FluxOracleCase } from './support/fluxOracleCases';
import {
  FLUX_EXAMPLE,
  fluxOracle,
  renderTools,
  runDirect,
  tempWorkspace,
} from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
let oracle: string;
const temporary: string[] = [];

before(async () => {
  tools = await renderTools();
  oracle = await fluxOracle();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

type Resource = Record<string, unknown>;

/** Resources keyed by apiVersion/kind/namespace/name, without origin annotations. */
function byIdentity(documents: readonly Resource[]): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  for (const resource of documents) {
    const metadata = (resource.metadata ?? {}) as Record<string, unknown>;
    const annotations = metadata.annotations as Record<string, unknown> | undefined;
    if (annotations) {
      delete annotations['config.kubernetes.io/origin'];
      if (Object.keys(annotations).length === 0) delete metadata.annotations;
    }
    const key = [resource.apiVersion, resource.kind, metadata.namespace ?? '', metadata.name].join(
      '/',
    );
    assert.ok(!resources.has(key), `${key} is rendered twice`);
    resources.set(key, resource);
  }
  return resources;
}

function parseYaml(text: string): Resource[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Resource | null)
    .filter((doc): doc is Resource => doc !== null);
}

/** The case in a workspace, rendered by the workbench and by Flux (each result or its failure). */
async function renderEach(testCase: FluxOracleCase): Promise<{
  ours: Awaited<ReturnType<typeof renderUnit>>;
  flux: { yaml: string } | { error: string };
}> {
  const kustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'app', namespace: 'flux-system' },
    spec: {
      interval: '10m',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...testCase.spec,
    },
  };
  const files: Record<string, string> = {
    // The same object for the workbench (in the workspace) and for the oracle.
    'workspace/clusters/dev/app.yaml': stringify(kustomization),
    'kustomization.json': JSON.stringify(kustomization),
  };
  for (const [relative, text] of Object.entries(testCase.files)) {
    files[`workspace/${relative}`] = text;
  }
  const { root, workspace } = await tempWorkspace(files);
  temporary.push(root);

  const units = await discoverRenderUnits(workspace);
  const unit = units.find((candidate) => candidate.kind === 'flux-kustomization');
  assert.ok(unit, 'the Flux Kustomization is a render unit');
  const result = await renderUnit(unit, {
    workspaceRoot: workspace,
    overlays: new Map(),
    binaries: { kustomize: tools.kustomize },
    allowNetwork: false,
    cache: new RenderCache(),
  });
  const flux = await runDirect(
    oracle,
    [workspace, path.join(root, 'kustomization.json')],
    root,
  ).then(
    (yaml) => ({ yaml }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  return { ours: result, flux };
}

async function renderBoth(
  testCase: FluxOracleCase,
): Promise<{ ours: Map<string, Resource>; flux: Map<string, Resource> }> {
  const { ours: result, flux: fluxRun } = await renderEach(testCase);
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  if ('error' in fluxRun) assert.fail(`Flux's build failed: ${fluxRun.error}`);
  const ours = byIdentity(result.resources.map((resource) => parseYaml(resource.text)[0] ?? {}));
  return { ours, flux: byIdentity(parseYaml(fluxRun.yaml)) };
}

/** The workbench renders the case's resources exactly as Flux does. */
async function assertRendersAsFlux(testCase: FluxOracleCase): Promise<void> {
  const { ours, flux } = await renderBoth(testCase);
  assert.ok(flux.size > 0, 'Flux renders resources');
  assert.deepEqual([...ours.keys()].sort(), [...flux.keys()].sort());
  for (const [key, resource] of flux) {
    assert.deepEqual(ours.get(key), resource, `${key} differs from Flux's render`);
  }
}

describe('Flux Kustomization renders match Flux (tools/fluxbuild)', () => {
  for (const testCase of fluxOracleCases) {
    it(testCase.name, () => assertRendersAsFlux(testCase));
  }
});

describe("post-build variable substitution matches Flux's (tools/fluxbuild)", () => {
  for (const testCase of fluxSubstitutionCases) {
    it(testCase.name, () => assertRendersAsFlux(testCase));
  }
  for (const testCase of failingSubstitutionCases) {
    it(`fails where Flux fails: ${testCase.name}`, async () => {
      const { ours, flux } = await renderEach(testCase);
      assert.ok('error' in flux, 'Flux refuses it');
      assert.match(flux.error, /substituting variables: envsubst error/);
      if (ours.ok) assert.fail('the workbench rendered what Flux refuses');
      assert.equal(ours.error.reason, 'failed');
      assert.match(ours.error.message, /^Flux's variable substitution fails on ConfigMap bad: /);
      assert.match(ours.error.message, /Close the expression with "}"/);
      assert.ok(ours.error.file?.endsWith(path.join('apps', 'bad', 'bad.yaml')), ours.error.file);
    });
  }
});

describe('the Flux Kustomizations of flux2-kustomize-helm-example match Flux', () => {
  it('renders every one of them as Flux does', async () => {
    const { root, workspace } = await tempWorkspace({}, FLUX_EXAMPLE);
    temporary.push(root);
    const units = (await discoverRenderUnits(workspace)).filter(
      (unit) => unit.kind === 'flux-kustomization',
    );
    assert.ok(units.length >= 4, `the example has Flux Kustomizations (found ${units.length})`);
    for (const unit of units) {
      assert.ok(unit.definedIn);
      const docs = parseYaml(await fs.readFile(unit.definedIn.file, 'utf8'));
      const object = docs.find(
        (doc) =>
          doc.kind === 'Kustomization' &&
          (doc.metadata as { name?: unknown } | undefined)?.name === unit.name,
      );
      assert.ok(object, `${unit.name} is in ${unit.definedIn.file}`);
      const specFile = path.join(root, `${unit.name}-${units.indexOf(unit)}.json`);
      await fs.writeFile(specFile, JSON.stringify(object));
      const result = await renderUnit(unit, {
        workspaceRoot: workspace,
        overlays: new Map(),
        binaries: { kustomize: tools.kustomize },
        allowNetwork: false,
        cache: new RenderCache(),
      });
      if (!result.ok) assert.fail(`${unit.name}: ${result.error.message}`);
      const ours = byIdentity(
        result.resources.map((resource) => parseYaml(resource.text)[0] ?? {}),
      );
      // The source's root is where spec.path leads to the unit's folder (an ExternalArtifact's
      // path is relative to the artifact, which the workspace maps to one of its folders).
      const specPath = (object.spec as { path?: string }).path ?? './';
      const depth = specPath.split('/').filter((part) => part !== '' && part !== '.').length;
      const source = path.resolve(unit.root, ...Array<string>(depth).fill('..'));
      const flux = byIdentity(parseYaml(await runDirect(oracle, [source, specFile], root)));
      assert.deepEqual([...ours.keys()].sort(), [...flux.keys()].sort(), unit.name);
      for (const [key, resource] of flux) {
        assert.deepEqual(
          ours.get(key),
          resource,
          `${unit.name}: ${key} differs from Flux's render`,
        );
      }
    }
  });
});

describe('Flux Kustomization edits that are refused', () => {
  const refusal = async (
    spec: Record<string, unknown>,
    files: Record<string, string>,
  ): Promise<{ reason: string; message: string }> => {
    const kustomization = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'app', namespace: 'flux-system' },
      spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
    };
    const { root, workspace } = await tempWorkspace({
      'workspace/clusters/dev/app.yaml': stringify(kustomization),
      ...files,
    });
    temporary.push(root);
    const unit = (await discoverRenderUnits(workspace)).find(
      (candidate) => candidate.kind === 'flux-kustomization',
    );
    assert.ok(unit);
    const result = await renderUnit(unit, {
      workspaceRoot: workspace,
      overlays: new Map(),
      binaries: { kustomize: tools.kustomize },
      allowNetwork: false,
      cache: new RenderCache(),
    });
    assert.equal(result.ok, false, 'the unit is not rendered');
    return result.ok ? { reason: '', message: '' } : result.error;
  };
  const app = {
    'workspace/apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'workspace/apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
  };

  it('a component outside the repository', async () => {
    const error = await refusal(
      { path: './apps/web', components: ['../../../outside'] },
      { ...app, 'outside/kustomization.yaml': 'kind: Component\n' },
    );
    assert.equal(error.reason, 'refused');
    assert.equal(
      error.message,
      `The component "../../../outside" in ${path.join('clusters', 'dev', 'app.yaml')} is outside the workspace, so it was not read: move it into the workspace or reference a file inside it.`,
    );
  });

  it('a remote component while network rendering is off', async () => {
    const error = await refusal(
      { path: './apps/web', components: ['https://github.com/acme/components//monitoring?ref=v1'] },
      app,
    );
    assert.equal(error.reason, 'notRendered');
    assert.equal(
      error.message,
      'The remote component "https://github.com/acme/components//monitoring?ref=v1" in app.yaml was not fetched because network rendering is off: turn on network rendering to render it.',
    );
  });

  it('a folder kustomization.yaml with duplicate keys', async () => {
    const error = await refusal(
      { path: './apps/web', targetNamespace: 'dev' },
      {
        ...app,
        'workspace/apps/web/kustomization.yaml':
          'namespace: a\nresources:\n  - cm.yaml\nnamespace: b\n',
      },
    );
    assert.equal(error.reason, 'refused');
    assert.match(
      error.message,
      /^kustomization\.yaml could not be edited as Flux edits it \(Map keys must be unique at line 4, column 1\), so the Flux Kustomization was not rendered/,
    );
  });
});
