// The other half of `ProblemsPanel.waitForProblem`: waiting until the Problems panel, while it is
// visible, no longer lists a problem (after a quick fix, say).
import type { Page } from 'playwright-core';
import type { ProblemQuery } from './workbench';

/** The little of the DOM this file uses inside the page. */
interface PageNode {
  querySelectorAll(selector: string): Iterable<PageNode>;
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { height: number };
  textContent: string | null;
}

/**
 * Waits until the visible Problems panel lists, under the file `fileName`, no problem from `source`
 * whose message contains `text` (no problem at all from `source` when `text` is omitted).
 */
export async function waitForProblemGone(
  page: Page,
  query: ProblemQuery,
  timeout = 60_000,
): Promise<void> {
  await page.waitForFunction(
    (q: ProblemQuery): boolean => {
      const { document } = globalThis as unknown as { document: PageNode };
      const panel = document.querySelector('.markers-panel');
      // A hidden or closed panel lists nothing: that must not count as "gone".
      if (!panel || panel.getBoundingClientRect().height === 0) return false;
      const rows = [...panel.querySelectorAll('.monaco-list-row')];
      rows.sort(
        (a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')),
      );
      let file = '';
      for (const row of rows) {
        // A problem's related information ("x is used here") is a row of its own, under it.
        if (row.querySelector('.related-info-resource')) continue;
        const message = row.querySelector('.marker-message')?.textContent ?? undefined;
        if (message === undefined) {
          file = row.querySelector('.label-name')?.textContent ?? '';
          continue;
        }
        const source = row.querySelector('.marker-source')?.textContent ?? '';
        if (
          file === q.fileName &&
          source === q.source &&
          (q.text === undefined || message.includes(q.text))
        ) {
          return false;
        }
      }
      return true;
    },
    query,
    { timeout },
  );
}
