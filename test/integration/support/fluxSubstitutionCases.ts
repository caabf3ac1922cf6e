/**
 * Post-build variable substitution cases for test/integration/fluxRenderOracle.test.ts: each is
 * rendered by the workbench and by Flux's own SubstituteVariables (tools/fluxbuild), and the two
 * outputs must be the same resources, or both must fail. bjw-s/home-ops names its volsync claims
 * `${VOLSYNC_CLAIM:-${APP}}`: the workbench read the default as `${APP` and reported 24 apps'
 * PersistentVolumeClaims as invalid names that Flux applies as `bazarr`.
 */
import { lines } from './fluxOracleSupport';
import type { FluxOracleCase } from './fluxOracleSupport';

/** A ConfigMap named `name` whose text goes on with `rest` (metadata lines, then data). */
const configMap = (name: string, rest: string): string =>
  lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`) + rest;

const pvc = (name: string): string =>
  lines(
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    `  name: "${name}"`,
    'spec:',
    '  accessModes: [ReadWriteOnce]',
    '  resources:',
    '    requests:',
    '      storage: 1Gi',
  );

export const fluxSubstitutionCases: readonly FluxOracleCase[] = [
  {
    name: 'a default that is another variable, set and unset, and an empty value',
    files: {
      'apps/app/kustomization.yaml': lines('resources:', '  - claims.yaml'),
      'apps/app/claims.yaml': [
        pvc('${VOLSYNC_CLAIM:-${APP}}'),
        pvc('${UNSET:-${APP}-${UNSET2:=data}}'),
        pvc('${EMPTY:-empty-${APP}}'),
      ].join('---\n'),
    },
    spec: {
      path: './apps/app',
      postBuild: { substitute: { APP: 'bazarr', VOLSYNC_CLAIM: 'bazarr-config', EMPTY: '' } },
    },
  },
  {
    name: 'functions: case, length, substring, replace, trims; escapes and unknown names',
    files: {
      'apps/fn/kustomization.yaml': lines('resources:', '  - values.yaml'),
      'apps/fn/values.yaml': configMap(
        'values',
        lines(
          'data:',
          '  upper: "${APP^^}/${APP^}"',
          '  lower: "${LOUD,,}/${LOUD,}"',
          '  length: "${#APP}"',
          '  slice: "${APP:0:3}/${APP:2}/${APP:-3}/${APP:1:100}"',
          '  replace: "${HOST/./-}/${HOST//./-}/${HOST/#api/www}/${HOST/%com/org}"',
          '  trim: "${HOST#*.}/${HOST##*.}/${HOST%.*}/${HOST%%.*}"',
          '  escaped: "$${APP} costs $$5 and ${MISSING}"',
          '  unicode: "${CITY^}-${#CITY}"',
          '  newline: "${CERT}"',
        ),
      ),
    },
    spec: {
      path: './apps/fn',
      postBuild: {
        substitute: {
          APP: 'bazarr',
          LOUD: 'BAZARR',
          HOST: 'api.example.com',
          CITY: 'école',
          CERT: 'line one\nline two\n',
        },
      },
    },
  },
  {
    name: 'a resource that turns substitution off, and a postBuild without variables',
    files: {
      'apps/off/kustomization.yaml': lines('resources:', '  - off.yaml', '  - on.yaml'),
      'apps/off/off.yaml': configMap(
        'off',
        lines(
          '  annotations:',
          '    kustomize.toolkit.fluxcd.io/substitute: disabled',
          'data:',
          '  script: "echo ${HOME} ${APP}"',
        ),
      ),
      'apps/off/on.yaml': configMap('on', lines('data:', '  app: "${APP}"')),
    },
    spec: { path: './apps/off', postBuild: { substitute: { APP: 'bazarr' } } },
  },
  {
    name: 'no variables at all: nothing is substituted',
    files: {
      'apps/none/kustomization.yaml': lines('resources:', '  - none.yaml'),
      'apps/none/none.yaml': configMap('none', lines('data:', '  app: "${APP:-default}"')),
    },
    spec: { path: './apps/none', postBuild: { substitute: {} } },
  },
];

/** Texts Flux's substitution refuses: the build fails, in Flux and in the workbench. */
export const failingSubstitutionCases: readonly FluxOracleCase[] = [
  ['a line that ends inside an expression', '  host: "atuin.${SECRET_DOMAIN"'],
  ['a dash default without a colon', '  host: "${SECRET_DOMAIN-example.com}"'],
  ['an expression with no name', '  run: "${{ github.sha }}"'],
].map(([name, line]) => ({
  name: name ?? '',
  files: {
    'apps/bad/kustomization.yaml': lines('resources:', '  - bad.yaml'),
    'apps/bad/bad.yaml': configMap('bad', lines('data:', line ?? '')),
  },
  spec: { path: './apps/bad', postBuild: { substitute: { SECRET_DOMAIN: 'example.com' } } },
}));
