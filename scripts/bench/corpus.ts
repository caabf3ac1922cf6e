import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { deploymentDocument } from '../../test/integration/support/generatedManifests';

/** One resource of the throughput corpus; about 1 in 100 carries a mistake. */
function resource(index: number): string {
  const broken = index % 97 === 13;
  switch (index % 3) {
    case 0:
      return deploymentDocument(index, broken);
    case 1:
      return [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: svc-${index}`,
        'spec:',
        `  selector: {app: app-${index}}`,
        '  ports:',
        `    - name: http`,
        broken ? '      port: http' : '      port: 80',
        '      targetPort: 8080',
      ].join('\n');
    default:
      return [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        `  name: config-${index}`,
        broken ? 'datas:' : 'data:',
        `  INDEX: "${index}"`,
        '  MODE: production',
      ].join('\n');
  }
}

/** The text of the corpus's file number `file`, of `perFile` resources. */
export function corpusFileText(file: number, perFile: number): string {
  const documents = Array.from({ length: perFile }, (_, i) => resource(file * perFile + i));
  return documents.join('\n---\n') + '\n';
}

/** Writes `files` files of `perFile` resources each into `dir`; returns the resource count. */
export async function writeCorpus(dir: string, files: number, perFile: number): Promise<number> {
  await fs.mkdir(dir, { recursive: true });
  for (let file = 0; file < files; file++) {
    await fs.writeFile(
      path.join(dir, `resources-${String(file).padStart(3, '0')}.yaml`),
      corpusFileText(file, perFile),
    );
  }
  return files * perFile;
}

export const CORPUS_KINDS: ReadonlyArray<{ apiVersion: string; kind: string; definition: string }> =
  [
    { apiVersion: 'apps/v1', kind: 'Deployment', definition: 'io.k8s.api.apps.v1.Deployment' },
    { apiVersion: 'v1', kind: 'Service', definition: 'io.k8s.api.core.v1.Service' },
    { apiVersion: 'v1', kind: 'ConfigMap', definition: 'io.k8s.api.core.v1.ConfigMap' },
  ];
