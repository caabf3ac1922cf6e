import { record, text } from '../validate/ruleContext';
import type { UnitResource } from './types';

/** A resource that another resource of the unit makes the cluster create, in its namespace. */
export interface ProvidedResource {
  readonly kind: string;
  readonly name: string;
}

/**
 * Secrets that controllers common in GitOps repos create from a resource of the unit: a Sealed
 * Secret, an External Secrets `ExternalSecret` and a cert-manager `Certificate`. A reference to
 * such a Secret is satisfied by the unit.
 */
export function providedResources(resource: UnitResource, group: string): ProvidedResource[] {
  const spec = record(resource.object['spec']);
  const { kind, name } = resource.ref;
  if (kind === 'SealedSecret' && group === 'bitnami.com') {
    const templateName = text(record(record(spec?.['template'])?.['metadata'])?.['name']);
    return [{ kind: 'Secret', name: templateName ?? name }];
  }
  if (kind === 'ExternalSecret' && group === 'external-secrets.io') {
    const target = record(spec?.['target']);
    if (text(target?.['creationPolicy']) === 'None') {
      return [];
    }
    return [{ kind: 'Secret', name: text(target?.['name']) ?? name }];
  }
  if (kind === 'Certificate' && group === 'cert-manager.io') {
    const secretName = text(spec?.['secretName']);
    return secretName ? [{ kind: 'Secret', name: secretName }] : [];
  }
  return [];
}
