// A rendered finding is shown on the text it was found in: while the buffer holds a newer text
// than the last render read, its rendered findings wait for the render of that text (issue 18's
// flow of typing a key: no finding of a half-typed key left on line 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, SchemaRegistry } from '../../server/src/engine';
import type { Workspace } from '../../server/src/engine/workspace';
import { RenderValidation } from '../../server/src/renderValidation';

const FILE = '/repo/apps/web/base/deployment.yaml';

function finding(message: string): Finding & { file: string } {
  return {
    file: FILE,
    range: { start: { line: 6, character: 2 }, end: { line: 6, character: 10 } },
    severity: 'error',
    code: 'unknown-field',
    message,
  };
}

describe('rendered findings and the buffer they were found in', () => {
  it('are left out while the buffer differs from the text the last render read', async () => {
    let found = [finding('Unknown field "revisi" in spec. (rendered Deployment web)')];
    let renders = 0;
    const workspace = {
      applyChanges: () =>
        Promise.resolve({ units: false, crds: false, facts: false, affected: ['web'] }),
      check: () => {
        renders++;
        return Promise.resolve(true);
      },
      findings: () => found,
      units: () => [{ key: 'web' }],
    } as unknown as Workspace;
    const rendered = new RenderValidation({
      trusted: () => true,
      workspace,
      registry: () => Promise.resolve({} as SchemaRegistry),
      changed: () => undefined,
      log: () => undefined,
    });
    const settled = async (count: number): Promise<void> => {
      for (let waited = 0; renders < count && waited < 5_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(renders, count, 'the render ran');
    };

    await rendered.filesChanged([{ type: 'changed', path: FILE, text: 'spec:\n  revisi: 5\n' }]);
    await settled(1);
    assert.equal(rendered.findingsFor(FILE, 'spec:\n  revisi: 5\n').length, 1, 'its own text');

    await rendered.filesChanged([{ type: 'changed', path: FILE, text: 'spec:\n  revision: 5\n' }]);
    assert.deepEqual(rendered.findingsFor(FILE, 'spec:\n  revision: 5\n'), [], 'an older text');
    assert.equal(rendered.findingsFor(FILE).length, 1, 'without a buffer: as found');

    found = [finding('Unknown field "revision" in spec. (rendered Deployment web)')];
    await settled(2);
    assert.deepEqual(
      rendered.findingsFor(FILE, 'spec:\n  revision: 5\n').map((f) => f.message),
      ['Unknown field "revision" in spec. (rendered Deployment web)'],
    );
    rendered.dispose();
  });
});
