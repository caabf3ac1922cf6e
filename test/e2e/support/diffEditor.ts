// VS Code's diff editor as a user reads it: the tab's title, and the lines of the original (left)
// and modified (right) sides, in the order they are shown.
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './poll';

export type DiffSide = 'original' | 'modified';

/** The little of the DOM that `lines()` uses inside the page (no DOM types in this project). */
interface PageElement {
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { top: number };
  textContent: string | null;
}

export class DiffEditor {
  /** `title`: a part of the tab's title ("Deployment/podinfo"). */
  constructor(
    private readonly page: Page,
    readonly title: string,
  ) {}

  /** The active editor tab whose title contains `title`. */
  tab(): Locator {
    return this.page
      .locator('.part.editor .tab.active')
      .filter({ has: this.page.locator('.label-name', { hasText: this.title }) });
  }

  /** The full title the tab shows. */
  async tabTitle(): Promise<string> {
    return (await this.tab().locator('.label-name').first().textContent())?.trim() ?? '';
  }

  /** The diff editor of the active editor group. */
  root(): Locator {
    return this.page.locator('.part.editor .editor-group-container.active .monaco-diff-editor');
  }

  side(side: DiffSide): Locator {
    return this.root().locator(`.editor.${side}`);
  }

  /** Waits for the tab and both sides of the diff to be visible. */
  async waitForOpen(timeout = 30_000): Promise<void> {
    await this.tab().waitFor({ state: 'visible', timeout });
    await this.side('original').waitFor({ state: 'visible', timeout });
    await this.side('modified').waitFor({ state: 'visible', timeout });
  }

  /** The lines one side renders now (those scrolled into view), top to bottom. */
  async lines(side: DiffSide): Promise<string[]> {
    return this.side(side).evaluate((element: unknown): string[] => {
      const editor = element as PageElement;
      const shown: Array<{ top: number; text: string }> = [];
      for (const line of editor.querySelectorAll('.view-lines .view-line')) {
        // Monaco renders spaces as no-break spaces.
        const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        shown.push({ top: line.getBoundingClientRect().top, text });
      }
      return shown.sort((a, b) => a.top - b.top).map((line) => line.text);
    });
  }

  /** Waits until `side` shows a line that `pattern` matches; returns that line. */
  async waitForLine(side: DiffSide, pattern: RegExp, timeout = 30_000): Promise<string> {
    return pollUntil(
      async () => {
        const lines = await this.lines(side);
        const found = lines.find((line) => pattern.test(line));
        return {
          value: found,
          seen: lines.length > 0 ? JSON.stringify(lines.join('\n')) : 'no lines',
        };
      },
      { timeout, what: `the ${side} side to show a line matching ${String(pattern)}` },
    );
  }
}
