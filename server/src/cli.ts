/**
 * The `gitops-workbench` command line: the engine, headless, for CI. Errors are one line on
 * stderr and exit code 2; never a stack trace.
 */
import { escapeControls, escapeTerminalText } from './controlChars';
import { PathNotFoundError } from './engine/files/yamlFiles';
import { runCheck } from './cli/checkCommand';
import type * as GitCommands from './cli/gitCommands';
import { gitExitCode } from './cli/gitExit';
import { GitError } from './engine/git/types';
import { cliText } from './cli/flagHints';
import { RenderCommandError, runRender } from './cli/renderCommand';
import type * as StatusCommands from './cli/statusCommand';
import type * as ImpactCommands from './cli/impactCommand';
import { isCheckWorker, runCheckWorker } from './cli/parallelCheck';
import { USAGE, UsageError } from './cli/usage';

declare const PACKAGE_VERSION: string | undefined;

/**
 * The status and diff commands, loaded when one runs: the cluster client is most of the CLI's
 * code, and the other commands (`check` first) start without it.
 */
let statusCommands: typeof StatusCommands | undefined;

async function loadStatusCommands(): Promise<typeof StatusCommands> {
  statusCommands ??= await import('./cli/statusCommand');
  return statusCommands;
}

/** The history and rollback commands, loaded when one runs (git's code). */
let gitCommands: typeof GitCommands | undefined;

async function loadGitCommands(): Promise<typeof GitCommands> {
  gitCommands ??= await import('./cli/gitCommands');
  return gitCommands;
}

/** The impact command, loaded when it runs (two snapshots, the rendered validation). */
let impactCommands: typeof ImpactCommands | undefined;

async function loadImpactCommands(): Promise<typeof ImpactCommands> {
  impactCommands ??= await import('./cli/impactCommand');
  return impactCommands;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  // All of stdout goes through here: no character of a repository acts on the terminal.
  const write = (text: string): void => {
    process.stdout.write(escapeTerminalText(text));
  };
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  switch (command) {
    case 'check':
      return runCheck(rest, write, controller.signal);
    case 'render':
      return runRender(rest, write, controller.signal, (text) => {
        process.stderr.write(escapeTerminalText(text));
      });
    case 'status':
      return (await loadStatusCommands()).runStatus(rest, write, controller.signal);
    case 'diff':
      return (await loadStatusCommands()).runDiff(rest, write, controller.signal);
    case 'history':
      return (await loadGitCommands()).runHistory(rest, write, controller.signal);
    case 'rollback':
      return (await loadGitCommands()).runRollback(rest, write, controller.signal);
    case 'impact':
      return (await loadImpactCommands()).runImpact(rest, write, controller.signal);
    case '-h':
    case '--help':
    case 'help':
      write(USAGE + '\n');
      return 0;
    case '-v':
    case '--version':
      write(`${typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev'}\n`);
      return 0;
    case undefined:
      throw new UsageError('no command given.');
    default:
      throw new UsageError(`unknown command "${command}".`);
  }
}

function describe(error: unknown): string {
  if (error instanceof UsageError) {
    return `gitops-workbench: ${error.message} Run "gitops-workbench --help" for usage.`;
  }
  if (
    error instanceof RenderCommandError ||
    (statusCommands && error instanceof statusCommands.StatusCommandError) ||
    (impactCommands && error instanceof impactCommands.ImpactCommandError)
  ) {
    return `gitops-workbench: ${error.message}`;
  }
  if (error instanceof GitError) {
    return `gitops-workbench: ${cliText(error.message, error.hint)}`;
  }
  if (error instanceof PathNotFoundError) {
    return `gitops-workbench: ${error.message}. Check the path and try again.`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    const message = (error as Error).message;
    // Node explains in three lines; a value that starts with "-" (a branch named "--output=x")
    // is never taken as a value, so one sentence says what happened and what to do.
    const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
    const said = ambiguous
      ? `${ambiguous[1]} needs a value, but what follows it starts with "-" and is read as an option: give ${ambiguous[1]} its value`
      : (message.split('\n')[0] ?? message);
    return `gitops-workbench: ${said}. Run "gitops-workbench --help" for usage.`;
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return 'gitops-workbench: interrupted.';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `gitops-workbench: internal error: ${message.split('\n')[0] ?? ''}`;
}

if (isCheckWorker()) {
  runCheckWorker();
} else {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is not a failure of ours.
    process.exit(error.code === 'EPIPE' ? 0 : 2);
  });

  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(escapeControls(describe(error)) + '\n');
      process.exitCode = error instanceof RenderCommandError ? 1 : gitExitCode(error);
    },
  );
}
