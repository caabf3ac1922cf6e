// A trusted folder: the GitOps Workbench view container, its Clusters view, and the language
// server's diagnostics in the Problems panel, as a user sees them in VS Code (code-server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokenYaml, diagnosticSource, missingApiVersion } from './support/manifests';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

describe('trusted folder', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    session = await openSession({
      name: 'trusted-folder',
      trusted: true,
      files: { 'broken.yaml': brokenYaml, 'missing-api-version.yaml': missingApiVersion },
    });
  });

  after(async () => {
    await session?.close();
  });

  it('shows the GitOps Workbench icon in the activity bar', async (t) => {
    t.diagnostic(`workbench ready ${session.workbenchMs} ms after navigation`);
    const { activityBar } = session.workbench;
    await session.expectVisible(
      'trusted-activity-bar',
      'The activity bar shows an icon titled "GitOps Workbench"',
      activityBar.item('GitOps Workbench'),
    );
    await session.expectVisible(
      'trusted-activity-bar',
      'The activity bar icon belongs to the view container "gitopsWorkbench"',
      activityBar.itemById('gitopsWorkbench'),
    );
  });

  it('shows the Clusters view with its welcome text when the icon is clicked', async () => {
    const { activityBar, sideBar } = session.workbench;
    await activityBar.item('GitOps Workbench').click();
    const clusters = sideBar.view('Clusters');
    const welcome = clusters
      .welcome()
      .filter({ hasText: 'No Kubernetes cluster is connected yet.' });
    await session.expectVisible(
      'trusted-clusters-view',
      'The Clusters view shows its welcome text',
      welcome,
    );
    const text = await welcome.first().innerText();
    await session.expect(
      'trusted-clusters-view',
      'The welcome text starts with the no-cluster sentence',
      () => {
        assert.match(text.trim(), /^No Kubernetes cluster is connected yet\./);
        return Promise.resolve();
      },
    );
    await session.screenshot('trusted-clusters-view');
  });

  it('lists its commands in the Command Palette', async () => {
    const { quickInput } = session.workbench;
    // Each typed in full: the list of all our commands is longer than the palette shows.
    for (const label of [
      'GitOps Workbench: Restart Language Server',
      'GitOps Workbench: Show Log',
      'GitOps Workbench: Preview Branch Impact',
    ]) {
      const rows = await quickInput.commandPalette(label);
      await session.expectVisible(
        'trusted-command-palette',
        `The Command Palette offers "${label}"`,
        rows.filter({ hasText: label }),
      );
      await quickInput.close();
    }
  });

  it('reports a YAML syntax error of our server in the Problems panel', async () => {
    const { quickInput, problems } = session.workbench;
    await quickInput.openFile('broken.yaml');
    await problems.open();
    const shown = await session.expect(
      'trusted-broken-yaml',
      `The Problems panel lists a problem from "${diagnosticSource}" under broken.yaml`,
      () => problems.waitForProblem({ fileName: 'broken.yaml', source: diagnosticSource }),
    );
    await session.expect('trusted-broken-yaml', 'The broken.yaml problem is an error', () => {
      assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
      return Promise.resolve();
    });
  });

  it('reports a manifest with kind but no apiVersion', async () => {
    const { quickInput, problems } = session.workbench;
    await quickInput.openFile('missing-api-version.yaml');
    await problems.open();
    const shown = await session.expect(
      'trusted-missing-api-version',
      `The Problems panel lists 'no "apiVersion"' from "${diagnosticSource}" under missing-api-version.yaml`,
      () =>
        problems.waitForProblem({
          fileName: 'missing-api-version.yaml',
          source: diagnosticSource,
          text: 'no "apiVersion"',
        }),
    );
    assert.equal(shown.severity, 'Error');
    await session.screenshot('trusted-missing-api-version');
  });
});
