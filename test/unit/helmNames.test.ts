import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fluxReleaseName,
  isAllowedChartUrl,
  isAllowedValuesUrl,
  isValidChartName,
  isValidChartVersion,
  isValidNamespace,
  isValidReleaseName,
  quoted,
} from '../../server/src/engine/render/helmNames';
import { checkHelmInputs, helmInputProblem } from '../../server/src/engine/render/helmInputsCheck';
import { SourceReader } from '../../server/src/engine/render/sourceReader';
import type { HelmInputs, RenderUnit } from '../../server/src/engine/render/types';
import { RenderFailure } from '../../server/src/engine/render/types';

const VALID_RELEASE_NAMES = [
  'podinfo',
  'a',
  '0',
  'kube-prometheus-stack',
  'flux-system-podinfo',
  'my.release.v2',
  'cert-manager',
  'x'.repeat(53),
  'release-name-with-very-long-name-which-i-788ca0d0d7b0',
];

const INVALID_RELEASE_NAMES = [
  '',
  '--post-renderer=sh',
  '--post-renderer=/repo/evil.sh',
  '-x',
  '--set-file=x=/etc/passwd',
  '--',
  '-',
  'my release',
  'name\nwith-newline',
  'Podinfo',
  'UPPER',
  'x'.repeat(54),
  'ends-with-dash-',
  '-starts-with-dash',
  'under_score',
  'dot..dot',
  '.hidden',
  'trailing.',
  'unicodé',
  'tab\tname',
  'esc\u001bname',
  'nul\0name',
];

describe('isValidReleaseName (helm chartutil.ValidateReleaseName)', () => {
  for (const name of VALID_RELEASE_NAMES) {
    it(`accepts ${JSON.stringify(name)}`, () => assert.equal(isValidReleaseName(name), true));
  }
  for (const name of INVALID_RELEASE_NAMES) {
    it(`refuses ${JSON.stringify(name)}`, () => assert.equal(isValidReleaseName(name), false));
  }
});

describe('isValidNamespace (DNS-1123 label)', () => {
  for (const name of ['default', 'flux-system', 'kube-system', 'a', 'x'.repeat(63), 'team1']) {
    it(`accepts ${JSON.stringify(name)}`, () => assert.equal(isValidNamespace(name), true));
  }
  for (const name of [
    '',
    '--namespace=kube-system',
    '-n',
    'Dev',
    'x'.repeat(64),
    'a.b',
    'a b',
    'dev\n',
    '-dev',
  ]) {
    it(`refuses ${JSON.stringify(name)}`, () => assert.equal(isValidNamespace(name), false));
  }
});

describe('remote chart names, versions and addresses', () => {
  it('accepts chart names of real repositories, and OCI paths', () => {
    for (const name of ['podinfo', 'kube-prometheus-stack', 'ingress-nginx', 'my_chart', 'Chart1'])
      assert.equal(isValidChartName(name, false), true, name);
    assert.equal(isValidChartName('team/app', true), true);
  });

  it('refuses names that helm would read as a path or a flag', () => {
    for (const name of ['', '/etc', '../charts', './local', '-x', '--devel', 'a/b', 'a b', 'a\n'])
      assert.equal(isValidChartName(name, false), false, JSON.stringify(name));
    for (const name of ['../x', 'a//b', '/abs', 'a/-x'])
      assert.equal(isValidChartName(name, true), false, JSON.stringify(name));
  });

  it('accepts versions, tags and semver ranges, refuses the rest', () => {
    for (const version of [
      '6.5.4',
      'v1.2.3-rc.1',
      '>=4.0.0 <5.0.0',
      '~1.2',
      '^1 || ^2',
      '1.x',
      '*',
      'latest',
      '1.2.3+build.5',
    ])
      assert.equal(isValidChartVersion(version), true, version);
    for (const version of ['', '-x', '--devel', '1.0\n', '1.0;rm', '$(id)', 'x'.repeat(129)])
      assert.equal(isValidChartVersion(version), false, JSON.stringify(version));
  });

  it('allows only https, http and oci chart addresses with a host', () => {
    for (const address of [
      'https://stefanprodan.github.io/podinfo',
      'http://charts.example.com',
      'oci://ghcr.io/stefanprodan/charts',
    ])
      assert.equal(isAllowedChartUrl(address), true, address);
    for (const address of [
      'file:///etc',
      'file:///tmp/charts',
      '/etc/passwd',
      '--repo=x',
      'ftp://host/x',
      'https://',
      'https://host/a b',
      'https://host/\n',
      'git@github.com:x/y',
    ])
      assert.equal(isAllowedChartUrl(address), false, address);
    assert.equal(isAllowedValuesUrl('oci://ghcr.io/x'), false);
    assert.equal(isAllowedValuesUrl('https://example.com/values.yaml'), true);
  });
});

