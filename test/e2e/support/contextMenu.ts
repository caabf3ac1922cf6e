// A row's context menu, as a user works it: right-click, then click an item.
import type { Locator, Page } from 'playwright-core';

/**
 * Right-clicks `row` and clicks the menu item `name`. VS Code's menu closes as it starts the
 * item's command (`onWillRun` in its context menu handler). Here it sometimes stays open after a
 * click, the item highlighted and nothing run, as if the click never reached it: a user clicks
 * again, and so does this, saying so through `note`.
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
