// Every problem the Problems panel lists under one file, with its line, for tests that count how
// often the same mistake is listed (once by us, maybe again by another extension).
import type { Page } from 'playwright-core';
import { pollUntil } from './poll';

export interface ProblemRow {
  source: string;
  message: string;
  /** The line the row shows ("[Ln 6, Col 3]" -> 6); 0 when it shows none. */
  line: number;
}

/** The little of the DOM `problemRows` uses inside the page. */
interface PageNode {
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** Every problem the visible Problems panel lists under the file named `fileName`. */
export async function problemRows(page: Page, fileName: string): Promise<ProblemRow[]> {
  return page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((elements: unknown[], name: string): ProblemRow[] => {
      const rows = (elements as PageNode[]).slice();
      rows.sort(
        (a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')),
      );
      const found: ProblemRow[] = [];
      let file = '';
      for (const row of rows) {
        const message = row.querySelector('.marker-message')?.textContent ?? undefined;
        if (message === undefined) {
          file = row.querySelector('.label-name')?.textContent ?? '';
        } else if (file === name) {
          const position = row.querySelector('.marker-line')?.textContent ?? '';
          found.push({
            source: row.querySelector('.marker-source')?.textContent ?? '',
            message,
            line: Number(/Ln (\d+)/.exec(position)?.[1] ?? 0),
          });
        }
      }
      return found;
    }, fileName);
}

export function describeRows(rows: readonly ProblemRow[]): string {
  return rows.length
    ? rows.map((row) => `${row.source} (line ${row.line}): ${row.message}`).join(' | ')
    : 'no problem';
}

/** Waits until the rows under `fileName` satisfy `accepts`, and returns them. */
export function waitForRows(
  page: Page,
  fileName: string,
  accepts: (rows: ProblemRow[]) => boolean,
  what: string,
  timeout = 60_000,
): Promise<ProblemRow[]> {
  return pollUntil(
    async () => {
      const rows = await problemRows(page, fileName);
      return { value: accepts(rows) ? rows : undefined, seen: describeRows(rows) };
    },
    { timeout, what, intervalMs: 250 },
  );
}
