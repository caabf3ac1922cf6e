/** Attacks that try to make a Secret value appear in an output, a message or a log. */
import type { Attack } from '../support/attack';

const targets = ['no Secret byte'] as const;

export const secrets: readonly Attack[] = [
  {
    id: 'secret-unparsable-with-block-value',
    what: 'a Secret that does not parse (a duplicate key) holding a PEM key in a block scalar',
    targets,
  },
  {
    id: 'secret-in-list',
    what: 'Secrets inside kind: List and kind: SecretList, as kubectl get -o yaml exports them',
    targets,
  },
  {
    id: 'secret-written-as-json',
    what: 'a Secret written as JSON in a .yaml file',
    targets,
  },
  {
    id: 'secret-kind-tagged-or-escaped',
    what: 'kind: !!str Secret, kind: "Secr\\u0065t" and kind: *alias',
    targets,
  },
  {
    id: 'secret-value-quoted-in-finding',
    what: 'Secret values of the wrong type, which a type error would quote',
    targets,
  },
  {
    id: 'secret-rendered-by-helm',
    what: 'a chart that renders a Secret from its values (plain and b64enc)',
    targets,
    unit: 'chart',
  },
  {
    id: 'secret-generator',
    what: 'a kustomize secretGenerator from literals and a file',
    targets,
  },
  {
    id: 'secret-echoed-in-tool-error',
    what: 'a patch whose failure makes kustomize print the Secret it patches',
    targets,
  },
  {
    id: 'secret-in-last-applied',
    what: 'a Secret whose last-applied-configuration annotation holds its data',
    targets,
  },
];
