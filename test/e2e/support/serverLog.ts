// The "GitOps Workbench" log in the Output panel, where the language server says what it is doing.
import type { Page } from 'playwright-core';
import type { QuickInput } from './workbench';

/**
 * Shows the log ("GitOps Workbench: Show Log") and waits until the Output panel shows a line that
 * matches `pattern`; returns that line. The panel follows the end of the log, so the line must be
 * among the last ones when it is shown.
 */
export async function waitForLogLine(
  page: Page,
  quickInput: QuickInput,
  pattern: RegExp,
  timeout = 60_000,
): Promise<string> {
  await quickInput.runCommand('GitOps Workbench: Show Log');
  const line = page.locator('.part.panel .monaco-editor .view-line').filter({ hasText: pattern });
  await line.first().waitFor({ state: 'visible', timeout });
  return (await line.first().innerText()).replace(/\u00a0/g, ' ');
}
