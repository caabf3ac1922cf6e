import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  doubleValidationOf,
  isKubernetesSchema,
  noticeOf,
  searchPattern,
  settingsToStopDoubles,
} from '../../client/src/yamlDoubleValidation';
import type { YamlSettingsSnapshot } from '../../client/src/yamlDoubleValidation';

const K8S_URL =
  'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.32.1-standalone-strict/all.json';

function snapshot(overrides: Partial<YamlSettingsSnapshot>): YamlSettingsSnapshot {
  return {
    schemas: undefined,
    workspaceSchemas: undefined,
    validate: true,
    kubernetesExtension: false,
    ...overrides,
  };
}

describe('Kubernetes schema keys of yaml.schemas', () => {
  it('knows the keyword and the kubernetes-json-schema URL, as yaml-language-server does', () => {
    assert.equal(isKubernetesSchema('kubernetes'), true);
    assert.equal(isKubernetesSchema(' Kubernetes '), true);
    assert.equal(isKubernetesSchema(K8S_URL), true);
    assert.equal(isKubernetesSchema('https://json.schemastore.org/kustomization.json'), false);
    assert.equal(isKubernetesSchema('./schemas/kubernetes.json'), false);
  });
});

describe('when the YAML extension would list our problems again', () => {
  it('is when yaml.schemas gives the Kubernetes schema globs', () => {
    const found = doubleValidationOf(
      snapshot({ schemas: { kubernetes: '*.yaml', [K8S_URL]: ['apps/**/*.yml'] } }),
    );
    assert.deepEqual(found, {
      kubernetesGlobs: ['*.yaml', 'apps/**/*.yml'],
      kubernetesExtension: false,
    });
  });

  it('is when the Kubernetes extension contributes its schema, whatever yaml.schemas says', () => {
    assert.deepEqual(doubleValidationOf(snapshot({ kubernetesExtension: true })), {
      kubernetesGlobs: [],
      kubernetesExtension: true,
    });
  });

  it('is not when validation is off, no key is Kubernetes, or its globs are empty', () => {
    assert.equal(
      doubleValidationOf(snapshot({ schemas: { kubernetes: '*.yaml' }, validate: false })),
      undefined,
    );
    assert.equal(
      doubleValidationOf(
        snapshot({ schemas: { 'https://json.schemastore.org/kustomization.json': '*.yaml' } }),
      ),
      undefined,
    );
    assert.equal(doubleValidationOf(snapshot({ schemas: { kubernetes: [] } })), undefined);
    assert.equal(doubleValidationOf(snapshot({ schemas: 'kubernetes' })), undefined);
    assert.equal(doubleValidationOf(snapshot({})), undefined);
  });
});

describe('the warning that offers to stop the doubles', () => {
  it('offers to turn off the Kubernetes schema when yaml.schemas gives it', () => {
    assert.deepEqual(noticeOf({ kubernetesGlobs: ['*.yaml'], kubernetesExtension: false }), {
      message:
        "Red Hat's YAML extension also validates this workspace's Kubernetes manifests, so each problem would be listed twice.",
      action: 'Turn Off Its Kubernetes Schema Here',
    });
  });

  it('names the Kubernetes extension and offers to turn off YAML validation when it gives it', () => {
    for (const kubernetesGlobs of [[], ['*.yaml']]) {
      assert.deepEqual(noticeOf({ kubernetesGlobs, kubernetesExtension: true }), {
        message:
          "Microsoft's Kubernetes extension gives Red Hat's YAML extension a Kubernetes schema for every manifest, so each problem would be listed twice: only turning off YAML validation in this workspace stops that.",
        action: 'Turn Off YAML Validation Here',
      });
    }
  });
});

describe('workspace settings that stop the doubles', () => {
  it('maps each Kubernetes key to no file, keeping the workspace keys, and says what it was', () => {
    const changes = settingsToStopDoubles(
      snapshot({
        schemas: { kubernetes: '*.yaml', './ci.json': 'ci/*.yaml' },
        workspaceSchemas: { './ci.json': 'ci/*.yaml' },
      }),
    );
    assert.deepEqual(changes, [
      {
        key: 'schemas',
        value: { './ci.json': 'ci/*.yaml', kubernetes: [] },
        description: 'yaml.schemas now maps "kubernetes" (was "*.yaml") to no file',
      },
    ]);
  });

  it('overrides a user-level association from the workspace when the workspace sets none', () => {
    const changes = settingsToStopDoubles(
      snapshot({ schemas: { [K8S_URL]: ['a/*.yaml', 'b/*.yaml'] }, workspaceSchemas: undefined }),
    );
    assert.deepEqual(
      changes.map((change) => change.value),
      [{ [K8S_URL]: [] }],
    );
    assert.match(changes[0]?.description ?? '', /was "a\/\*\.yaml", "b\/\*\.yaml"/);
  });

  it('turns validation off for the workspace when the Kubernetes extension gives the schema', () => {
    const changes = settingsToStopDoubles(
      snapshot({ schemas: { kubernetes: '*.yaml' }, kubernetesExtension: true }),
    );
    assert.deepEqual(
      changes.map((change) => [change.key, change.value]),
      [
        ['schemas', { kubernetes: [] }],
        ['validate', false],
      ],
    );
    assert.match(changes[1]?.description ?? '', /^yaml\.validate is now false \(/);
  });

  it('changes nothing when nothing would validate twice', () => {
    assert.deepEqual(settingsToStopDoubles(snapshot({ schemas: { kubernetes: [] } })), []);
    assert.deepEqual(
      settingsToStopDoubles(snapshot({ kubernetesExtension: true, validate: false })),
      [],
    );
  });
});

describe('yaml.schemas globs as workspace searches', () => {
  it('matches a glob without a slash anywhere and one with a slash from the folder', () => {
    assert.equal(searchPattern('*.yaml'), '**/*.yaml');
    assert.equal(searchPattern('apps/**/*.yaml'), 'apps/**/*.yaml');
    assert.equal(searchPattern('./apps/*.yaml'), 'apps/*.yaml');
    assert.equal(searchPattern('/apps/*.yaml'), 'apps/*.yaml');
    assert.equal(searchPattern('apps\\*.yaml'), 'apps/*.yaml');
  });
});
