// A hostile kustomization is read as the real kustomize 5.8 reads it (keys in any case, merge
// keys, nested fields) and every reference kustomize would fetch is recognised: each case is
// refused before kustomize runs, no git process starts and no host is contacted.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { RenderCache, renderUnit } from '../../server/src/engine/render';
import type {
  RenderError,
  RenderOptions,
  RenderResult,
  RenderUnit,
} from '../../server/src/engine/render';
import { renderTools, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];
let fakeGitDir: string;
let gitMarker: string;
let savedPath: string | undefined;
let server: Server;
let requests: string[] = [];
let origin: string;

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n';
const OUTSIDE_SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: outside-secret\nstringData:\n  token: do-not-leak\n';

function options(workspaceRoot: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    workspaceRoot,
    overlays: new Map(),
    binaries: { helm: tools.helm, kustomize: tools.kustomize },
    allowNetwork: false,
    cache: new RenderCache(),
    ...extra,
  };
}

function kustomizeUnit(root: string, extra: Partial<RenderUnit> = {}): RenderUnit {
  return {
    kind: 'kustomize',
    id: `kustomize:${root}`,
    name: path.basename(root),
    root,
    renderer: 'kustomize',
    ...extra,
  };
}

function refusal(result: RenderResult, reason: RenderError['reason'] = 'refused'): RenderError {
  if (result.ok) assert.fail(`expected a refusal, got ${result.yaml}`);
  assert.doesNotMatch(result.error.message, /\n|\s+at\s.*\(/, 'one line, no stack trace');
  assert.equal(result.error.reason, reason, result.error.message);
  return result.error;
}

/** What kustomize would fetch while network rendering is off: not rendered, an information. */
function notFetched(result: RenderResult): RenderError {
  return refusal(result, 'notRendered');
}

/** A workspace `workspace/` next to `outside-dir/`, a kustomization holding a secret. */
async function hostileWorkspace(kustomization: string): Promise<string> {
  const { root, workspace } = await tempWorkspace({
    'outside-dir/kustomization.yaml': 'resources: [secret.yaml]\n',
    'outside-dir/secret.yaml': OUTSIDE_SECRET,
    'outside-dir/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
    'workspace/app/kustomization.yaml': kustomization,
    'workspace/app/service.yaml': SERVICE,
  });
  temporary.push(root);
  return workspace;
}

async function render(
  kustomization: string,
  extra: Partial<RenderOptions> = {},
): Promise<RenderResult> {
  const workspace = await hostileWorkspace(kustomization);
  return renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace, extra));
}

function assertNothingFetched(): void {
  assert.equal(existsSync(gitMarker), false, 'no git process ran');
  assert.deepEqual(requests, [], 'no host was contacted');
}

