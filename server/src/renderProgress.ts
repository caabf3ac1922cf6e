/**
 * The workspace's rendering as LSP work done progress (the editor shows it in its status bar):
 * begun at the first report, a message of units done at most every 250 ms, ended when nothing
 * is left. A client without work done progress gets nothing.
 */
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { RenderProgress } from './renderValidation';

const REPORT_EVERY_MS = 250;

export function renderProgressReporter(
  connection: Connection,
): (report: RenderProgress | undefined) => void {
  let reporter: Promise<WorkDoneProgressServerReporter> | undefined;
  let lastReport = 0;
  return (report) => {
    if (!report) {
      const ending = reporter;
      reporter = undefined;
      void ending?.then((progress) => progress.done()).catch(() => undefined);
      return;
    }
    const message = `${report.done} of ${report.total} unit(s)`;
    const percentage = report.total > 0 ? Math.floor((report.done / report.total) * 100) : 0;
    if (!reporter) {
      reporter = connection.window.createWorkDoneProgress().then((progress) => {
        progress.begin('GitOps Workbench: rendering the workspace', percentage, message);
        return progress;
      });
      // A client that refuses the progress loses nothing else.
      reporter.catch(() => undefined);
      lastReport = Date.now();
      return;
    }
    const now = Date.now();
    if (now - lastReport < REPORT_EVERY_MS) return;
    lastReport = now;
    void reporter.then((progress) => progress.report(percentage, message)).catch(() => undefined);
  };
}
