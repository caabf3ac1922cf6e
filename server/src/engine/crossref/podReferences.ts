import { list, record, text } from '../validate/ruleContext';
import type { Reference } from './messages';
import type { PodTemplate } from './podTemplates';
import type { FieldPath } from './types';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * The ConfigMaps, Secrets, PersistentVolumeClaims and ServiceAccount a pod spec names, each with
 * the path of its name. References marked `optional: true` are left out: pods start without them.
 */
export function podReferences(pods: PodTemplate, namespace: string): Reference[] {
  const found: Reference[] = [];
  const add = (kind: string, name: unknown, path: FieldPath, via: string, key?: unknown): void => {
    const value = text(name);
    const keyName = text(key);
    if (value) {
      found.push({
        kind,
        group: '',
        name: value,
        namespace,
        path: [...pods.specPath, ...path],
        via,
        ...(keyName
          ? { key: { name: keyName, path: [...pods.specPath, ...path.slice(0, -1), 'key'] } }
          : {}),
      });
    }
  };
  const { spec } = pods;
  for (const listName of CONTAINER_LISTS) {
    list(spec[listName]).forEach((item, c) => {
      const container = record(item);
      const where = `container "${text(container?.['name']) ?? c}"`;
      list(container?.['envFrom']).forEach((entry, e) => {
        for (const [key, kind] of [
          ['configMapRef', 'ConfigMap'],
          ['secretRef', 'Secret'],
        ] as const) {
          const ref = record(record(entry)?.[key]);
          if (ref && ref['optional'] !== true) {
            add(kind, ref['name'], [listName, c, 'envFrom', e, key, 'name'], `envFrom of ${where}`);
          }
        }
      });
      list(container?.['env']).forEach((entry, e) => {
        const valueFrom = record(record(entry)?.['valueFrom']);
        for (const [key, kind] of [
          ['configMapKeyRef', 'ConfigMap'],
          ['secretKeyRef', 'Secret'],
        ] as const) {
          const ref = record(valueFrom?.[key]);
          if (ref && ref['optional'] !== true) {
            const envName = text(record(entry)?.['name']) ?? String(e);
            const path = [listName, c, 'env', e, 'valueFrom', key, 'name'];
            add(kind, ref['name'], path, `env ${envName} of ${where}`, ref['key']);
          }
        }
      });
    });
  }
  list(spec['volumes']).forEach((item, v) => {
    const volume = record(item);
    const where = `volume "${text(volume?.['name']) ?? v}"`;
    const configMap = record(volume?.['configMap']);
    if (configMap && configMap['optional'] !== true) {
      add('ConfigMap', configMap['name'], ['volumes', v, 'configMap', 'name'], where);
    }
    const secret = record(volume?.['secret']);
    if (secret && secret['optional'] !== true) {
      add('Secret', secret['secretName'], ['volumes', v, 'secret', 'secretName'], where);
    }
    const claim = record(volume?.['persistentVolumeClaim']);
    add(
      'PersistentVolumeClaim',
      claim?.['claimName'],
      ['volumes', v, 'persistentVolumeClaim', 'claimName'],
      where,
    );
    list(record(volume?.['projected'])?.['sources']).forEach((source, s) => {
      for (const [key, kind] of [
        ['configMap', 'ConfigMap'],
        ['secret', 'Secret'],
      ] as const) {
        const ref = record(record(source)?.[key]);
        if (ref && ref['optional'] !== true) {
          add(kind, ref['name'], ['volumes', v, 'projected', 'sources', s, key, 'name'], where);
        }
      }
    });
  });
  list(spec['imagePullSecrets']).forEach((entry, i) => {
    add('Secret', record(entry)?.['name'], ['imagePullSecrets', i, 'name'], 'imagePullSecrets');
  });
  const accountKey = text(spec['serviceAccountName']) ? 'serviceAccountName' : 'serviceAccount';
  if (text(spec[accountKey]) !== 'default') {
    add('ServiceAccount', spec[accountKey], [accountKey], accountKey);
  }
  return found;
}
