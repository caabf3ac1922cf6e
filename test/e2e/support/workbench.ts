// Page objects for the parts of VS Code's workbench the tests use. Each one waits on the DOM the
// user would see; none sleeps.
import type { Locator, Page } from 'playwright-core';

const cssString = (text: string): string => JSON.stringify(text);

export class ActivityBar {
  constructor(private readonly page: Page) {}

  /** The icon of a view container, found by its title (what a user hovers to read). */
  item(title: string): Locator {
    return this.page.locator(
      `.part.activitybar .action-item a.action-label[aria-label=${cssString(title)}]`,
    );
  }

  /** The same icon, found by the view container id in its contribution. */
  itemById(containerId: string): Locator {
    return this.page.locator(
      `.part.activitybar a.action-label[class*=${cssString(`-extension-${containerId}-`)}]`,
    );
  }
}

export class SideBar {
  constructor(private readonly page: Page) {}

  title(): Locator {
    return this.page.locator('.part.sidebar .composite.title h2');
  }

  /** A view's section in the side bar, by its name ("Clusters"). */
  view(name: string): ViewPane {
    return new ViewPane(
      this.page.locator('.part.sidebar .pane').filter({ has: this.viewHeader(name) }),
    );
  }

  /** A view's header reads "<name> Section", or "<name> - <description> Section" when it has one. */
  private viewHeader(name: string): Locator {
    return this.page.locator(
      `.pane-header:is([aria-label=${cssString(`${name} Section`)}], [aria-label^=${cssString(`${name} - `)}])`,
    );
  }
}

export class ViewPane {
  constructor(readonly root: Locator) {}

  /** The view's welcome content (shown while its tree is empty). */
  welcome(): Locator {
    return this.root.locator('.welcome-view-content');
  }

  treeItems(): Locator {
    return this.root.locator('.monaco-list-row[role="treeitem"]');
  }
}

export class QuickInput {
  constructor(private readonly page: Page) {}

  widget(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  rows(): Locator {
    return this.widget().locator('.quick-input-list .monaco-list-row');
  }

  /** Quick Open (Ctrl+P): opens a file of the folder by name and waits for its editor tab. */
  async openFile(fileName: string, timeout = 30_000): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.widget().waitFor({ state: 'visible', timeout });
    await this.page.keyboard.type(fileName);
    await this.rows()
      .filter({ has: this.page.locator('.label-name', { hasText: fileName }) })
      .first()
      .waitFor({ timeout });
    await this.page.keyboard.press('Enter');
    await new Editor(this.page).activeTab(fileName).waitFor({ timeout });
  }

  /** The Command Palette (F1) filtered by `text`; returns the rows it shows. */
  async commandPalette(text: string, timeout = 30_000): Promise<Locator> {
    await this.page.keyboard.press('F1');
    await this.widget().waitFor({ state: 'visible', timeout });
    await this.page.keyboard.type(text);
    return this.rows();
  }

  /** Runs a command by its full label ("GitOps Workbench: Show Log"). */
  async runCommand(label: string, timeout = 30_000): Promise<void> {
    const rows = await this.commandPalette(label, timeout);
    await rows.filter({ hasText: label }).first().waitFor({ timeout });
    await this.page.keyboard.press('Enter');
    await this.widget().waitFor({ state: 'hidden', timeout });
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.widget().waitFor({ state: 'hidden' });
  }
}

export class Editor {
  constructor(private readonly page: Page) {}

  activeTab(fileName: string): Locator {
    return this.page.locator('.editor-group-container .tab.active').filter({ hasText: fileName });
  }
}

export class ProblemsPanel {
  constructor(private readonly page: Page) {}

  /** Opens the panel (Ctrl+Shift+M, "View: Show Problems"). */
  async open(timeout = 30_000): Promise<void> {
    // Control+Shift+M toggles: pressed while the panel shows, it may hide it.
    if (await this.root().isVisible()) return;
    await this.page.keyboard.press('Control+Shift+M');
    await this.root().waitFor({ state: 'visible', timeout });
  }

  root(): Locator {
    return this.page.locator('.markers-panel');
  }

  /** Problem rows (not the file rows), optionally only those whose source is `source`. */
  problems(source?: string): Locator {
    const rows = this.root()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.marker-message') });
    return source
      ? rows.filter({ has: this.page.locator('.marker-source', { hasText: source }) })
      : rows;
  }

  /**
   * Waits until the panel lists, under the file `fileName`, a problem from `source` whose message
   * contains `text` (any message when omitted); returns what the row shows.
   */
  async waitForProblem(query: ProblemQuery, timeout = 60_000): Promise<ShownProblem> {
    const handle = await this.page.waitForFunction(
      (q: ProblemQuery): ShownProblem | false => {
        // Runs in the page; the project compiles without DOM types, so they are described here.
        const { document } = globalThis as unknown as { document: PageNode };
        const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
        // (No named inner functions: tsx would wrap them in a helper the page does not have.)
        rows.sort(
          (a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')),
        );
        let file = '';
        for (const row of rows) {
          const message = row.querySelector('.marker-message')?.textContent ?? undefined;
          if (message === undefined) {
            file = row.querySelector('.label-name')?.textContent ?? '';
            continue;
          }
          const source = row.querySelector('.marker-source')?.textContent ?? '';
          const label = row.getAttribute('aria-label') ?? '';
          const severity = /^(Error|Warning|Info)/.exec(label)?.[1] ?? '';
          const matches =
            file === q.fileName &&
            source === q.source &&
            (q.text === undefined || message.includes(q.text));
          if (matches) return { fileName: file, message, source, severity };
        }
        return false;
      },
      query,
      { timeout },
    );
    return (await handle.jsonValue()) as ShownProblem;
  }

  /** A problem whose message contains `text`. */
  problem(text: string, source?: string): Locator {
    return this.problems(source).filter({
      has: this.page.locator('.marker-message', { hasText: text }),
    });
  }
}

/** The little of the DOM that `waitForProblem` uses inside the page. */
interface PageNode {
  querySelectorAll(selector: string): Iterable<PageNode>;
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

export interface ProblemQuery {
  fileName: string;
  source: string;
  text?: string;
}

export interface ShownProblem {
  fileName: string;
  message: string;
  source: string;
  /** "Error", "Warning" or "Info", as the row's accessible label says. */
  severity: string;
}

export class TrustDialog {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.locator('.monaco-dialog-box').filter({ hasText: 'Do you trust the authors' });
  }

  /** "No, I don't trust the authors": the folder opens in restricted mode. */
  async chooseRestrictedMode(timeout = 30_000): Promise<void> {
    await this.root().waitFor({ state: 'visible', timeout });
    await this.root().getByRole('button', { name: "No, I don't trust the authors" }).click();
    await this.root().waitFor({ state: 'hidden', timeout });
  }
}

export class StatusBar {
  constructor(private readonly page: Page) {}

  item(text: string): Locator {
    return this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: text });
  }
}

/** The whole workbench of one page. */
export class Workbench {
  readonly activityBar: ActivityBar;
  readonly sideBar: SideBar;
  readonly quickInput: QuickInput;
  readonly problems: ProblemsPanel;
  readonly trustDialog: TrustDialog;
  readonly statusBar: StatusBar;

  constructor(readonly page: Page) {
    this.activityBar = new ActivityBar(page);
    this.sideBar = new SideBar(page);
    this.quickInput = new QuickInput(page);
    this.problems = new ProblemsPanel(page);
    this.trustDialog = new TrustDialog(page);
    this.statusBar = new StatusBar(page);
  }

  root(): Locator {
    return this.page.locator('.monaco-workbench');
  }
}
