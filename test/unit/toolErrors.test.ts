// What a failed helm or kustomize run says to the user: the file and line of the mistake, and,
// when the tool could not reach a host (network rendering on, no network), that host instead of
// "Fix the input". The stderr texts are helm v3.22's and kustomize v5.8's, as khuedoan/homelab's
// charts and a remote base printed them on this machine without network.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { cliText } from '../../server/src/cli/flagHints';
import { toolFailure } from '../../server/src/engine/render/toolErrors';

const workspaceRoot = mkdtempSync(path.join(os.tmpdir(), 'gw-tool-errors-'));
const chartRoot = path.join(workspaceRoot, 'platform', 'global-secrets');
mkdirSync(path.join(chartRoot, 'values'), { recursive: true });
writeFileSync(path.join(chartRoot, 'values.yaml'), 'image:\n  tag: 1\n');
writeFileSync(path.join(chartRoot, 'values', 'prod.yaml'), 'replicas: 2\n');
const paths = { tempRoot: path.join(os.tmpdir(), 'gw-mirror-x'), workspaceRoot, chartRoot };
after(() => rmSync(workspaceRoot, { recursive: true, force: true }));

describe('a failed render says where and why', () => {
  it("places a syntax error of the chart's values.yaml on values.yaml, at helm's line", () => {
    const failure = toolFailure(
      'helm',
      'Error: cannot load values.yaml: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context\n',
      1,
      paths,
    );
    assert.equal(failure.file, path.join(chartRoot, 'values.yaml'));
    assert.equal(failure.line, 3);
    assert.match(failure.message, /Fix the input to render it again\.$/);
  });

  it('places a syntax error of a values file the release names on that file', () => {
    const failure = toolFailure(
      'helm',
      'Error: failed to parse platform/global-secrets/values/prod.yaml: error converting YAML to JSON: yaml: line 1: did not find expected key\n',
      1,
      paths,
    );
    assert.equal(failure.file, path.join(chartRoot, 'values', 'prod.yaml'));
    assert.equal(failure.line, 1);
  });

  it('names the chart repository host helm could not reach, not "Fix the input"', () => {
    // helm prints the cause on stdout while it updates dependencies; stderr has only its Error.
    const progress = [
      'Getting updates for unmanaged Helm repositories...',
      '...Unable to get an update from the "https://token:s3cret@bjw-s-labs.github.io/helm-charts" chart repository:',
      '\tGet "https://bjw-s-labs.github.io/helm-charts/index.yaml": dial tcp: lookup bjw-s-labs.github.io on 127.0.0.53:53: no such host',
    ].join('\n');
    const stderr =
      "Error: no cached repository for helm-manager-5257ab found. (try 'helm repo update'): open /root/.cache/helm/repository/helm-manager-5257ab-index.yaml: no such file or directory\n";
    const failure = toolFailure('helm', stderr, 1, paths, undefined, progress);
    assert.equal(
      failure.message,
      "helm exited with code 1: it could not reach bjw-s-labs.github.io (no such host). Check this machine's network, DNS and proxy, then render again; or turn network rendering off.",
    );
    assert.equal(failure.hint, 'allowNetwork');
    assert.doesNotMatch(failure.message, /s3cret|token/);
    assert.match(
      cliText(failure.message, failure.hint),
      /turn network rendering off \(--allow-network\)\.$/,
    );
    assert.match(toolFailure('helm', stderr, 1, paths).message, /Fix the input/, 'no cause known');
  });

  it('names the host a remote kustomize base could not be fetched from', () => {
    const stderr =
      "Error: accumulating resources: accumulation err='accumulating resources from 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.8.0': URL is a git repository': failed to run '/usr/bin/git fetch --depth=1 origin v5.8.0': fatal: unable to access 'https://github.com/kubernetes-sigs/kustomize/': Could not resolve host: github.com\n";
    const failure = toolFailure('kustomize', stderr, 1, paths);
    assert.match(failure.message, /it could not reach github\.com \(could not resolve host\)\./);
  });

  it('keeps "Fix the input" for a mistake of the input', () => {
    const failure = toolFailure(
      'kustomize',
      "Error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': open missing.yaml: no such file or directory'\n",
      1,
      paths,
    );
    assert.match(failure.message, /Fix the input to render it again\.$/);
    assert.equal(failure.hint, undefined);
  });
});
