// A row's context menu, as a user works it: right-click, then click an item.
import { setTimeout as delay } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';

/**
 * How long after rendering an item VS Code's menu starts listening for the mouse-up that runs it
 * (`runOnceToEnableMouseUp` in src/vs/base/browser/ui/menu/menu.ts: 100 ms, so the release of
 * the right-click that opened the menu cannot run an item), and a margin. No person clicks an
 * item that fast; Playwright clicks as soon as the item is visible and still, and such a click
 * is dropped: the menu stays open with the item highlighted and nothing run.
 */
const MENU_ARMED_MS = 100 + 100;

/**
 * Right-clicks `row` and clicks the menu item `name`, once the menu takes clicks. VS Code's
 * menu closes as it starts the item's command (`onWillRun` in its context menu handler); if it
 * is still open, the click was dropped after all: this clicks again and says so through `note`.
 */
export async function runMenuItem(
  page: Page,
  row: Locator,
  name: string,
  note: (message: string) => void,
): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.getByRole('menuitem', { name });
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  await delay(MENU_ARMED_MS);
  await item.click();
  const closed = await item.waitFor({ state: 'hidden', timeout: 2_000 }).then(
    () => true,
    () => false,
  );
  if (closed) return;
  note(`the menu did not take the first click on "${name}": clicked again`);
  await item.click();
  await item.waitFor({ state: 'hidden', timeout: 5_000 });
}
