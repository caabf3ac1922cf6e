import { promises as fs } from 'node:fs';
import { SchemaCatalog, crdsInText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { crdFiles } from '../../test/integration/oracle/celCases';
import { installCrds } from '../../test/integration/support/installCrds';
import { RawKube } from '../../test/integration/support/rawKube';
import { BUNDLE_DIR } from '../../test/unit/support/schemas';
import { startControlPlane } from '../harness/controlPlane';
import type { ControlPlane } from '../harness/controlPlane';

/** The namespace every namespaced case is applied in. */
export const ORACLE_NAMESPACE = 'oracle';

/** Both judges: a real kube-apiserver (with the Flux, Argo CD and CEL test CRDs) and our registry. */
export interface OracleSession {
  readonly kube: RawKube;
  readonly registry: SchemaRegistry;
  readonly kubernetesVersion: string;
  stop(): Promise<void>;
}

export async function startOracleSession(signal?: AbortSignal): Promise<OracleSession> {
  const plane: ControlPlane = await startControlPlane({
    withControllerManager: false,
    withKwok: false,
    ...(signal ? { signal } : {}),
  });
  try {
    const kube = await RawKube.connect(plane.kubeconfigPath, plane.contexts.admin);
    const created = await kube.request(
      'POST',
      '/api/v1/namespaces',
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ORACLE_NAMESPACE } }),
    );
    if (created.status !== 201) {
      throw new Error(`could not create namespace ${ORACLE_NAMESPACE}: ${created.body}`);
    }
    const files = await crdFiles('standard');
    await installCrds(kube, files, 'differential-oracle');
    const minor = /^(\d+\.\d+)/.exec(plane.kubernetesVersion)?.[1] ?? '';
    const registry = await new SchemaCatalog(BUNDLE_DIR).registry(minor);
    for (const file of files) {
      registry.setWorkspaceCrds(file, crdsInText(await fs.readFile(file, 'utf8')));
    }
    return {
      kube,
      registry,
      kubernetesVersion: plane.kubernetesVersion,
      stop: () => plane.stop(),
    };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}
