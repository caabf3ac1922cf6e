// `npm start`: builds the VSIX, installs code-server into the user cache when needed, and serves
// VS Code with GitOps Workbench on a copy of examples/podinfo-gitops made a Git repository of its
// own in the OS temp folder, whose `origin` is a local bare repository beside it (a stand-in for a
// Git host): History and Rollback show the demo's commits, and a rollback pushes there, never to
// the project's remote. Ctrl-C stops everything it started; the demo folder is kept.
// `npm start -- --no-build` serves the VSIX that is already in dist/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, freePort, logsDir, startCodeServer } from './harness/codeServer';
import type { RunningCodeServer } from './harness/codeServer';
import { startDemoCluster } from './harness/demoCluster';
import type { DemoCluster } from './harness/demoCluster';
import { createDemoRepo, makeDemoParent } from './harness/demoRepo';
import { npmInvocation, runLogged } from './harness/systemPackages';

const repoRoot = path.resolve(__dirname, '..');
const vsixPath = path.join(repoRoot, 'dist', 'gitops-workbench.vsix');

const stopController = new AbortController();
let server: RunningCodeServer | undefined;
let cluster: DemoCluster | undefined;
let stopping: Promise<void> | undefined;

function stopAll(exitCode: number): Promise<void> {
  stopping ??= (async (): Promise<void> => {
    stopController.abort();
    await server?.stop();
    await cluster?.plane.stop();
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping code-server and the demo cluster…`);
    void stopAll(0);
  });
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

async function buildVsix(): Promise<void> {
  const npm = npmInvocation();
  const logPath = path.join(logsDir(), 'start-package.log');
  console.log('Building the VSIX (npm run package)…');
  try {
    await runLogged(npm.command, [...npm.prefixArgs, 'run', 'package'], {
      step: 'npm run package',
      cwd: repoRoot,
      logPath,
      signal: stopController.signal,
      timeoutMs: 5 * 60_000,
    });
  } catch (error) {
    console.error(lastLines(logPath, 30));
    throw error;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!process.argv.includes('--no-build')) await buildVsix();
  else if (!existsSync(vsixPath))
    throw new Error(`${vsixPath} is missing: run npm start without --no-build.`);
  await ensureCodeServer({
    onProgress: (message) => console.log(message),
    signal: stopController.signal,
  });
  const demo = await createDemoRepo({
    parent: makeDemoParent(),
    signal: stopController.signal,
  });
  console.log(`Demo repository: ${demo.folder} (${demo.commits.length} commits on main)`);
  console.log(
    `Its origin: ${demo.origin} (a local bare repository standing in for a Git host: rollbacks and pull requests push there)`,
  );
  cluster = await startDemoCluster(stopController.signal, console.log, demo.folder);
  // The product reads the demo cluster's contexts like any kubeconfig.
  process.env['KUBECONFIG'] = cluster.plane.kubeconfigPath;
  const requested = Number(process.env['PORT']);
  const port = await freePort(Number.isInteger(requested) && requested > 0 ? requested : 8080);
  server = await startCodeServer({
    folder: demo.folder,
    vsixPath,
    trustWorkspace: true,
    port,
    signal: stopController.signal,
  });

  console.log(
    `code-server is ready after ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${server.logPath})`,
  );
  console.log(`Open ${server.folderUrl}`);
  console.log(
    `Press Ctrl-C to stop. The demo repository stays in ${path.dirname(demo.folder)}: delete it when you are done.`,
  );
  const code = await server.exited;
  if (!stopping) {
    console.error(
      `code-server exited on its own (exit ${code}); its output is in ${server.logPath}.`,
    );
    await stopAll(1);
  }
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
