// A real GitOps repository nobody here wrote (issue 12), opened in the editor: its files show no
// error in the Problems panel; what the tool cannot know (a chart from an OCI registry, with
// network rendering off) is an information that says so.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { repoRoot } from './support/paths';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const repo = path.join(repoRoot, 'test', 'fixtures', 'real-repos', 'flux-oci-homelab');

/** Files of the repository that each meet one of the false errors the issue lists. */
const files = [
  // A Namespace named "_": kustomize's `namespace:` names it.
  'kubernetes/apps/network/namespace.yaml',
  // A child Flux Kustomization: its HelmRelease patches come from the parent Kustomization.
  'kubernetes/apps/network/cloudflare-tunnel/ks.yaml',
  // A HelmRelease whose chart is in an OCI registry (chartRef to an OCIRepository).
  'kubernetes/apps/cert-manager/cert-manager/app/helmrelease.yaml',
  // A kustomize Component.
  'kubernetes/components/alerts/kustomization.yaml',
];

describe('a real repository in the editor', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    await ensureTools(['kustomize', 'helm']);
    session = await openSession({
      name: 'real-repo',
      trusted: true,
      repo,
      userSettings: {
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        'gitopsWorkbench.helmPath': toolPath('helm'),
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  it('shows no error in Problems, and says which chart it could not render', async () => {
    const { page, problems } = session.workbench;
    for (const file of files) {
      await session.expect('real-repo', `${file} opens`, () => CodeEditor.open(page, file));
    }
    if (!(await problems.root().isVisible())) await problems.open();

    // The units are rendered in the background; their findings arrive together.
    const info = await session.expect(
      'real-repo',
      'The Problems panel says, under helmrelease.yaml, that the OCI chart was not rendered',
      () =>
        problems.waitForProblem(
          {
            fileName: 'helmrelease.yaml',
            source: diagnosticSource,
            text: 'was not rendered: chart cert-manager comes from oci://quay.io/jetstack/charts/cert-manager and network rendering is off',
          },
          180_000,
        ),
    );
    assert.equal(info.severity, 'Info', `it is ${info.severity}: ${info.message}`);

    const rows = await problems
      .problems()
      .evaluateAll((elements) =>
        elements.map(
          (element) =>
            (element as unknown as { getAttribute(name: string): string | null }).getAttribute(
              'aria-label',
            ) ?? '',
        ),
      );
    const errors = rows.filter((label) => label.startsWith('Error'));
    await session.screenshot('real-repo-problems');
    assert.deepEqual(errors, [], 'no problem of the opened files is an error');
  });
});
