/**
 * Hostile repositories against the real helm and kustomize: a release name or namespace written
 * to make helm run a program or read a file outside the repo is refused before helm runs, with a
 * sentence that names the field; nothing it aimed at happens.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderUnit } from '../../server/src/engine/render';
import {
  CHART,
  CHART_YAML,
  PASSWD_BYTES,
  application,
  helmRelease,
  hostileWorkspace,
  ok,
  options,
  refusal,
  unitOf,
} from './support/hostileRepos';
import { renderTools, runDirect } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('helm and kustomize read operands after -- (real binaries)', () => {
  it('helm template takes a flag-shaped name after -- as the release name and rejects it', async () => {
    const hostile = await hostileWorkspace(CHART, temporary);
    const chart = path.join(hostile.workspace, 'charts', 'demo');
    await assert.rejects(
      runDirect(tools.helm, ['template', '--', `--post-renderer=${hostile.script}`, chart], chart),
      /invalid release name/,
    );
    await assert.rejects(
      runDirect(tools.helm, ['template', '--', '--set-file=x=/etc/passwd', chart], chart),
      (error: Error) =>
        /invalid release name/.test(error.message) && !PASSWD_BYTES.test(error.message),
    );
    assert.equal(existsSync(hostile.marker), false, 'the post-renderer never ran');
    const rendered = await runDirect(
      tools.helm,
      ['template', '--namespace=dev', '--', 'rel', chart],
      chart,
    );
    assert.match(rendered, /name: rel-demo/);
  });

  it('the same arguments without -- do run the post-renderer: the attack is real', async () => {
    const hostile = await hostileWorkspace(CHART, temporary);
    const chart = path.join(hostile.workspace, 'charts', 'demo');
    await runDirect(tools.helm, ['template', `--post-renderer=${hostile.script}`, chart], chart);
    assert.equal(existsSync(hostile.marker), true);
  });

  it('kustomize build takes a flag-shaped folder after -- as a folder', async () => {
    const hostile = await hostileWorkspace(
      {
        'app/kustomization.yaml': 'resources:\n  - cm.yaml\n',
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      },
      temporary,
    );
    const app = path.join(hostile.workspace, 'app');
    assert.match(await runDirect(tools.kustomize, ['build', '--', app], app), /name: a/);
    await assert.rejects(
      runDirect(tools.kustomize, ['build', '--', '--enable-exec'], app),
      /--enable-exec/,
    );
  });
});

describe('release names, namespaces and names from the repo', () => {
  it("renders a chart named --post-renderer=sh under helm's own default release name: the name is never a flag", async () => {
    // With `sh` as post-renderer the rendered YAML would run as a script; the block scalar line
    // joins the `|` before it, so `touch` would run.
    const hostile = await hostileWorkspace(
      {
        'charts/demo/Chart.yaml': CHART_YAML('--post-renderer=sh'),
        'charts/demo/templates/cm.yaml': '',
      },
      temporary,
    );
    await fs.writeFile(
      path.join(hostile.workspace, 'charts/demo/templates/cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  run: |\n    touch '${hostile.marker}'\n`,
    );
    const unit = await unitOf(hostile.workspace, 'helm');
    assert.equal(unit.helm?.releaseName, 'release-name');
    const result = await renderUnit(unit, options(tools, hostile.workspace));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.match(result.yaml, /kind: ConfigMap/);
    assert.equal(existsSync(hostile.marker), false, 'no post-renderer ran');
  });

  it('refuses a HelmRelease whose spec.releaseName is a post-renderer script in the repo', async () => {
    const hostile = await hostileWorkspace(CHART, temporary);
    await fs.writeFile(
      path.join(hostile.workspace, 'release.yaml'),
      helmRelease([`  releaseName: ${JSON.stringify(`--post-renderer=${hostile.script}`)}`]),
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      // helm-controller shortens a name over 53 characters: the message shows both.
      /^The release name "--post-renderer=\/[^"]*" \(spec\.releaseName "--post-renderer=\/[^"]*evil\.sh" shortened in release\.yaml:8\) is not a valid Helm release name, so helm was not run: use at most 53/,
    );
    assert.equal(existsSync(hostile.marker), false);
  });

  it('refuses a HelmRelease whose spec.releaseName is --set-file=x=/etc/passwd, and shows no byte of it', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'release.yaml': helmRelease(['  releaseName: "--set-file=x=/etc/passwd"']),
      },
      temporary,
    );
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'flux-helmrelease'),
      options(tools, hostile.workspace),
    );
    const error = refusal(result);
    assert.match(
      error.message,
      /^The release name "--set-file=x=\/etc\/passwd" \(spec\.releaseName in release\.yaml:8\)/,
    );
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
  });

  it('refuses a HelmRelease whose targetNamespace makes the default release name invalid, naming both fields', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'release.yaml': helmRelease(['  targetNamespace: "-x"']),
      },
      temporary,
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The release name "-x-demo" \(spec\.targetNamespace-metadata\.name in release\.yaml:4\) is not a valid Helm release name/,
    );
  });

  it('refuses a HelmRelease whose targetNamespace is flag-shaped, naming spec.targetNamespace', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'release.yaml': helmRelease([
          '  releaseName: demo',
          `  targetNamespace: "--post-renderer=/bin/sh\\nx"`,
        ]),
      },
      temporary,
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(tools, hostile.workspace),
      ),
    );
    assert.equal(
      error.message,
      'The namespace "--post-renderer=/bin/sh\\nx" (spec.targetNamespace in release.yaml:9) is not a valid Kubernetes namespace, so helm was not run: use at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit.',
    );
  });

  it('renders a real-world HelmRelease whose <targetNamespace>-<name> is over 53 characters, as helm-controller names it', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'release.yaml': helmRelease(
          ['  targetNamespace: another-release'],
          'name-with-very-long-name-which-is-longer-than-53-characters',
        ),
      },
      temporary,
    );
    const result = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(result.yaml, /name: another-release-name-with-very-long-name-7e72150d5a36-demo/);
  });

  it('refuses an Application whose helm.releaseName is a post-renderer script in the repo', async () => {
    const hostile = await hostileWorkspace(CHART, temporary);
    await fs.writeFile(
      path.join(hostile.workspace, 'app.yaml'),
      application([`      releaseName: ${JSON.stringify(`--post-renderer=${hostile.script}`)}`]),
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The release name "--post-renderer=\/.*evil\.sh" \(spec\.source\.helm\.releaseName in app\.yaml:15\) is not a valid Helm release name/,
    );
    assert.equal(existsSync(hostile.marker), false);
  });

  it('refuses an Application named --set-file=x=/etc/passwd (its default release name), and shows no byte of it', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'app.yaml': application([], '--set-file=x=/etc/passwd'),
      },
      temporary,
    );
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'argocd-application'),
      options(tools, hostile.workspace),
    );
    const error = refusal(result);
    assert.match(
      error.message,
      /^The release name "--set-file=x=\/etc\/passwd" \(metadata\.name in app\.yaml:4\)/,
    );
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
  });

  it('refuses an Application whose destination namespace is flag-shaped', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'app.yaml': application([], 'demo', `--post-renderer=x`),
      },
      temporary,
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The namespace "--post-renderer=x" \(spec\.destination\.namespace in app\.yaml:10\) is not a valid Kubernetes namespace/,
    );
  });

  it('still renders valid names through Flux and Argo CD', async () => {
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'release.yaml': helmRelease(['  targetNamespace: dev']),
        'app.yaml': application(['      releaseName: my.release-1']),
      },
      temporary,
    );
    const flux = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(flux.yaml, /name: dev-demo-demo/);
    const argo = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(tools, hostile.workspace),
      ),
    );
    assert.match(argo.yaml, /name: my\.release-1-demo/);
  });
});
