import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { RawKube } from './rawKube';

interface CrdDocument {
  kind?: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean }>;
  };
}

/** Installs CRDs by server-side apply and waits until the API server serves their kinds. */
export async function installCrds(
  kube: RawKube,
  files: readonly string[],
  fieldManager = 'cel-oracle',
): Promise<void> {
  const installed: Array<{ name: string; groupVersion: string; kind: string }> = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await fs.readFile(file, 'utf8'))) {
      const crd = document.toJS() as CrdDocument | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const answer = await kube.request(
        'PATCH',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=${fieldManager}&force=true`,
        JSON.stringify(crd),
        'application/apply-patch+yaml',
      );
      assert.ok(answer.status === 200 || answer.status === 201, `${file}: ${answer.body}`);
      const served = crd.spec.versions.find((version) => version.served);
      installed.push({
        name: crd.metadata.name,
        groupVersion: `${crd.spec.group}/${served?.name ?? ''}`,
        kind: crd.spec.names.kind,
      });
    }
  }
  const deadline = Date.now() + 60_000;
  for (const crd of installed) {
    for (;;) {
      const answer = await kube.request('GET', `/apis/${crd.groupVersion}`);
      if (answer.status === 200 && answer.body.includes(`"kind":"${crd.kind}"`)) break;
      assert.ok(Date.now() < deadline, `${crd.name} was not served within 60 s`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
