// The Clusters tree as a user reads it: rows by label, the description beside each label, and
// expanding a row by clicking it. Waits re-read the tree; none sleeps.
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './poll';
import type { ViewPane } from './workbench';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One row of the tree as it is shown now. */
export interface ShownRow {
  label: string;
  description: string;
  /** `true` or `false` for a row that can expand; `undefined` for a leaf. */
  expanded: boolean | undefined;
}

export class ClustersTree {
  constructor(
    private readonly page: Page,
    private readonly pane: ViewPane,
  ) {}

  /** The row whose label reads exactly `label` ("workbench-admin", "Deployment/podinfo"). */
  row(label: string): Locator {
    return this.pane
      .treeItems()
      .filter({
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
      })
      .first();
  }

  /** Every row the tree renders now, top to bottom. */
  async rows(): Promise<ShownRow[]> {
    return this.pane.treeItems().evaluateAll((elements: unknown[]): ShownRow[] =>
      (elements as PageElement[])
        .map((row) => {
          const expanded = row.getAttribute('aria-expanded');
          return {
            index: Number(row.getAttribute('data-index')),
            label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
            description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
            expanded: expanded === null ? undefined : expanded === 'true',
          };
        })
        .sort((a, b) => a.index - b.index)
        .map(({ label, description, expanded }) => ({ label, description, expanded })),
    );
  }

  /**
   * Waits until the row `label` is shown with a description that `accepts`, and returns it; the
   * error names what the tree showed last.
   */
  async waitForRow(
    label: string,
    accepts: (description: string) => boolean,
    what: string,
    timeout = 60_000,
  ): Promise<ShownRow> {
    return pollUntil(
      async () => {
        const rows = await this.rows();
        const row = rows.find((shown) => shown.label === label && accepts(shown.description));
        return { value: row, seen: describeRows(rows) };
      },
      { timeout, what, intervalMs: 200 },
    );
  }

  /** Expands the row `label` by clicking it, unless it is expanded already. */
  async expand(label: string, timeout = 30_000): Promise<void> {
    const row = this.row(label);
    await row.waitFor({ state: 'visible', timeout });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click({ timeout });
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout });
  }
}

/** The little of the DOM that `rows()` uses inside the page (no DOM types in this project). */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** "workbench-admin (1 app) | podinfo-staging (OutOfSync · …)", for error messages. */
export function describeRows(rows: readonly ShownRow[]): string {
  if (rows.length === 0) return 'an empty tree';
  return rows
    .map((row) => (row.description ? `${row.label} (${row.description})` : row.label))
    .join(' | ');
}
