import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { renderFailureFinding } from '../../server/src/engine/check/renderedFindings';
import type { WalkedFolder } from '../../server/src/engine/files/folderWalk';
import { discoveryFacts } from '../../server/src/engine/render/discoveryFacts';
import { buildUnits } from '../../server/src/engine/render/renderUnits';
import { matchApp } from '../../server/src/engine/status/desiredState';
import { describeUnit } from '../../server/src/engine/workspace/unitChoices';

const ROOT = path.resolve('/repo');
const REMOTES = ['https://github.com/example/platform.git'];

const APPSET = `apiVersion: v1
kind: Secret
metadata:
  name: cluster-dev
  labels:
    argocd.argoproj.io/secret-type: cluster
    env: dev
stringData:
  name: dev
  server: https://dev.example.com
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - clusters:
        selector:
          matchLabels:
            env: dev
    - scmProvider:
        github:
          organization: example
  template:
    metadata:
      name: 'guestbook-{{.name}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/platform.git
        path: apps/guestbook
        helm:
          releaseName: 'gb-{{.name}}'
      destination:
        server: '{{.server}}'
        namespace: guestbook
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: unsupported
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: '{{ .env | sha256sum }}'
    spec:
      source:
        path: apps/guestbook
      destination:
        namespace: x
`;

function units(): ReturnType<typeof buildUnits> {
  const file = path.join(ROOT, 'appsets.yaml');
  const folders: WalkedFolder[] = [
    { dir: ROOT, yamlFiles: [file], chart: false },
    { dir: path.join(ROOT, 'apps'), yamlFiles: [], chart: false },
    { dir: path.join(ROOT, 'apps', 'guestbook'), yamlFiles: [], chart: true },
  ];
  const facts = new Map([[file, discoveryFacts(file, APPSET)]]);
  return buildUnits(ROOT, folders, (name) => facts.get(name), REMOTES);
}

describe('ApplicationSet units', () => {
  it('converts each generated Application as a hand-written one, fields pointing into the template', () => {
    const generated = units().units.find(
      (unit) => unit.applicationSet?.application === 'guestbook-dev',
    );
    assert.ok(generated);
    assert.equal(generated.name, 'guestbook-dev (ApplicationSet guestbook)');
    assert.equal(generated.renderer, 'helm');
    assert.equal(generated.root, path.join(ROOT, 'apps', 'guestbook'));
    assert.equal(generated.helm?.releaseName, 'gb-dev');
    assert.deepEqual(generated.helm?.fields?.releaseName, {
      file: path.join(ROOT, 'appsets.yaml'),
      line: 12,
      path: ['spec', 'template', 'spec', 'source', 'helm', 'releaseName'],
    });
    assert.equal(generated.unrenderable, undefined);
  });

  it('says on the set what it did not expand: an unsupported generator, a function outside the subset', () => {
    const notes = units()
      .units.filter((unit) => unit.applicationSet && !unit.applicationSet.application)
      .map((unit) => renderFailureFinding(unit, unit.unrenderable!))
      .map((finding) => [finding.severity, finding.range.start.line, finding.message]);
    assert.deepEqual(notes, [
      [
        'info',
        11,
        'Argo CD ApplicationSet guestbook was not rendered: its scmProvider generator asks a forge (GitHub, GitLab...) for repositories, which is not done offline, so the Applications it generates are not shown.',
      ],
      [
        'info',
        40,
        'Argo CD ApplicationSet unsupported was not rendered: the expression {{ .env | sha256sum }} calls "sha256sum", outside the supported Go template functions (default, lower, upper, replace, trunc, toYaml, toJson, index, normalize).',
      ],
    ]);
  });

  it('matches a live Application to the unit of the set that generates it', () => {
    const found = matchApp(
      { metadata: { name: 'guestbook-dev', namespace: 'argocd' } },
      'ArgoApplication',
      {},
      [{ units: units() }],
    );
    assert.equal(found?.unit.name, 'guestbook-dev (ApplicationSet guestbook)');
    assert.equal(found?.match.how, 'definition');
    assert.equal(
      matchApp({ metadata: { name: 'guestbook' } }, 'ArgoApplication', {}, [{ units: units() }]),
      undefined,
    );
  });

  it('describes a generated unit by its Application and its set, and the set alone by its name', () => {
    const all = units().units;
    const generated = all.find((unit) => unit.applicationSet?.application === 'guestbook-dev');
    assert.ok(generated);
    assert.deepEqual(describeUnit(generated, all, ROOT), {
      label: 'guestbook (Application guestbook/guestbook-dev of ApplicationSet guestbook)',
      where: 'appsets.yaml:12',
    });
    const note = all.find((unit) => unit.applicationSet?.name === 'unsupported');
    assert.ok(note);
    assert.equal(describeUnit(note, all, ROOT).label, 'unsupported (ApplicationSet)');
  });
});
