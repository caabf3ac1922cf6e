import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { failureText } from '../../client/src/gitCommandsText';
import { FLAG_OF_HINT, cliText } from '../../server/src/cli/flagHints';
import { formatTextReport, toJsonReport } from '../../server/src/cli/formatReport';
import { USAGE } from '../../server/src/cli/usage';
import { SETTING_OF_HINT, editorText } from '../../server/src/editorHints';
import { CONFIG_HINTS, SchemaBundleError, withKnobName } from '../../server/src/engine';
import { renderFailureFinding } from '../../server/src/engine/check/renderedFindings';
import { crossResourceChecks } from '../../server/src/engine/crossref';
import { toGitError } from '../../server/src/engine/git/gitRunner';
import type { RenderUnit } from '../../server/src/engine/render';
import { RenderFailure } from '../../server/src/engine/render/types';
import { resolveInside } from '../../server/src/engine/render/workspacePaths';
import type { ConfigHint } from '../../server/src/engine/configHint';
import { findingToDiagnostic } from '../../server/src/findingToDiagnostic';
import { failure } from '../../server/src/gitTexts';

const ROOT = path.resolve(__dirname, '..', '..');

const UNIT: RenderUnit = {
  kind: 'flux-helmrelease',
  id: 'flux-helmrelease:apps/podinfo.yaml:1',
  name: 'podinfo',
  root: path.join(ROOT, 'apps'),
  renderer: 'helm',
  definedIn: { file: path.join(ROOT, 'apps', 'podinfo.yaml'), line: 1 },
};

/** The finding of a HelmRelease whose chart is remote while network rendering is off. */
const NOT_RENDERED = renderFailureFinding(UNIT, {
  reason: 'notRendered',
  message:
    'chart podinfo comes from oci://ghcr.io/stefanprodan/charts/podinfo and network rendering is off: turn it on to render it.',
  hint: 'allowNetwork',
});

