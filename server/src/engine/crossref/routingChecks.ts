import { list, record, text } from '../validate/ruleContext';
import { missingReference } from './messages';
import type { IndexedResource, ResourceIndex } from './resourceIndex';
import type { CrossResourceFinding, FieldPath } from './types';

/** Gateway API route kinds whose `spec.rules[].backendRefs[]` name Services. */
const ROUTE_KINDS: ReadonlySet<string> = new Set([
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'TLSRoute',
  'UDPRoute',
]);

/** A Service and port a route sends traffic to, with the paths of both in the route. */
interface Backend {
  readonly name: string;
  readonly namespace: string;
  readonly port: number | string | undefined;
  readonly namePath: FieldPath;
  readonly portPath: FieldPath;
}

/**
 * Ingress backends and Gateway API route `backendRefs` name a Service of the unit (or one marked
 * external) and a port that Service exposes, by number or by name.
 */
export function routingChecks(index: ResourceIndex): CrossResourceFinding[] {
  const findings: CrossResourceFinding[] = [];
  for (const entry of index.entries) {
    const isIngress = entry.kind === 'Ingress' && entry.group === 'networking.k8s.io';
    const isRoute = ROUTE_KINDS.has(entry.kind) && entry.group === 'gateway.networking.k8s.io';
    const backends = isIngress ? ingressBackends(entry) : isRoute ? routeBackends(entry) : [];
    const prefix = isIngress ? 'ingress' : 'route';
    for (const backend of backends) {
      const reference = {
        kind: 'Service',
        name: backend.name,
        namespace: backend.namespace,
        path: backend.namePath,
        via: `backend of ${entry.kind} "${entry.name}"`,
      };
      const missing = missingReference(
        index,
        entry.resource,
        reference,
        `${prefix}-backend-missing`,
      );
      if (missing) {
        findings.push(missing);
        continue;
      }
      const service = index.find('Service', backend.namespace, backend.name, '');
      const portFinding = service && checkPort(entry, service, backend, prefix);
      if (portFinding) {
        findings.push(portFinding);
      }
    }
  }
  return findings;
}

function ingressBackends(entry: IndexedResource): Backend[] {
  const spec = record(entry.resource.object['spec']);
  const backends: Backend[] = [];
  const add = (backend: unknown, path: FieldPath): void => {
    const service = record(record(backend)?.['service']);
    const name = text(service?.['name']);
    if (!name) {
      return;
    }
    const port = record(service?.['port']);
    const portKey = port && 'name' in port ? 'name' : 'number';
    const portValue = port?.[portKey];
    backends.push({
      name,
      namespace: entry.namespace,
      port: typeof portValue === 'number' || typeof portValue === 'string' ? portValue : undefined,
      namePath: [...path, 'service', 'name'],
      portPath: [...path, 'service', 'port', portKey],
    });
  };
  add(spec?.['defaultBackend'], ['spec', 'defaultBackend']);
  list(spec?.['rules']).forEach((rule, r) => {
    list(record(record(rule)?.['http'])?.['paths']).forEach((item, p) => {
      add(record(item)?.['backend'], ['spec', 'rules', r, 'http', 'paths', p, 'backend']);
    });
  });
  return backends;
}

function routeBackends(entry: IndexedResource): Backend[] {
  const spec = record(entry.resource.object['spec']);
  const backends: Backend[] = [];
  list(spec?.['rules']).forEach((rule, r) => {
    list(record(rule)?.['backendRefs']).forEach((item, b) => {
      const ref = record(item);
      const name = text(ref?.['name']);
      const group = text(ref?.['group']) ?? '';
      const kind = text(ref?.['kind']) ?? 'Service';
      if (!name || group !== '' || kind !== 'Service') {
        return;
      }
      const port = ref?.['port'];
      const path = ['spec', 'rules', r, 'backendRefs', b];
      backends.push({
        name,
        namespace: text(ref?.['namespace']) ?? entry.namespace,
        port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
        namePath: [...path, 'name'],
        portPath: port === undefined ? path : [...path, 'port'],
      });
    });
  });
  return backends;
}

/** A finding when the backend's port is not one the Service exposes (or is missing). */
function checkPort(
  route: IndexedResource,
  service: IndexedResource,
  backend: Backend,
  prefix: string,
): CrossResourceFinding | undefined {
  const serviceSpec = record(service.resource.object['spec']);
  if (text(serviceSpec?.['type']) === 'ExternalName') {
    return undefined;
  }
  const ports = list(serviceSpec?.['ports']).map(record);
  const numbers = ports.map((port) => port?.['port']).filter((p) => typeof p === 'number');
  const names = ports.map((port) => text(port?.['name'])).filter((n) => n !== undefined);
  const { port } = backend;
  if (
    typeof port === 'number' ? numbers.includes(port) : port !== undefined && names.includes(port)
  ) {
    return undefined;
  }
  const exposed = [...numbers.map(String), ...names.map((name) => `"${name}"`)].join(', ');
  const wanted = typeof port === 'number' ? `port ${port}` : `port named "${port}"`;
  const message =
    port === undefined
      ? `The backend Service "${backend.name}" of ${route.kind} "${route.name}" has no port: ` +
        `set port to one the Service exposes (${exposed || 'none'}).`
      : `Service "${backend.name}" exposes no ${wanted}, so ${route.kind} "${route.name}" ` +
        `cannot reach it. Use one of its ports: ${exposed || 'none'}.`;
  return {
    resourceId: route.resource.id,
    path: backend.portPath,
    severity: 'warning',
    code: `${prefix}-backend-port-missing`,
    message,
  };
}
