import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { chartFileOf, plainManifestLanguage } from '../../client/src/templateLanguage';

const existing =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('plain manifests in a templates folder are YAML again', () => {
  it('switches a templates/ YAML file with no Chart.yaml in the chart root to yaml', () => {
    const exists = existing();
    assert.equal(
      plainManifestLanguage(
        'helm-template',
        '/repo/apps/templates/deploy.yaml',
        exists,
        path.posix,
      ),
      'yaml',
    );
  });

  it('keeps a chart template, also one in a subfolder of templates/', () => {
    const exists = existing('/repo/chart/Chart.yaml');
    for (const file of ['/repo/chart/templates/deploy.yaml', '/repo/chart/templates/sub/cm.yml']) {
      assert.equal(plainManifestLanguage('helm-template', file, exists, path.posix), undefined);
    }
  });

  it('keeps .tpl helpers, other languages and files in no templates folder', () => {
    const exists = existing();
    assert.equal(
      plainManifestLanguage('helm-template', '/repo/x/templates/_helpers.tpl', exists, path.posix),
      undefined,
    );
    assert.equal(
      plainManifestLanguage('helm', '/repo/x/templates/deploy.yaml', exists, path.posix),
      undefined,
    );
    assert.equal(
      plainManifestLanguage('helm-template', '/repo/x/deploy.yaml', exists, path.posix),
      undefined,
    );
  });

  it('looks for the Chart.yaml next to the nearest templates folder, on Windows too', () => {
    assert.equal(
      chartFileOf('C:\\repo\\chart\\templates\\a\\b.yaml', path.win32),
      'C:\\repo\\chart\\Chart.yaml',
    );
    assert.equal(chartFileOf('/templates/x.yaml', path.posix), '/Chart.yaml');
  });
});