describe('fluxReleaseName (helm-controller GetReleaseName + ShortenName)', () => {
  it('is spec.releaseName, else <targetNamespace>-<name>, else the name', () => {
    assert.equal(fluxReleaseName('podinfo', undefined, undefined), 'podinfo');
    assert.equal(fluxReleaseName('podinfo', 'dev', undefined), 'dev-podinfo');
    assert.equal(fluxReleaseName('podinfo', 'dev', 'custom'), 'custom');
    assert.equal(fluxReleaseName('podinfo', 'dev', ''), 'dev-podinfo');
  });

  it('shortens names over 53 characters to 40, a dash and 12 hex digits of their SHA-256', () => {
    // helm-controller's own test vectors (internal/release/name_test.go).
    assert.equal(
      fluxReleaseName(
        'release-name-with-very-long-name-which-is-longer-than-53-characters',
        undefined,
        undefined,
      ),
      'release-name-with-very-long-name-which-i-788ca0d0d7b0',
    );
    assert.equal(
      fluxReleaseName(
        'name-with-very-long-name-which-is-longer-than-53-characters',
        'another-release',
        undefined,
      ),
      'another-release-name-with-very-long-name-7e72150d5a36',
    );
    assert.equal(isValidReleaseName(fluxReleaseName('x'.repeat(253), 'y'.repeat(63), '')), true);
  });
});

describe('quoted', () => {
  it('escapes control, line-breaking and bidirectional characters and cuts long values', () => {
    assert.equal(quoted('a\nb\tc'), '"a\\nb\\tc"');
    assert.equal(quoted('\u001b[31mred'), '"\\u001b[31mred"');
    assert.equal(quoted('a\u202eb\u2028c'), '"a\\u202eb\\u2028c"');
    assert.equal(quoted('say "hi"'), '"say \\"hi\\""');
    assert.equal(quoted('x'.repeat(100)), `"${'x'.repeat(80)}…"`);
  });
});

describe('helmInputProblem and checkHelmInputs', () => {
  const file = '/ws/clusters/dev/podinfo.yaml';
  const text = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: podinfo',
    '  namespace: flux-system',
    'spec:',
    '  releaseName: "--post-renderer=sh\\nx"',
    '  chart:',
    '    spec:',
    '      chart: ./charts/podinfo',
    '',
  ].join('\n');
  const helm: HelmInputs = {
    releaseName: '--post-renderer=sh\nx',
    namespace: 'flux-system',
    valueFiles: [],
    fields: { releaseName: { file, line: 1, path: ['spec', 'releaseName'] } },
  };
  const unit: RenderUnit = {
    kind: 'flux-helmrelease',
    id: 'x',
    name: 'podinfo',
    root: '/ws/charts/podinfo',
    renderer: 'helm',
    definedIn: { file, line: 1 },
    helm,
  };

  it('names the field, the escaped value and file:line, and says what to write', async () => {
    const reader = new SourceReader(new Map([[file, text]]));
    await assert.rejects(checkHelmInputs(unit, helm, '/ws', reader, false), (error: unknown) => {
      assert.ok(error instanceof RenderFailure);
      assert.equal(error.error.reason, 'refused');
      assert.equal(
        error.message,
        "The release name \"--post-renderer=sh\\nx\" (spec.releaseName in clusters/dev/podinfo.yaml:7) is not a valid Helm release name, so helm was not run: use at most 53 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
      );
      assert.equal(error.error.file, file);
      assert.equal(error.error.line, 7);
      return true;
    });
  });

  it('checks the namespace, and remote inputs only with network rendering on', () => {
    assert.equal(
      helmInputProblem({ releaseName: 'ok', namespace: '-n', valueFiles: [] }, false)?.input,
      'namespace',
    );
    const remote: HelmInputs = {
      releaseName: 'ok',
      valueFiles: [],
      remote: { repoUrl: 'https://charts.example.com', chart: '/etc', version: '1.0.0' },
    };
    assert.equal(helmInputProblem(remote, false), undefined);
    assert.equal(helmInputProblem(remote, true)?.input, 'chart');
    assert.equal(
      helmInputProblem({ ...remote, remote: { repoUrl: 'file:///etc', chart: 'x' } }, true)?.input,
      'repoUrl',
    );
    assert.equal(
      helmInputProblem(
        { ...remote, remote: { repoUrl: 'oci://r.io/c', chart: '', version: '--devel' } },
        true,
      )?.input,
      'version',
    );
    assert.equal(
      helmInputProblem({ ...remote, remote: { repoUrl: 'oci://r.io/c', chart: '' } }, true),
      undefined,
    );
  });
});
