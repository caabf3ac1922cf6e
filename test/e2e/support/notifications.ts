// Notifications as a user reads them: the toasts in the corner and, once those hide, the
// notification center. Waits re-read the page; none sleeps.
import type { Page } from 'playwright-core';
import { pollUntil } from './poll';

/** One notification as it is shown now. */
export interface ShownNotification {
  message: string;
  /** "error", "warning" or "info", from the icon beside the message. */
  severity: string;
}

/** The little of the DOM that `shown()` uses inside the page (no DOM types in this project). */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

export class Notifications {
  constructor(private readonly page: Page) {}

  /** Every notification in the toasts and the notification center, messages trimmed. */
  async shown(): Promise<ShownNotification[]> {
    return this.page
      .locator(
        '.notifications-toasts .notification-list-item, .notifications-center .notification-list-item',
      )
      .evaluateAll((elements: unknown[]): ShownNotification[] =>
        (elements as PageElement[]).map((item) => {
          const icon = item.querySelector('.notification-list-item-icon')?.getAttribute('class');
          return {
            message: (item.querySelector('.notification-list-item-message')?.textContent ?? '')
              .replace(/\s+/g, ' ')
              .trim(),
            severity: /codicon-(error|warning|info)\b/.exec(icon ?? '')?.[1] ?? '',
          };
        }),
      );
  }

  /**
   * Waits until a notification whose message `accepts` is shown, and returns it; `what` describes
   * it for the error, which lists the notifications that were shown last.
   */
  async waitFor(
    accepts: (message: string) => boolean,
    what: string,
    timeout = 60_000,
  ): Promise<ShownNotification> {
    return pollUntil(
      async () => {
        const all = await this.shown();
        return {
          value: all.find((shown) => accepts(shown.message)),
          seen: all.length
            ? all.map((shown) => `${shown.severity}: ${shown.message}`).join(' | ')
            : 'no notification',
        };
      },
      { timeout, what, intervalMs: 200 },
    );
  }
}
