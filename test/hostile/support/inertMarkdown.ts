/**
 * What a pull request comment made from a hostile repository may hold, read as GitHub reads it:
 * fenced code blocks (closed by the first line of at least as many backticks) are inert; outside
 * them the only markup is the report's own `<details><summary>` folds, balanced, and no text
 * notifies someone (`@name`) or links an issue (`#12`).
 */
import assert from 'node:assert/strict';

/** The tags the report writes itself; any other `<` outside a fence is markup from the repo. */
const OWN_TAGS = ['<details><summary>', '</summary>', '</details>'];
const FENCE_OPEN = /^ {0,3}(`{3,})[^`]*$/;

/** The text outside fenced blocks, one string per line; fails when a fence is left open. */
export function outsideFences(markdown: string, where: string): string[] {
  const outside: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      const close = /^ {0,3}(`+)\s*$/.exec(line);
      if (close?.[1] && close[1].length >= fence.length) fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      fence = open[1];
      continue;
    }
    outside.push(line);
  }
  assert.equal(fence, undefined, `${where}: a fenced block is never closed`);
  return outside;
}

/** Asserts the markdown report is inert (see the module comment). */
export function assertInertMarkdown(markdown: string, where: string): void {
  const outside = outsideFences(markdown, where);
  let open = 0;
  for (const line of outside) {
    for (const match of line.matchAll(/<\/?details>/g)) {
      open += match[0] === '<details>' ? 1 : -1;
      assert.ok(open >= 0, `${where}: a </details> closes a fold the report did not open`);
    }
    let bare = line;
    for (const tag of OWN_TAGS) bare = bare.replaceAll(tag, '');
    assert.ok(!bare.includes('<'), `${where}: markup from the repository: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /@[A-Za-z0-9]/, `${where}: an @mention: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /(?<!&)#\d/, `${where}: an issue link: ${JSON.stringify(line)}`);
  }
  assert.equal(open, 0, `${where}: a <details> fold is left open`);
}
