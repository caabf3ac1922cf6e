/** Attacks that try to make a tool contact a host while network rendering is off. */
import type { Attack } from '../support/attack';

const targets = ['no network unless allowed'] as const;
const NOT_FETCHED = /network rendering is off/;

export const network: readonly Attack[] = [
  {
    id: 'kustomize-remote-scp-like-github',
    what: 'resources: github.com:example/repo//base (a git remote kustomize would clone over ssh)',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'kustomize-remote-user-at-host',
    what: 'resources: user@host:org/repo//base remotes',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'kustomize-remote-https-file',
    what: 'resources: an http(s) URL of a single file',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'kustomize-remote-forms',
    what: 'remote bases in every form kustomize accepts (https ?ref=, gh:, git::, ssh://, host/org/repo)',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'kustomize-remote-case-folded',
    what: 'a remote base under RESOURCES: in capitals',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'kustomize-remote-component',
    what: 'a remote component',
    targets,
    refusal: NOT_FETCHED,
  },
  {
    id: 'helm-remote-chart-repository',
    what: 'a HelmRelease whose chart comes from a chart repository (the canary host)',
    targets,
    unit: 'flux/release.yaml',
    refusal: NOT_FETCHED,
  },
  {
    id: 'helm-oci-chart',
    what: 'an Argo CD Application whose chart comes from an OCI registry (the canary host)',
    targets,
    unit: 'apps/web.yaml',
    refusal: NOT_FETCHED,
  },
  {
    id: 'helm-values-file-url',
    what: 'an Argo CD values file given as an http URL',
    targets,
    unit: 'apps/web.yaml',
    refusal: NOT_FETCHED,
  },
  {
    id: 'helm-schema-ref-url',
    what: 'values.schema.json with $schema and $ref on the canary host and on example.invalid',
    targets,
    unit: 'chart',
    refusal: /values\.schema\.json/,
  },
  {
    id: 'helm-schema-id-rebase',
    what: 'values.schema.json whose $id moves relative references to the canary host',
    targets,
    unit: 'chart',
    refusal: /values\.schema\.json/,
  },
  {
    id: 'helm-dependency-repository',
    what: 'a chart whose dependencies come from the canary host (http and oci), not vendored',
    targets,
    unit: 'chart',
  },
  {
    id: 'helm-dns-lookup',
    what: 'a template that calls getHostByName',
    targets,
    unit: 'chart',
  },
  {
    id: 'helm-lookup',
    what: 'a template that calls lookup to read cluster Secrets',
    targets: ['no network unless allowed', 'no Secret byte'],
    unit: 'chart',
  },
];