describe('a knob named by each face', () => {
  it('puts the name before the final period, after it a trailing parenthesis, else at the end', () => {
    assert.equal(withKnobName('Turn it on.', '--allow-network'), 'Turn it on (--allow-network).');
    assert.equal(
      withKnobName(
        'List it among the external resources. (rendered Secret a of kustomization b)',
        'X',
      ),
      'List it among the external resources (X). (rendered Secret a of kustomization b)',
    );
    assert.equal(withKnobName('No period', 'X'), 'No period (X)');
    assert.equal(withKnobName('Unchanged.', undefined), 'Unchanged.');
  });

  it('names in the editor a setting the extension declares, for every knob', () => {
    const configuration = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, unknown> } };
      }
    ).contributes.configuration.properties;
    assert.deepEqual(Object.keys(SETTING_OF_HINT).sort(), [...CONFIG_HINTS].sort());
    for (const hint of CONFIG_HINTS) {
      const setting = SETTING_OF_HINT[hint];
      if (hint === 'workspaceRoot') {
        // The folder opened in VS Code: the sentence says "workspace", no setting moves it.
        assert.equal(setting, undefined);
        continue;
      }
      assert.ok(setting !== undefined && setting in configuration, `${setting} is declared`);
    }
  });

  it('names --root in the CLI where a path outside the repository was refused', () => {
    const root = path.join(ROOT, 'apps');
    const refusal = ((): { message: string; hint?: ConfigHint } => {
      try {
        resolveInside(
          root,
          root,
          '../../etc/passwd',
          'resource',
          path.join(root, 'kustomization.yaml'),
        );
      } catch (error) {
        if (error instanceof RenderFailure) return error.error;
      }
      assert.fail('the path outside the root was read');
    })();
    assert.equal(
      cliText(refusal.message, refusal.hint),
      'The resource "../../etc/passwd" in kustomization.yaml is outside the workspace, so it was not read: move it into the workspace or reference a file inside it (--root FOLDER).',
    );
    assert.equal(editorText(refusal.message, refusal.hint), refusal.message);
  });

  it('names in the CLI a flag its usage lists, or says where the knob is when it has none', () => {
    assert.deepEqual(Object.keys(FLAG_OF_HINT).sort(), [...CONFIG_HINTS].sort());
    for (const hint of CONFIG_HINTS) {
      const name = FLAG_OF_HINT[hint];
      if (name?.startsWith('--')) {
        assert.ok(USAGE.includes(name.split(' ')[0] ?? ''), `${name} is in the usage`);
      }
    }
    assert.equal(FLAG_OF_HINT.allowNetwork, '--allow-network');
    assert.match(
      FLAG_OF_HINT.externalResources ?? '',
      /editor's gitopsWorkbench\.externalResources/,
    );
  });

  it('says a remote chart was not rendered: the setting in the Problems panel, the flag in the CLI', () => {
    assert.equal(
      findingToDiagnostic(NOT_RENDERED).message,
      'Flux HelmRelease podinfo was not rendered: chart podinfo comes from oci://ghcr.io/stefanprodan/charts/podinfo and network rendering is off: turn it on to render it (gitopsWorkbench.render.allowNetwork).',
    );
    const report = { files: 1, resources: 1, findings: [NOT_RENDERED] };
    assert.match(
      formatTextReport(report),
      /: info \[not-rendered\] .*network rendering is off: turn it on to render it \(--allow-network\)\.\n/,
    );
    assert.equal(
      toJsonReport(report).findings[0]?.message,
      'Flux HelmRelease podinfo was not rendered: chart podinfo comes from oci://ghcr.io/stefanprodan/charts/podinfo and network rendering is off: turn it on to render it (--allow-network).',
    );
  });

  it('says where to list an external resource, before the rendered resource it is about', () => {
    const [finding] = crossResourceChecks(
      [
        {
          id: '0',
          ref: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'apps' },
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'web', namespace: 'apps' },
            spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
          },
        },
      ],
      {},
    );
    assert.ok(finding);
    assert.equal(finding.hint, 'externalResources');
    const shown = `${finding.message} (rendered Pod web of kustomization apps)`;
    assert.match(
      editorText(shown, finding.hint),
      /among the external resources \(gitopsWorkbench\.externalResources\)\. \(rendered Pod web of kustomization apps\)$/,
    );
    assert.match(
      cliText(shown, finding.hint),
      /among the external resources \(the editor's gitopsWorkbench\.externalResources setting\)\. \(rendered Pod web/,
    );
  });

  it('says git is missing with the gitPath setting in the editor and --git in the CLI', () => {
    const error = toGitError(new Error('spawn git ENOENT'), '/repo');
    assert.equal(error.reason, 'gitMissing');
    assert.equal(
      error.message,
      'Git was not found: install git, or set the path to the git binary.',
    );
    // The client words the failure the server sent: reason and hint, never a matched string.
    assert.equal(
      failureText(failure(error)),
      'Git was not found: install git, or set the path to the git binary (gitopsWorkbench.gitPath).',
    );
    assert.equal(
      cliText(error.message, error.hint),
      'Git was not found: install git, or set the path to the git binary (--git PATH).',
    );
  });

  it('says a Kubernetes version is not bundled with the setting or the flag that picks one', () => {
    const error = new SchemaBundleError(
      'versionNotBundled',
      'No schemas are bundled for Kubernetes 1.7; bundled versions: 1.34. Pick one of them as the Kubernetes version.',
    );
    assert.match(
      editorText(error.message, error.hint),
      /Pick one of them as the Kubernetes version \(gitopsWorkbench\.kubernetesVersion\)\.$/,
    );
    assert.match(
      cliText(error.message, error.hint),
      /Pick one of them as the Kubernetes version \(--kubernetes-version\)\.$/,
    );
  });

  it('finds no setting or flag named in an engine message', () => {
    const offending: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          visit(file);
          continue;
        }
        if (!entry.name.endsWith('.ts')) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            const code = line.trim();
            if (code.startsWith('*') || code.startsWith('/*') || code.startsWith('//')) return;
            if (
              /gitopsWorkbench\.|--(allow-network|memory-limit|kubernetes-version)\b/.test(code)
            ) {
              offending.push(`${path.relative(ROOT, file)}:${index + 1}: ${code}`);
            }
          });
      }
    };
    visit(path.join(ROOT, 'server', 'src', 'engine'));
    assert.deepEqual(offending, []);
  });
});
