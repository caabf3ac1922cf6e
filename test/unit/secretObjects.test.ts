import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffResources } from '../../server/src/engine/diff/resourceDiff';
import { compareRendered } from '../../server/src/engine/git/impact';
import { SecretMasks } from '../../server/src/engine/secrets/secretMasker';
import { maskSecretObjects } from '../../server/src/engine/secrets/secretObjects';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function assertHidden(output: string, values: readonly string[]): void {
  for (const value of values) {
    for (const form of [value, b64(value)]) {
      assert.ok(!output.includes(form), `"${form}" is not shown in:\n${output}`);
    }
  }
}

describe('maskSecretObjects', () => {
  it('masks the Secrets of a List, a SecretList and a Secret whose kind is bytes', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'a',
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":"x"}' },
          },
          data: { pw: b64('list-password') },
        },
        { apiVersion: 'v1', kind: 'ConfigMap', data: { shown: 'visible' } },
      ],
    };
    const secretList = { kind: 'SecretList', items: [{ stringData: { pw: 'secretlist-pw' } }] };
    const bytes = { kind: Buffer.from('Secret'), DATA: { pw: b64('bytes-kind-password') } };
    const masks = new SecretMasks();
    const text = JSON.stringify([list, secretList, bytes].map((o) => maskSecretObjects(o, masks)));
    assertHidden(text, ['list-password', 'secretlist-pw', 'bytes-kind-password', '{"data":"x"}']);
    assert.ok(text.includes('visible'), 'a ConfigMap keeps its data');
  });
});

describe('diffs of Secrets', () => {
  it('show masks only for a List of Secrets on both sides', () => {
    const side = (password: string): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, data: { pw: b64(password) } },
      ],
    });
    const diff = diffResources(side('old-password'), side('new-password'));
    assert.deepEqual(diff.changedPaths, ['items[0].data.pw']);
    assertHidden(diff.left + diff.right, ['old-password', 'new-password']);
    assert.match(diff.left, /pw: \+{8}/);
    assert.match(diff.right, /pw: \+{12}/);
  });

  it('of rendered commits mask a Secret whose kind is written !!binary', () => {
    const resource = (
      password: string,
    ): { apiVersion: string; kind: string; name: string; text: string } => ({
      apiVersion: 'v1',
      kind: 'U2VjcmV0',
      name: 'a',
      text: `apiVersion: v1\nkind: !!binary U2VjcmV0\nmetadata:\n  name: a\nstringData:\n  pw: ${password}\n`,
    });
    const [change] = compareRendered([resource('before-password')], [resource('after-password')], {
      before: 'aaaaaaa',
      after: 'bbbbbbb',
    });
    assert.ok(change, 'the change is reported');
    assertHidden(change.diff, ['before-password', 'after-password']);
    const [added] = compareRendered([], [resource('added-password')], { before: 'a', after: 'b' });
    assertHidden(added?.diff ?? '', ['added-password']);
  });
});
