// Where the end-to-end tier finds the packaged extension and the example repo, and where it writes.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const vsixPath = path.join(repoRoot, 'dist', 'gitops-workbench.vsix');
export const exampleRepo = path.join(repoRoot, 'examples', 'podinfo-gitops');
export const outputDir = path.join(repoRoot, 'test', 'output', 'e2e');

/** The VSIX the runner builds before this tier; a clear failure when it is not there. */
export function requireVsix(): string {
  if (!existsSync(vsixPath)) {
    throw new Error(
      `${path.relative(repoRoot, vsixPath)} is missing: build it with "npm run package" (npm run test:e2e does this first).`,
    );
  }
  return vsixPath;
}

export function requireExampleRepo(): string {
  if (!existsSync(exampleRepo)) {
    throw new Error(
      `${path.relative(repoRoot, exampleRepo)} is missing: the e2e tests open a copy of it.`,
    );
  }
  return exampleRepo;
}

/** `test/output/e2e/<name>.png`, with the name made safe for a file name. */
export function screenshotPath(testName: string): string {
  mkdirSync(outputDir, { recursive: true });
  const safe = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return path.join(outputDir, `${safe}.png`);
}
