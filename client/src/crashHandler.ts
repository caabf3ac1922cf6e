import * as vscode from 'vscode';
import { CloseAction, ErrorAction } from 'vscode-languageclient/node';
import { CrashWindow } from './crashWindow';
import type {
  CloseHandlerResult,
  ErrorHandler,
  ErrorHandlerResult,
  Message,
} from 'vscode-languageclient/node';

const WINDOW_MS = 3 * 60 * 1000;
const MAX_RESTARTS = 4;

/**
 * Restarts the language server when it dies, up to four times in three minutes; after that it
 * stays stopped and tells the user, with a way to read the log and to restart it.
 */
export class CrashHandler implements ErrorHandler {
  private readonly crashes = new CrashWindow(WINDOW_MS, MAX_RESTARTS);

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly restart: () => Promise<void>,
  ) {}

  error(
    error: Error,
    _message: Message | undefined,
    count: number | undefined,
  ): ErrorHandlerResult {
    this.log.error(`Language server connection error: ${error.message}`);
    return {
      action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: true,
    };
  }

  closed(): CloseHandlerResult {
    if (this.crashes.recordCrash(Date.now())) {
      this.log.warn(
        `Language server stopped unexpectedly; restarting (${this.crashes.recentCrashes}).`,
      );
      return { action: CloseAction.Restart, handled: true };
    }
    this.log.error('Language server stopped 5 times in 3 minutes; not restarting it.');
    void this.tellUser();
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private async tellUser(): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      'The GitOps Workbench language server stopped 5 times in 3 minutes, so manifests are not validated. Read the log to see why, then restart it.',
      'Show Log',
      'Restart Server',
    );
    if (choice === 'Show Log') {
      this.log.show();
    } else if (choice === 'Restart Server') {
      this.crashes.reset();
      await this.restart();
    }
  }
}
