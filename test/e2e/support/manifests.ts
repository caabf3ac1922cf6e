// Files the tests write into their copy of the example repo: what a user might save by mistake.

/** A flow sequence that is never closed: a YAML syntax error. */
export const brokenYaml =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n';

/** Valid YAML, but a Kubernetes object without its apiVersion. */
export const missingApiVersion =
  'kind: ConfigMap\nmetadata:\n  name: no-api-version\ndata:\n  greeting: hello\n';

/** The `source` of every diagnostic of our language server. */
export const diagnosticSource = 'gitops-workbench';
