// The read-only "Rendered <unit>" document that Show Rendered Manifests opens beside the editor.
// Monaco only puts the lines in view into the page, so the whole text is read as a user would
// read it: from the top, a page at a time (Ctrl+Home, then Page Down).
import type { Locator, Page } from 'playwright-core';
import { CodeEditor } from './editor';
import type { ShownLine } from './editor';
import { pollUntil } from './poll';

/** The scheme of the preview's documents (`RENDERED_SCHEME` in client/src/renderedPreview.ts). */
const renderedScheme = 'gitops-workbench-rendered';

/** A path segment as VS Code writes it in a URI: every character but [A-Za-z0-9-._~] escaped. */
function uriSegment(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export class RenderedPreview extends CodeEditor {
  /**
   * `title`: the tab title, after the unit rendered ("Rendered podinfo (HelmRelease
   * staging∕podinfo)": a "/" of the unit's name is shown as the division slash "∕").
   */
  constructor(
    private readonly view: Page,
    readonly title: string,
  ) {
    // `focus()` clicks the tab with this title.
    super(view, title);
  }

  /** The Monaco editor showing the preview. */
  override root(): Locator {
    return this.view.locator(
      `.part.editor .monaco-editor[data-uri^="${renderedScheme}:"][data-uri*=${JSON.stringify(uriSegment(this.title))}]`,
    );
  }

  /** The preview's tab, wherever its editor group is. */
  tab(): Locator {
    return this.view
      .locator('.part.editor .tab')
      .filter({ has: this.view.locator('.label-name', { hasText: this.relativePath }) });
  }

  /**
   * The whole text of the preview (lines joined with "\n"): moves to its end to learn the number
   * of lines, then reads it from the top a page at a time. Gives the preview the focus.
   */
  async text(timeout = 30_000): Promise<string> {
    await this.focus(timeout);
    await this.view.keyboard.press('Control+Home');
    await this.waitForCursorLine((line) => line === 1, 'the cursor on line 1', timeout);
    await this.view.keyboard.press('Control+End');
    // The text ends with a newline, so its end is on line 2 or later.
    const last = await this.waitForCursorLine(
      (line) => line > 1,
      'the cursor past line 1',
      timeout,
    );
    await this.view.keyboard.press('Control+Home');
    await this.waitForCursorLine((line) => line === 1, 'the cursor back on line 1', timeout);

    const read = new Map<number, string>();
    const keep = (lines: readonly ShownLine[]): void => {
      for (const line of lines) if (line.number <= last) read.set(line.number, line.text);
    };
    keep(await this.lines());
    while (read.size < last) {
      const before = Math.max(0, ...read.keys());
      await this.view.keyboard.press('PageDown');
      keep(
        await pollUntil(
          async () => {
            const lines = await this.lines();
            const bottom = Math.max(0, ...lines.map((line) => line.number));
            return {
              value: bottom > before ? lines : undefined,
              seen: `line ${bottom} at the bottom`,
            };
          },
          { timeout, what: `Page Down to show lines after ${before} of ${last}` },
        ),
      );
    }
    return Array.from({ length: last }, (_, index) => read.get(index + 1) ?? '').join('\n');
  }

  /**
   * Reads the preview until `accept` returns true for its text (it refreshes a moment after an
   * edit), and returns that text; the error shows the first lines last read.
   */
  async waitForText(
    accept: (text: string) => boolean,
    what: string,
    timeout = 60_000,
  ): Promise<string> {
    return pollUntil(
      async () => {
        const text = await this.text();
        const head = text.split('\n').slice(0, 3).join(' | ');
        return { value: accept(text) ? text : undefined, seen: `${JSON.stringify(head)} ...` };
      },
      { timeout, what, intervalMs: 250 },
    );
  }

  /** Waits until the status bar shows the cursor on a line `accept`s, and returns the line. */
  private async waitForCursorLine(
    accept: (line: number) => boolean,
    what: string,
    timeout: number,
  ): Promise<number> {
    const item = this.view
      .locator('.part.statusbar .statusbar-item')
      .filter({ hasText: /^\s*Ln \d+, Col \d+/ });
    return pollUntil(
      async () => {
        const shown = (await item.allInnerTexts()).join(' ');
        const line = Number(/Ln (\d+)/.exec(shown)?.[1] ?? Number.NaN);
        return { value: accept(line) ? line : undefined, seen: JSON.stringify(shown) };
      },
      { timeout, what },
    );
  }
}
