// `npx tsx test/e2e/support/readmeScreenshot.ts`: retakes media/screenshot-clusters.png, the README's
// picture of the real UI (needs dist/gitops-workbench.vsix). Two mistakes a user might make in the
// example repo, both caught by the Kubernetes 1.34 schemas: a misspelt field in deployment.yaml and
// a CronJob still on batch/v1beta1. The Clusters view shows next to them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CodeEditor } from './editor';
import { diagnosticSource } from './manifests';
import { exampleRepo, repoRoot } from './paths';
import { podinfoBase, removedApiCronJob } from './schemaManifests';
import { openSession } from './session';

const deployment = `${podinfoBase}/deployment.yaml`;
const typo = { field: 'revisionHistoryLimit', typed: 'revisionHistoryLimt' };

function brokenCopies(): Record<string, string> {
  const text = readFileSync(path.join(exampleRepo, deployment), 'utf8');
  return {
    [deployment]: text.replace(`${typo.field}:`, `${typo.typed}:`),
    [`${podinfoBase}/cronjob.yaml`]: removedApiCronJob,
  };
}

async function main(): Promise<void> {
  const files = brokenCopies();
  const lines = (files[deployment] ?? '').split('\n');
  const index = lines.findIndex((line) => line.includes(`${typo.typed}:`));
  const session = await openSession({ name: 'readme-screenshot', trusted: true, files });
  try {
    const { activityBar, sideBar, problems, page } = session.workbench;
    await activityBar.item('GitOps Workbench').click();
    await sideBar.view('Clusters').welcome().filter({ hasText: 'No Kubernetes cluster' }).waitFor();
    // The panel opens (and takes the focus) while it is still empty, so no problem is selected.
    await problems.open();
    await CodeEditor.open(page, `${podinfoBase}/cronjob.yaml`);
    const editor = await CodeEditor.open(page, deployment);
    await problems.waitForProblem({
      fileName: 'deployment.yaml',
      source: diagnosticSource,
      text: `Unknown field "${typo.typed}"`,
    });
    await problems.waitForProblem({
      fileName: 'cronjob.yaml',
      source: diagnosticSource,
      text: 'batch/v1beta1 CronJob was removed',
    });
    // The cursor at the start of the misspelt key's line (no selection, no word highlighted),
    // and the mouse parked where it shows no hover.
    await editor.goTo(index + 1, 1);
    await editor.token(typo.typed).first().waitFor();
    await page.mouse.move(1000, 880);
    await page.locator('.monaco-hover:not(.hidden), .workbench-hover').first().waitFor({
      state: 'hidden',
    });
    const file = path.join(repoRoot, 'media', 'screenshot-clusters.png');
    await page.screenshot({ path: file });
    console.log(`Saved ${path.relative(repoRoot, file)}`);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
