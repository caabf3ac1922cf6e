/** Generated manifests for robustness tests and benchmarks: realistic and of a chosen size. */

/** A Deployment of about 20 lines; `index` makes names unique and `typo` adds one unknown field. */
export function deploymentDocument(index: number, typo = false): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${index}`,
    '  labels:',
    `    app: app-${index}`,
    'spec:',
    `  replicas: ${(index % 3) + 1}`,
    typo ? '  replica: 2' : '  revisionHistoryLimit: 3',
    '  selector:',
    '    matchLabels:',
    `      app: app-${index}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: app-${index}`,
    '    spec:',
    '      containers:',
    `        - name: app`,
    `          image: registry.example.com/app:${index}`,
  ].join('\n');
}

/** A multi-document file of `count` Deployments (about 20 lines each). */
export function manyDeployments(count: number, typoAt?: number): string {
  return (
    Array.from({ length: count }, (_, index) => deploymentDocument(index, index === typoAt)).join(
      '\n---\n',
    ) + '\n'
  );
}