before(async () => {
  tools = await renderTools();
  const { root } = await tempWorkspace({});
  temporary.push(root);
  fakeGitDir = path.join(root, 'fake-bin');
  gitMarker = path.join(root, 'git-ran');
  await fs.mkdir(fakeGitDir, { recursive: true });
  // A `git` found first on PATH: a Node script (no shell) that records its arguments and fails.
  const fakeGit = path.join(fakeGitDir, process.platform === 'win32' ? 'git.cmd' : 'git');
  await fs.writeFile(
    fakeGit,
    [
      `#!${process.execPath}`,
      `require('node:fs').appendFileSync(${JSON.stringify(gitMarker)}, process.argv.slice(2).join(' ') + '\\n');`,
      'process.exit(1);',
      '',
    ].join('\n'),
  );
  await fs.chmod(fakeGit, 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${fakeGitDir}${path.delimiter}${savedPath ?? ''}`;
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end(SERVICE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await fs.rm(gitMarker, { force: true });
  requests = [];
});

after(async () => {
  process.env.PATH = savedPath;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('kustomization keys read as kustomize reads them', () => {
  const outside =
    /^The resource "\.\.\/\.\.\/outside-dir" in app\/kustomization\.yaml is outside the workspace, so it was not read/;

  for (const [name, kustomization] of [
    ['Resources', 'Resources:\n  - ../../outside-dir\n'],
    ['RESOURCES', 'RESOURCES:\n  - ../../outside-dir\n'],
    ['reſources (long s)', 're\u017Fources:\n  - ../../outside-dir\n'],
    ['Bases (deprecated)', 'resources: [service.yaml]\nBases:\n  - ../../outside-dir\n'],
    ['a merge key', 'namePrefix: x-\n<<: &base\n  resources:\n    - ../../outside-dir\n'],
    ['a merged alias', 'namePrefix: x-\n<<: [&base {resources: [../../outside-dir]}, *base]\n'],
    ['a binary tag', 'resources:\n  - !!binary Li4vLi4vb3V0c2lkZS1kaXI=\n'],
  ]) {
    it(`refuses a resource outside the workspace under ${name}`, async () => {
      const error = refusal(await render(kustomization ?? ''));
      assert.match(error.message, outside);
      assertNothingFetched();
    });
  }

  it('refuses a base that kustomize would read from the real file system under `Resources`', async () => {
    // The mirror kustomize runs on sits at the same depth under the temporary folder as this
    // workspace, so the path reaches the real outside-dir from both: without the check,
    // kustomize renders the outside secret.
    const workspace = await hostileWorkspace('');
    const reference = `../../../${path.basename(path.dirname(workspace))}/outside-dir`;
    await fs.writeFile(
      path.join(workspace, 'app', 'kustomization.yaml'),
      `Resources:\n  - ${reference}\n`,
    );
    const result = await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace));
    if (result.ok) assert.doesNotMatch(result.yaml, /outside-secret/);
    const error = refusal(result);
    assert.equal(
      error.message,
      `The resource "${reference}" in app/kustomization.yaml is outside the workspace, so it was not read: move it into the workspace or reference a file inside it.`,
    );
    assertNothingFetched();
  });

  it('refuses a patch path outside the workspace under a nested `Path:` key', async () => {
    const error = refusal(
      await render('resources: [service.yaml]\npatches:\n  - Path: ../../outside-dir/patch.yaml\n'),
    );
    assert.match(
      error.message,
      /^The patch "\.\.\/\.\.\/outside-dir\/patch\.yaml" in app\/kustomization\.yaml is outside the workspace/,
    );
    assertNothingFetched();
  });

  it('refuses a generator file outside the workspace under `Files:`', async () => {
    const error = refusal(
      await render(
        'resources: [service.yaml]\nconfigMapGenerator:\n  - name: leak\n    Files: [token=../../outside-dir/secret.yaml]\n',
      ),
    );
    assert.match(
      error.message,
      /generator file "\.\.\/\.\.\/outside-dir\/secret\.yaml".* outside the workspace/,
    );
    assertNothingFetched();
  });
});

describe('references kustomize would fetch, refused while network rendering is off', () => {
  const remote = (what: string, reference: string): RegExp =>
    new RegExp(
      `^The remote ${what} "${reference.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" in app/kustomization\\.yaml was not fetched because network rendering is off: turn on network rendering to render it\\.$`,
    );

  for (const reference of [
    'github.com:org/repo//base',
    'user@host:org/repo//base',
    'git@github.com:org/repo.git//base?ref=main',
    'https://example.invalid/x.yaml',
  ]) {
    it(`refuses the resource ${reference}`, async () => {
      const error = notFetched(await render(`resources:\n  - ${reference}\n`));
      assert.match(error.message, remote('resource', reference));
      assertNothingFetched();
    });
  }

  it('refuses a remote component and a remote generator', async () => {
    const component = notFetched(
      await render('resources: [service.yaml]\ncomponents:\n  - user@host:org/repo//component\n'),
    );
    assert.match(component.message, remote('component', 'user@host:org/repo//component'));
    const generator = notFetched(
      await render('resources: [service.yaml]\ngenerators:\n  - github.com:org/repo//generators\n'),
    );
    assert.match(generator.message, remote('generator', 'github.com:org/repo//generators'));
    assertNothingFetched();
  });

  it('refuses files kustomize would download: patches, generator files, replacements', async () => {
    for (const [kustomization, what] of [
      [`patches:\n  - path: ${origin}/patch.yaml\n`, 'patch'],
      [`configMapGenerator:\n  - name: c\n    files: [${origin}/data]\n`, 'generator file'],
      [`secretGenerator:\n  - name: s\n    envs: [${origin}/env]\n`, 'generator env file'],
      [`replacements:\n  - path: ${origin}/replacement.yaml\n`, 'replacement'],
      [`patchesStrategicMerge:\n  - ${origin}/legacy.yaml\n`, 'patch'],
    ] as const) {
      const error = notFetched(await render(`resources: [service.yaml]\n${kustomization}`));
      assert.match(error.message, new RegExp(`^The remote ${what} "http://127\\.0\\.0\\.1:\\d+/`));
      assertNothingFetched();
    }
  });

  it('refuses a builtin transformer that loads its patch over HTTP', async () => {
    const error = notFetched(
      await render(
        [
          'resources: [service.yaml]',
          'transformers:',
          '  - |-',
          '    apiVersion: builtin',
          '    kind: PatchTransformer',
          '    metadata:',
          '      name: fetch',
          `    Path: ${origin}/patch.yaml`,
          '',
        ].join('\n'),
      ),
    );
    assert.match(error.message, /^The remote file of a transformers entry "http:\/\/127\.0\.0\.1/);
    assertNothingFetched();
  });

  it('says a missing local path is not in the workspace instead of letting kustomize look for it', async () => {
    const error = refusal(await render('resources:\n  - gh:org/repo\n'));
    assert.equal(
      error.message,
      'The resource "gh:org/repo" in app/kustomization.yaml was not found in the workspace, so kustomize was not run (it would look for it elsewhere): correct the path or add it to the workspace.',
    );
    assertNothingFetched();
  });

  it('places a missing or outside entry on its line of the kustomization, where the editor underlines it', async () => {
    const missing = refusal(
      await render('# the app\nresources:\n  - service.yaml\n  - ../base-typo\n'),
    );
    assert.match(
      missing.message,
      /^The resource "\.\.\/base-typo" in app\/kustomization\.yaml was not found/,
    );
    assert.equal(missing.line, 4);
    const outside = refusal(
      await render('resources:\n  - service.yaml\ncomponents:\n  - ../../outside-dir\n'),
    );
    assert.match(
      outside.message,
      /^The component "\.\.\/\.\.\/outside-dir" in app\/kustomization\.yaml is outside the workspace/,
    );
    assert.equal(outside.line, 4);
    assertNothingFetched();
  });

  it('never clones a repository from this machine, even with network rendering on', async () => {
    const error = refusal(
      await render('resources:\n  - file:///srv/repos/platform//base\n', { allowNetwork: true }),
    );
    assert.match(
      error.message,
      /^The resource "file:\/\/\/srv\/repos\/platform\/\/base" in app\/kustomization\.yaml clones a git repository from this machine, outside the workspace/,
    );
    assertNothingFetched();
  });
});

describe('ordinary kustomizations still render', () => {
  it('renders a local folder named like a URL from a generated kustomization without cloning', async () => {
    const { root, workspace } = await tempWorkspace({
      'workspace/apps/github.com/org/repo/kustomization.yaml': 'resources: [service.yaml]\n',
      'workspace/apps/github.com/org/repo/service.yaml': SERVICE,
    });
    temporary.push(root);
    const result = await renderUnit(
      kustomizeUnit(path.join(workspace, 'apps'), { kustomize: { generateIfMissing: 'flux' } }),
      options(workspace),
    );
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(
      result.resources.map((resource) => `${resource.kind}/${resource.name}`),
      ['Service/web'],
    );
    assertNothingFetched();
  });

  it('renders keys in another case the way kustomize does', async () => {
    const result = await render('Resources:\n  - service.yaml\nNamePrefix: app-\n');
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(
      result.resources.map((resource) => resource.name),
      ['app-web'],
    );
    assertNothingFetched();
  });
});
