/** The hostile tier's check of an impact comment bites: each way out of its place is caught. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertInertMarkdown } from '../hostile/support/inertMarkdown';

const FOLD = '<details><summary>app &#64;a &#35;1</summary>\n\n';

describe('assertInertMarkdown', () => {
  it('lets through the report as impactMarkdown writes it', () => {
    assert.doesNotThrow(() => {
      assertInertMarkdown(
        `### t\n\n${FOLD}\`\`\`\`diff\n\`\`\`\n</details>\n@x #1 <img>\n\`\`\`\`\n\n</details>\n`,
        'report',
      );
    });
  });

  for (const [what, text, said] of [
    ['a </details> the report did not open', `${FOLD}</details>\n</details>\n`, /closes a fold/],
    ['a fence closed early', `${FOLD}\`\`\`diff\n\`\`\`\n</details>\n\`\`\`\n`, /never closed/],
    ['a fold left open', `${FOLD}\`\`\`diff\n+x\n\`\`\`\n`, /left open/],
    ['an @mention', 'hi @octocat\n', /@mention/],
    ['an issue link', 'see #12\n', /issue link/],
    ['raw HTML', 'a <img src=x onerror=alert(1)>\n', /markup from the repository/],
  ] as const) {
    it(`catches ${what}`, () => {
      assert.throws(() => assertInertMarkdown(text, 'report'), said);
    });
  }
});
