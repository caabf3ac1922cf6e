// A rendered resource found in its source file when Flux substituted its name: bjw-s/home-ops's
// volsync template names its claim "${APP}"; its findings landed on the document's first line,
// beside the file's own finding on the field, since "${APP}" is not inside "bazarr".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldInFile } from '../../server/src/engine/check/fieldInFile';
import { sourceNameMatches } from '../../server/src/engine/render/sourceNames';

describe('a source name and a rendered name', () => {
  it('match with a prefix or suffix kustomize added, and with variables Flux substituted', () => {
    assert.ok(sourceNameMatches('web', 'dev-web-v2'));
    assert.ok(sourceNameMatches('${APP}', 'bazarr'));
    assert.ok(sourceNameMatches('${APP}-config', 'dev-bazarr-config'));
    assert.ok(sourceNameMatches('${VOLSYNC_CLAIM:-${APP}}-r2', 'bazarr-config-r2'));
    assert.ok(!sourceNameMatches('${APP}-config', 'bazarr-cache'));
    assert.ok(!sourceNameMatches('web', 'api'));
    // A name that is all variable matches any: the kind and the file already narrowed it.
    assert.ok(sourceNameMatches('${APP}', 'anything'));
  });

  it('finds the field of a resource whose name Flux substituted', () => {
    const text = [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata:',
      '  name: "${APP}-cache"',
      'spec:',
      '  accessModes: [ReadWriteOnce]',
      '  resources:',
      '    requests:',
      '      storage: 1Gib',
      '',
    ].join('\n');
    const range = fieldInFile(text, { kind: 'PersistentVolumeClaim', name: 'bazarr-cache' }, [
      'spec',
      'resources',
      'requests',
      'storage',
    ]);
    assert.equal(range?.start.line, 8);
  });
});
