// `ProblemsPanel.waitForProblem` for a file whose name is not unique (two overlays each have a
// replicas-patch.yaml): the file row is matched on its folder too, and the problem row's position
// ("[Ln 13, Col 23]") is returned with it.
import type { Page } from 'playwright-core';
import type { ProblemQuery, ShownProblem } from './workbench';

export interface ProblemInFolderQuery extends ProblemQuery {
  /** The folder the Problems panel shows beside the file name ("apps/podinfo/overlays/staging"). */
  folder: string;
}

export interface ShownProblemAt extends ShownProblem {
  folder: string;
  /** The row's position, as shown: "[Ln 13, Col 23]". */
  position: string;
  line: number;
}

/** The little of the DOM this file uses inside the page. */
interface PageNode {
  querySelectorAll(selector: string): Iterable<PageNode>;
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/**
 * Waits until the Problems panel lists, under `fileName` in `folder`, a problem from `source`
 * whose message contains `text`; returns what the row shows, with its position.
 */
export async function waitForProblemAt(
  page: Page,
  query: ProblemInFolderQuery,
  timeout = 60_000,
): Promise<ShownProblemAt> {
  const handle = await page.waitForFunction(
    (q: ProblemInFolderQuery): ShownProblemAt | false => {
      // Runs in the page (no named inner functions: tsx would wrap them in a helper it lacks).
      const { document } = globalThis as unknown as { document: PageNode };
      const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
      rows.sort(
        (a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')),
      );
      let file = '';
      let folder = '';
      for (const row of rows) {
        // A problem's related information ("x is used here") is a row of its own, under it.
        if (row.querySelector('.related-info-resource')) continue;
        const message = row.querySelector('.marker-message')?.textContent ?? undefined;
        if (message === undefined) {
          file = row.querySelector('.label-name')?.textContent ?? '';
          folder = row.querySelector('.label-description')?.textContent ?? '';
          continue;
        }
        const source = row.querySelector('.marker-source')?.textContent ?? '';
        const matches =
          file === q.fileName &&
          folder.trim() === q.folder &&
          source === q.source &&
          (q.text === undefined || message.includes(q.text));
        if (!matches) continue;
        const label = row.getAttribute('aria-label') ?? '';
        const severity = /^(Error|Warning|Info)/.exec(label)?.[1] ?? '';
        const position = row.querySelector('.marker-line')?.textContent ?? '';
        const line = Number(/Ln (\d+)/.exec(position)?.[1] ?? 0);
        return { fileName: file, folder, message, source, severity, position, line };
      }
      return false;
    },
    query,
    { timeout },
  );
  return (await handle.jsonValue()) as ShownProblemAt;
}
