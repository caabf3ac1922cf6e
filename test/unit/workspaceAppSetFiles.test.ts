// The workspace model follows the files an ApplicationSet's git files generator reads: they are
// no manifests (a config.json), yet an edit of one, or a new or removed one, changes the units.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Workspace } from '../../server/src/engine';
import { NO_TOOLS, write } from './support/workspaceFiles';

const REMOTE = 'https://git.example.invalid/platform/fleet.git';

const APP_SET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tenants
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: ${REMOTE}
        revision: HEAD
        files:
          - path: tenants/*/config.json
  template:
    metadata:
      name: '{{.tenant}}-web'
    spec:
      project: default
      source:
        repoURL: ${REMOTE}
        targetRevision: HEAD
        path: '{{.app}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{.tenant}}'
`;

const KUSTOMIZATION = 'resources:\n  - service.yaml\n';
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n';

describe('the workspace model and an ApplicationSet files generator', () => {
  let temp = '';
  let repo = '';
  before(() => {
    temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-appset-files-')));
    repo = path.join(temp, 'fleet');
    write(repo, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/config': `[remote "origin"]\n\turl = ${REMOTE}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
      'argocd/tenants.yaml': APP_SET,
      'apps/web/kustomization.yaml': KUSTOMIZATION,
      'apps/web/service.yaml': SERVICE,
      'apps/web-v2/kustomization.yaml': KUSTOMIZATION,
      'apps/web-v2/service.yaml': SERVICE,
      'tenants/blue/config.json': '{"tenant": "blue", "app": "apps/web"}',
    });
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('builds the units again when a config.json it reads changes, comes or goes', async () => {
    const workspace = await Workspace.open([repo], { render: NO_TOOLS });
    const generated = (): Array<{ key: string; name: string; root: string }> =>
      workspace
        .units()
        .filter(({ unit }) => unit.applicationSet !== undefined)
        .map(({ key, unit }) => ({ key, name: unit.name.split(' ')[0] ?? '', root: unit.root }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const rootOf = (relative: string): string => path.join(repo, ...relative.split('/'));
    assert.deepEqual(
      generated().map(({ name, root }) => [name, root]),
      [['blue-web', rootOf('apps/web')]],
    );
    const [blue] = generated();

    const config = rootOf('tenants/blue/config.json');
    write(repo, { 'tenants/blue/config.json': '{"tenant": "blue", "app": "apps/web-v2"}' });
    const edited = await workspace.applyChanges([{ type: 'changed', path: config }]);
    assert.equal(edited.units, true, 'an edited config.json changes the units');
    assert.deepEqual(
      generated().map(({ name, root }) => [name, root]),
      [['blue-web', rootOf('apps/web-v2')]],
    );
    assert.ok(blue && edited.affected.includes(blue.key), 'the unit it defines anew renders again');

    write(repo, { 'tenants/green/config.json': '{"tenant": "green", "app": "apps/web"}' });
    const created = await workspace.applyChanges([
      { type: 'created', path: rootOf('tenants/green/config.json') },
    ]);
    assert.equal(created.units, true);
    assert.deepEqual(
      generated().map(({ name }) => name),
      ['blue-web', 'green-web'],
    );

    unlinkSync(config);
    const deleted = await workspace.applyChanges([{ type: 'deleted', path: config }]);
    assert.equal(deleted.units, true);
    assert.deepEqual(
      generated().map(({ name }) => name),
      ['green-web'],
    );

    const readme = rootOf('apps/web/README.md');
    write(repo, { 'apps/web/README.md': 'not read by any generator' });
    await workspace.applyChanges([{ type: 'created', path: readme }]);
    assert.deepEqual(
      generated().map(({ name }) => name),
      ['green-web'],
    );
    write(repo, { 'apps/web/README.md': 'still not read by any generator' });
    const unrelated = await workspace.applyChanges([{ type: 'changed', path: readme }]);
    assert.equal(unrelated.units, false, 'an edit of a file no generator reads builds no unit');
  });
});
