import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureText } from '../../client/src/gitCommandsText';
import { editorFailureText } from '../../server/src/editorHints';
import { ClusterError, ForgeError } from '../../server/src/engine';
import { errorForNoAnswer } from '../../server/src/engine/forge/forgeErrors';
import { RenderFailure } from '../../server/src/engine/render/types';
import { failure } from '../../server/src/gitTexts';
import { statusError } from '../../server/src/statusService';

const REPO = {
  kind: 'gitlab',
  host: 'git.acme.com',
  path: 'platform/gitops',
  apiUrl: 'https://git.acme.com/api/v4',
  webUrl: 'https://git.acme.com/platform/gitops',
} as const;

describe('failure reasons, classified where they happen', () => {
  it('keep a cluster error as it is, a render failure as renderFailed, and anything else as internal', () => {
    assert.deepEqual(
      statusError(new ClusterError('unauthorized', 'The credentials were refused (401).', 'dev')),
      { reason: 'unauthorized', message: 'The credentials were refused (401).' },
    );
    const render = statusError(
      new RenderFailure({
        reason: 'notRendered',
        message:
          'chart podinfo comes from oci://ghcr.io/x and network rendering is off: turn it on to render it.',
        hint: 'allowNetwork',
      }),
    );
    assert.equal(render.reason, 'renderFailed');
    assert.equal(
      editorFailureText(render),
      'chart podinfo comes from oci://ghcr.io/x and network rendering is off: turn it on to render it (gitopsWorkbench.render.allowNetwork).',
    );
    assert.deepEqual(
      statusError(new TypeError("Cannot read properties of undefined (reading 'x')\n    at f")),
      {
        reason: 'internal',
        message:
          "GitOps Workbench stopped on an internal error (Cannot read properties of undefined (reading 'x')): see its log, and please report it.",
      },
    );
  });

  it('word an unreachable forge with the forge hosts setting in the editor', () => {
    const error = errorForNoAnswer(
      REPO,
      new Error('getaddrinfo ENOTFOUND'),
      'network',
      30_000,
      undefined,
    );
    assert.ok(error instanceof ForgeError);
    const sent = failure(error);
    assert.equal(sent.reason, 'unreachable');
    assert.equal(sent.hint, 'forgeHosts');
    assert.match(
      sent.message,
      /^Could not reach git\.acme\.com.*: check the network, a proxy, or the API URL of the forge host\.$/,
    );
    assert.match(
      failureText(sent),
      /or the API URL of the forge host \(gitopsWorkbench\.forge\.hosts\)\.$/,
    );
  });
});
