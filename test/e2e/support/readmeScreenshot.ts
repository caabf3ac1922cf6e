// `npx tsx test/e2e/support/readmeScreenshot.ts`: retakes media/screenshot-clusters.png, the README's
// picture of the real UI (needs dist/gitops-workbench.vsix). Two mistakes a user might make in the
// example repo: a second `image:` key in deployment.yaml and a Service without its apiVersion.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnosticSource } from './manifests';
import { exampleRepo, repoRoot } from './paths';
import { openSession } from './session';

const base = 'apps/podinfo/base';

function brokenCopies(): Record<string, string> {
  const read = (file: string): string => readFileSync(path.join(exampleRepo, base, file), 'utf8');
  return {
    [`${base}/deployment.yaml`]: read('deployment.yaml').replace(
      /^( +)imagePullPolicy: IfNotPresent\n/m,
      '$1imagePullPolicy: IfNotPresent\n$1image: ghcr.io/stefanprodan/podinfo:6.14.0\n',
    ),
    [`${base}/service.yaml`]: read('service.yaml').replace(/^apiVersion: v1\n/, ''),
  };
}

async function main(): Promise<void> {
  const session = await openSession({
    name: 'readme-screenshot',
    trusted: true,
    files: brokenCopies(),
  });
  try {
    const { activityBar, sideBar, quickInput, problems, page } = session.workbench;
    await activityBar.item('GitOps Workbench').click();
    await sideBar.view('Clusters').welcome().filter({ hasText: 'No Kubernetes cluster' }).waitFor();
    await quickInput.openFile('service.yaml');
    await quickInput.openFile('deployment.yaml');
    await problems.open();
    await problems.waitForProblem({ fileName: 'service.yaml', source: diagnosticSource });
    await problems.waitForProblem({ fileName: 'deployment.yaml', source: diagnosticSource });
    // Reveal the deployment's error in the editor, then park the mouse where it shows no hover.
    await problems.problems(diagnosticSource).first().click();
    const duplicate = page.locator('.view-line').filter({ hasText: 'podinfo:6.14.0' });
    const box = await duplicate.boundingBox();
    await duplicate.click({ position: { x: (box?.width ?? 600) - 20, y: 5 } }); // no selection
    await page.mouse.move(1000, 880);
    await page.locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'hidden' });
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
