// One mistake, one problem: a rendered finding that lands on a line where the file's own
// validation already reports the same mistake is not listed a second time (issue 18).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine';
import { withRendered } from '../../server/src/handlers/diagnosticsHandler';

const UNKNOWN =
  'Unknown field "replica" in spec: did you mean "replicas"? The API server rejects unknown fields (strict field validation).';

function finding(
  line: number,
  character: number,
  message: string,
  code = 'unknown-field',
): Finding {
  return {
    range: { start: { line, character }, end: { line, character: character + 7 } },
    severity: 'error',
    code,
    message,
  };
}

describe('rendered findings beside the file’s own', () => {
  it('drops the rendered copy of a mistake the file reports itself, on the key or on the value', () => {
    const own = [finding(5, 2, UNKNOWN)];
    const rendered = [
      finding(5, 11, `${UNKNOWN} (rendered Deployment web of apps/web/overlays/staging)`),
      finding(5, 2, 'Unknown field "replica" in spec (another wording).'),
    ];
    assert.deepEqual(withRendered(own, rendered), own);
  });

  it('keeps a rendered finding of another line, another code or another mistake on the line', () => {
    const own = [finding(5, 2, UNKNOWN)];
    const otherLine = finding(6, 2, `${UNKNOWN} (rendered Deployment web of staging)`);
    const otherCode = finding(5, 11, 'Invalid value: -2 (rendered …)', 'value-range');
    const otherMistake = finding(5, 20, 'Unknown field "replicaz" in spec. (rendered …)');
    assert.deepEqual(withRendered(own, [otherLine, otherCode, otherMistake]), [
      ...own,
      otherLine,
      otherCode,
      otherMistake,
    ]);
  });

  it("leaves out a render failure in a file whose YAML does not read: the file's finding says it", () => {
    const own = [
      finding(
        17,
        0,
        'YAML syntax: this line does not line up with the lines it belongs with…',
        'yaml-syntax',
      ),
    ];
    const failure = finding(
      14,
      0,
      'kustomization app does not render: kustomize exited with code 1 (app/deployment.yaml:15): MalformedYAMLError: yaml: line 15: did not find expected key.',
      'render-failed',
    );
    assert.deepEqual(withRendered(own, [failure]), own);
    assert.deepEqual(withRendered([], [failure]), [failure], 'kept where the file reads');
  });
});
