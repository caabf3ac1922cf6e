// `npx tsx test/e2e/support/statusScreenshot.ts`: retakes media/screenshot-status.png, the README's
// picture of sync status in the real UI (needs dist/gitops-workbench.vsix). The demo cluster of
// `npm start` (podinfo-staging deployed as Flux would, then changed by hand), its app expanded in
// the Clusters tree, and the drifted Deployment's live ↔ Git diff open beside it.
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  expandDemoApp,
  openClustersTree,
  openDemoSession,
  openDeploymentDiff,
} from './demoSession';
import { repoRoot } from './paths';
import { pollUntil } from './poll';

/** Wide enough for the diff beside "HorizontalPodAutoscaler/podinfo Synced · Degraded". */
const sideBarWidth = 520;

/** Drags the sash on the side bar's right edge until the side bar is `width` pixels wide. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const sideBar = page.locator('.part.sidebar');
  const box = await sideBar.boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width - 1, y, { steps: 10 });
  await page.mouse.up();
  await pollUntil(
    async () => {
      const now = (await sideBar.boundingBox())?.width ?? 0;
      return { value: Math.abs(now - width) <= 4 ? now : undefined, seen: `${now} px` };
    },
    { timeout: 10_000, what: `a side bar ${width} px wide` },
  );
}

async function main(): Promise<void> {
  const demo = await openDemoSession('status-screenshot', {
    // The picture is of the tree and the diff: no minimap beside them.
    'editor.minimap.enabled': false,
  });
  try {
    const { session, context } = demo;
    const { page } = session.workbench;
    const tree = await openClustersTree(session);
    await widenSideBar(page, sideBarWidth);
    await expandDemoApp(session, tree, context);
    const diff = await openDeploymentDiff(session, tree);
    await diff.waitForLine('original', /^\s*replicas: 3$/);
    await diff.waitForLine('modified', /^\s*replicas: 2$/);
    // The mouse parked where it shows no hover.
    await page.mouse.move(1000, 880);
    await page.locator('.monaco-hover:not(.hidden), .workbench-hover').first().waitFor({
      state: 'hidden',
    });
    const file = path.join(repoRoot, 'media', 'screenshot-status.png');
    await page.screenshot({ path: file });
    console.log(`Saved ${path.relative(repoRoot, file)}`);
  } finally {
    await demo.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
