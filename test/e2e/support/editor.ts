// The text editor of one open file, as a user works in it: moving the cursor, typing, reading the
// lines, the squiggles under them, hovers and quick fixes. Each method waits on what the user sees.
import { errors } from 'playwright-core';
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './poll';

const cssString = (text: string): string => JSON.stringify(text);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A rectangle on the page, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line the editor renders: its number in the gutter, its text, and its vertical extent. */
export interface ShownLine {
  number: number;
  text: string;
  top: number;
  bottom: number;
}

/** The little of the DOM that `lines()` uses inside the page (no DOM types in this project). */
interface PageElement {
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { top: number; bottom: number };
  textContent: string | null;
}

export class CodeEditor {
  /** `relativePath`: the file's path in the opened folder ("apps/podinfo/base/deployment.yaml"). */
  constructor(
    private readonly page: Page,
    readonly relativePath: string,
  ) {}

  /** Opens the file with Quick Open (Ctrl+P), typing its path, and waits for its editor. */
  static async open(page: Page, relativePath: string, timeout = 30_000): Promise<CodeEditor> {
    const fileName = relativePath.split('/').at(-1) ?? relativePath;
    const folder = relativePath.split('/').slice(0, -1).join('/');
    const widget = page.locator('.quick-input-widget');
    await page.keyboard.press('Control+P');
    await widget.waitFor({ state: 'visible', timeout });
    await page.keyboard.type(relativePath);
    const row = widget
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: fileName }) })
      .filter({ has: page.locator('.label-description', { hasText: folder }) });
    await row.first().click({ timeout });
    await widget.waitFor({ state: 'hidden', timeout });
    const editor = new CodeEditor(page, relativePath);
    await editor.root().waitFor({ state: 'visible', timeout });
    return editor;
  }

  /** The Monaco editor showing this file. */
  root(): Locator {
    return this.page.locator(
      `.part.editor .monaco-editor[data-uri$=${cssString(`/${this.relativePath}`)}]`,
    );
  }

  /** Gives the editor the keyboard focus by clicking its tab. */
  async focus(timeout = 30_000): Promise<void> {
    const fileName = this.relativePath.split('/').at(-1) ?? this.relativePath;
    await this.page
      .locator('.part.editor .tab')
      .filter({ has: this.page.locator('.label-name', { hasText: fileName }) })
      .first()
      .click({ timeout });
    await this.root().and(this.page.locator('.focused')).waitFor({ timeout });
  }

  /** Go to Line/Column (Ctrl+G); waits until the status bar shows the new cursor position. */
  async goTo(line: number, column: number, timeout = 30_000): Promise<void> {
    await this.focus(timeout);
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press('Control+G');
    await widget.waitFor({ state: 'visible', timeout });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout });
    await this.statusBarCursor(`Ln ${line}, Col ${column}`).waitFor({ timeout });
  }

  /**
   * Replaces `word`, which starts at `line`:`column`, by typing `text` over it (select the word
   * with Ctrl+Shift+Right, then type), as a user does; the file is not saved.
   */
  async retype(line: number, column: number, word: string, text: string): Promise<void> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+Shift+ArrowRight');
    const selected = `Ln ${line}, Col ${column + word.length} (${word.length} selected)`;
    await this.statusBarCursor(selected).waitFor({ timeout: 10_000 });
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Escape'); // closes a suggestion list, if one opened
  }

  /** The lines the editor renders now (those scrolled into view). */
  async lines(): Promise<ShownLine[]> {
    return this.root().evaluate((element: unknown): ShownLine[] => {
      const editor = element as PageElement;
      const texts = new Map<number, string>();
      for (const line of editor.querySelectorAll('.view-lines .view-line')) {
        texts.set(Math.round(line.getBoundingClientRect().top), line.textContent ?? '');
      }
      const shown: ShownLine[] = [];
      for (const gutter of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        const rect = gutter.getBoundingClientRect();
        const text = texts.get(Math.round(rect.top));
        const number = Number(gutter.textContent);
        if (text === undefined || !Number.isInteger(number)) continue;
        // Monaco renders spaces as no-break spaces.
        shown.push({
          number,
          text: text.replace(/\u00a0/g, ' '),
          top: rect.top,
          bottom: rect.bottom,
        });
      }
      return shown.sort((a, b) => a.number - b.number);
    });
  }

  /** Waits until line `number` reads `text` (spaces as typed) and returns it. */
  async waitForLine(number: number, text: string, timeout = 30_000): Promise<ShownLine> {
    return pollUntil(
      async () => {
        const line = (await this.lines()).find((shown) => shown.number === number);
        return {
          value: line?.text === text ? line : undefined,
          seen: line ? JSON.stringify(line.text) : `line ${number} not rendered`,
        };
      },
      { timeout, what: `line ${number} to read ${JSON.stringify(text)}` },
    );
  }

  /** A syntax token that reads exactly `text` (a YAML key is one token). */
  token(text: string): Locator {
    return this.root().locator('.view-line span span', {
      hasText: new RegExp(`^${escapeRegExp(text)}$`),
    });
  }

  /** The boxes of the error squiggles (`.squiggly-error` decorations) the editor shows. */
  async errorSquiggles(): Promise<Box[]> {
    const boxes = await Promise.all(
      (await this.root().locator('.squiggly-error').all()).map((squiggle) =>
        squiggle.boundingBox(),
      ),
    );
    return boxes.filter((box): box is Box => box !== null);
  }

  /**
   * Moves the mouse onto the token `text` until the hover widget shows `expected` (the language
   * server may still be starting: then the first hover is empty), and returns the widget.
   */
  async hover(text: string, expected: string, timeout = 60_000): Promise<Locator> {
    const widget = this.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: expected });
    await pollUntil(
      async () => {
        await this.page.mouse.move(0, 0);
        await this.token(text).first().hover({ timeout });
        try {
          await widget.first().waitFor({ state: 'visible', timeout: 5_000 });
          return { value: true, seen: '' };
        } catch (error) {
          if (!(error instanceof errors.TimeoutError)) throw error;
          const shown = await this.page.locator('.monaco-hover:not(.hidden)').allInnerTexts();
          return { seen: shown.length > 0 ? JSON.stringify(shown.join(' | ')) : 'no hover' };
        }
      },
      { timeout, what: `a hover with ${JSON.stringify(expected)}` },
    );
    return widget.first();
  }

  /** Quick Fix (Ctrl+.) at the cursor; returns the menu once it is visible. */
  async openQuickFixMenu(timeout = 30_000): Promise<Locator> {
    await this.page.keyboard.press('Control+.');
    const menu = this.page.locator('.context-view .action-widget');
    await menu.waitFor({ state: 'visible', timeout });
    return menu;
  }

  /**
   * Chooses the action titled `title` in the open Quick Fix menu with the keyboard (Down until it
   * is focused, then Enter: the menu's pointer block swallows a synthetic click) and waits for the
   * menu to close.
   */
  async chooseQuickFix(menu: Locator, title: string, timeout = 30_000): Promise<void> {
    const actions = menu.locator('.monaco-list-row.action');
    const wanted = actions.and(this.page.locator(`[aria-label=${cssString(title)}]`));
    await wanted.waitFor({ timeout });
    const focused = actions.and(this.page.locator('.focused'));
    const count = await actions.count();
    for (let step = 0; step < count; step++) {
      if ((await focused.getAttribute('aria-label', { timeout })) === title) break;
      await this.page.keyboard.press('ArrowDown');
    }
    await wanted.and(this.page.locator('.focused')).waitFor({ timeout });
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout });
  }

  private statusBarCursor(text: string): Locator {
    return this.page
      .locator('.part.statusbar .statusbar-item')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) });
  }
}

/** The squiggles whose vertical centre lies on `line`. */
export function squigglesOn(squiggles: readonly Box[], line: ShownLine): Box[] {
  return squiggles.filter((box) => {
    const centre = box.y + box.height / 2;
    return centre >= line.top && centre <= line.bottom;
  });
}

/** Whether `box` spans `target` horizontally, to within `tolerance` pixels at each end. */
export function spansHorizontally(box: Box, target: Box, tolerance = 2): boolean {
  return (
    Math.abs(box.x - target.x) <= tolerance &&
    Math.abs(box.x + box.width - (target.x + target.width)) <= tolerance
  );
}
