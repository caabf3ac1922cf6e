import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceOrigin } from '../../server/src/engine/git/remoteUrl';

describe('sourceOrigin: is a Flux or Argo CD source this repository?', () => {
  const upstream = 'https://github.com/acme/fleet.git';

  it('is the workspace when a remote names the same repository in another form', () => {
    assert.equal(sourceOrigin(upstream, ['git@github.com:Acme/fleet']), 'workspace');
    assert.equal(sourceOrigin('ssh://git@github.com/acme/fleet', [upstream]), 'workspace');
  });

  it('is elsewhere when the hosted remotes name other repositories', () => {
    assert.equal(sourceOrigin(upstream, ['https://github.com/acme/podinfo']), 'elsewhere');
    assert.equal(sourceOrigin(upstream, ['https://gitlab.com/acme/fleet']), 'elsewhere');
  });

  it('cannot tell for a fork: a remote with the same repository name on the same host', () => {
    assert.equal(sourceOrigin(upstream, ['https://github.com/me/fleet.git']), 'unknown');
  });

  it('cannot tell when the clone came from a local folder, a file URL or a drive path', () => {
    assert.equal(sourceOrigin(upstream, ['/srv/git/fleet.git']), 'unknown');
    assert.equal(sourceOrigin(upstream, ['file:///srv/git/fleet.git']), 'unknown');
    assert.equal(sourceOrigin(upstream, ['C:\\repos\\fleet']), 'unknown');
    assert.equal(sourceOrigin(upstream, ['../fleet']), 'unknown');
  });

  it('cannot tell without remotes or without a URL', () => {
    assert.equal(sourceOrigin(upstream, []), 'unknown');
    assert.equal(sourceOrigin(undefined, ['https://github.com/acme/other']), 'unknown');
  });
});
