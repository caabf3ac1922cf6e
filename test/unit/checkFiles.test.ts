import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PathNotFoundError, checkFiles, checkPaths, hasErrors } from '../../server/src/engine';
import { MAX_YAML_FILE_BYTES } from '../../server/src/engine/parse/boundedYaml';
import { formatTextReport, toJsonReport } from '../../server/src/cli/formatReport';

describe('checkPaths', () => {
  let dir = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-check-'));
    await fs.mkdir(path.join(dir, 'apps', 'node_modules'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'apps', 'ok.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
    );
    await fs.writeFile(path.join(dir, 'apps', 'bad.yml'), 'kind: Service\nmetadata:\n  name: b\n');
    await fs.writeFile(path.join(dir, 'apps', 'notes.txt'), 'kind: ignored\n');
    await fs.writeFile(path.join(dir, 'apps', 'node_modules', 'x.yaml'), 'kind: Ignored\n');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('searches folders for .yaml and .yml files, skipping node_modules', async () => {
    const report = await checkPaths([dir]);
    assert.equal(report.files, 2);
    assert.equal(report.resources, 1);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0]?.file, path.join(dir, 'apps', 'bad.yml'));
    assert.equal(hasErrors(report), true);
  });

  it('converts findings to one-based lines and columns for JSON', async () => {
    const report = await checkPaths([path.join(dir, 'apps', 'bad.yml')]);
    assert.deepEqual(toJsonReport(report).findings[0], {
      file: path.join(dir, 'apps', 'bad.yml'),
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 5,
      severity: 'error',
      code: 'missing-api-version',
      message:
        'Resource has "kind" but no "apiVersion": add the apiVersion of kind Service (for example "apiVersion: v1").',
    });
    assert.match(formatTextReport(report), /bad\.yml:1:1: error \[missing-api-version\]/);
    assert.match(formatTextReport(report), /Checked 1 file, 0 resources: 1 error, 0 warnings\.\n$/);
  });

  it('gives the same report with blocking reads, a file too large included', async () => {
    const large = path.join(dir, 'large.yaml');
    await fs.writeFile(large, `# ${'x'.repeat(MAX_YAML_FILE_BYTES)}\n`);
    try {
      const files = [path.join(dir, 'apps', 'ok.yaml'), path.join(dir, 'apps', 'bad.yml'), large];
      const blocking = await checkFiles(files, { blockingReads: true });
      assert.deepEqual(blocking, await checkFiles(files));
      assert.deepEqual(
        blocking.findings.map((finding) => finding.code),
        ['missing-api-version', 'file-too-large'],
      );
      await assert.rejects(
        checkFiles([path.join(dir, 'missing.yaml')], { blockingReads: true }),
        /ENOENT/,
      );
    } finally {
      await fs.rm(large);
    }
  });

  it('fails with a typed error for a path that does not exist', async () => {
    await assert.rejects(checkPaths([path.join(dir, 'missing')]), PathNotFoundError);
  });
});
