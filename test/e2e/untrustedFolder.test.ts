// An untrusted folder: the user chooses restricted mode in the trust dialog; GitOps Workbench still
// validates YAML in-process and its Clusters view says why it contacts no cluster.
import { after, before, describe, it } from 'node:test';
import { brokenYaml, diagnosticSource } from './support/manifests';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

describe('untrusted folder (restricted mode)', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    session = await openSession({
      name: 'untrusted-folder',
      trusted: false,
      files: { 'broken.yaml': brokenYaml },
    });
  });

  after(async () => {
    await session?.close();
  });

  it('opens in restricted mode when the user does not trust the authors', async (t) => {
    t.diagnostic(`workbench ready ${session.workbenchMs} ms after navigation`);
    const { trustDialog, statusBar } = session.workbench;
    await session.expect('untrusted-trust-dialog', 'The trust dialog offers restricted mode', () =>
      trustDialog.chooseRestrictedMode(),
    );
    await session.expectVisible(
      'untrusted-restricted-mode',
      'The status bar shows "Restricted Mode"',
      statusBar.item('Restricted Mode'),
    );
  });

  it('still reports YAML errors from our server', async () => {
    const { quickInput, problems } = session.workbench;
    await quickInput.openFile('broken.yaml');
    await problems.open();
    await session.expect(
      'untrusted-broken-yaml',
      `The Problems panel lists a problem from "${diagnosticSource}" under broken.yaml`,
      () => problems.waitForProblem({ fileName: 'broken.yaml', source: diagnosticSource }),
    );
  });

  it('shows the restricted-mode welcome text in the Clusters view', async () => {
    // After the extension has shown a diagnostic it is active, so the view shows its final text.
    const { activityBar, sideBar } = session.workbench;
    await activityBar.item('GitOps Workbench').click();
    const welcome = sideBar.view('Clusters').welcome();
    await session.expectVisible(
      'untrusted-clusters-view',
      'The Clusters view explains restricted mode ("This folder is not trusted…")',
      welcome.filter({ hasText: /^\s*This folder is not trusted/ }),
    );
    await session.screenshot('untrusted-clusters-view');
  });
});
