import type { FieldPath } from '../parse/locate';
import { parseIp } from './cel/ipAddress';
import { checkPortNumber } from './containerRules';
import { checkLabelSelector } from './labelSelectorRules';
import { dns1035Label, dns1123Subdomain, ianaServiceName, pathSegmentName } from './names';
import { CIDR_HINT, isValidCidr, isValidIp } from './netValues';
import { int, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const INVALID_PATH_PARTS = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_ENDS = ['/..', '/.'];

/** A host of an Ingress rule or TLS entry: a DNS name, "*." allowed as its first label. */
function hostProblem(host: string, allowIp = false): string | undefined {
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (name.includes('*')) return 'may only start with "*." as a wildcard, nowhere else';
  if (!allowIp && isValidIp(host)) return 'must be a DNS name, not an IP address';
  const problem = dns1123Subdomain(name);
  return problem ? `must ${problem}` : undefined;
}

/** An Ingress spec (ValidateIngressSpec). */
export function checkIngress(spec: Record<string, unknown>, ctx: RuleContext): void {
  const rules = list(spec['rules']);
  const backend = record(spec['defaultBackend']);
  if (!backend && rules.length === 0) {
    ctx.report(['spec'], 'either defaultBackend or rules must be specified.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  if (backend) checkBackend(backend, ['spec', 'defaultBackend'], ctx);
  const className = plain(spec['ingressClassName']);
  const classProblem = className === undefined ? undefined : dns1123Subdomain(className);
  if (classProblem)
    ctx.report(
      ['spec', 'ingressClassName'],
      `Invalid value "${className}": an IngressClass name must ${classProblem}.`,
    );
  rules.forEach((entry, index) => {
    const rule = record(entry) ?? {};
    const at: FieldPath = ['spec', 'rules', index];
    const host = plain(rule['host']);
    const problem = host === undefined || host === '' ? undefined : hostProblem(host);
    if (problem) ctx.report([...at, 'host'], `Invalid value "${host}": a host ${problem}.`);
    const http = record(rule['http']);
    if (!http) return;
    const paths = list(http['paths']);
    if (paths.length === 0) {
      ctx.report([...at, 'http'], 'paths is required: list at least one path.', {
        code: 'missing-required',
        part: 'key',
      });
    }
    paths.forEach((pathEntry, pathIndex) => {
      const item = record(pathEntry) ?? {};
      const itemAt: FieldPath = [...at, 'http', 'paths', pathIndex];
      checkPath(item, itemAt, ctx);
      const itemBackend = record(item['backend']);
      if (itemBackend) checkBackend(itemBackend, [...itemAt, 'backend'], ctx);
    });
  });
  list(spec['tls']).forEach((entry, index) => {
    const tls = record(entry) ?? {};
    list(tls['hosts']).forEach((host, hostIndex) => {
      const name = plain(host);
      // TLS hosts may be IP addresses (they are matched against certificates only).
      const problem = name === undefined ? undefined : hostProblem(name, true);
      if (problem)
        ctx.report(
          ['spec', 'tls', index, 'hosts', hostIndex],
          `Invalid value "${name}": a host ${problem}.`,
        );
    });
    const secret = plain(tls['secretName']);
    const secretProblem =
      secret === undefined || secret === '' ? undefined : dns1123Subdomain(secret);
    if (secretProblem)
      ctx.report(
        ['spec', 'tls', index, 'secretName'],
        `Invalid value "${secret}": a Secret name must ${secretProblem}.`,
      );
  });
}

function checkPath(item: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const type = plain(item['pathType']);
  const value = plain(item['path']) ?? '';
  if (item['pathType'] === undefined || item['pathType'] === null) {
    ctx.report(at, 'pathType must be specified: use Prefix, Exact or ImplementationSpecific.', {
      code: 'missing-required',
      part: 'key',
    });
    return;
  }
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) {
      ctx.report(
        [...at, 'path'],
        `Invalid value "${value}": must be an absolute path (start with "/").`,
        {
          part: item['path'] === undefined ? 'key' : 'value',
        },
      );
    }
    const part = INVALID_PATH_PARTS.find((sequence) => value.includes(sequence));
    if (part) ctx.report([...at, 'path'], `Invalid value "${value}": must not contain '${part}'.`);
    const end = INVALID_PATH_ENDS.find((suffix) => value.endsWith(suffix));
    if (end) ctx.report([...at, 'path'], `Invalid value "${value}": cannot end with '${end}'.`);
  } else if (type === 'ImplementationSpecific' && value !== '' && !value.startsWith('/')) {
    ctx.report(
      [...at, 'path'],
      `Invalid value "${value}": must be an absolute path (start with "/").`,
    );
  }
}

function checkBackend(backend: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const service = record(backend['service']);
  const resource = record(backend['resource']);
  if (service && resource) {
    ctx.report(
      [...at, 'resource'],
      'Invalid value: cannot set both resource and service backends: keep one.',
      { part: 'key' },
    );
  } else if (!service && !resource) {
    ctx.report(at, 'one backend (service or resource) must be specified.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  if (resource) {
    const apiGroup = resource['apiGroup'];
    const group = plain(apiGroup);
    const groupProblem =
      apiGroup === undefined || apiGroup === null || group === undefined
        ? undefined
        : dns1123Subdomain(group);
    if (groupProblem) {
      ctx.report(
        [...at, 'resource', 'apiGroup'],
        `Invalid value "${group ?? ''}": an API group must ${groupProblem}.`,
      );
    }
    for (const key of ['kind', 'name']) {
      const value = plain(resource[key]);
      const problem =
        value === undefined ? undefined : value === '' ? 'not be empty' : pathSegmentName(value);
      if (problem)
        ctx.report(
          [...at, 'resource', key],
          `Invalid value "${value ?? ''}": the ${key} must ${problem}.`,
        );
    }
  }
  if (service) {
    const name = plain(service['name']);
    const problem = name === undefined ? undefined : dns1035Label(name);
    if (problem)
      ctx.report(
        [...at, 'service', 'name'],
        `Invalid value "${name}": a Service name must ${problem}.`,
      );
    const port = record(service['port']);
    const portName = plain(port?.['name']);
    const hasName = portName !== undefined && portName !== '';
    const hasNumber = int(port?.['number']) !== undefined && port?.['number'] !== 0;
    if (hasName && hasNumber) {
      ctx.report(
        [...at, 'service', 'port'],
        'Invalid value: cannot set both port name and port number: keep one.',
        { part: 'key' },
      );
    } else if (hasName) {
      const nameProblem = ianaServiceName(portName);
      if (nameProblem)
        ctx.report(
          [...at, 'service', 'port', 'name'],
          `Invalid value "${portName}": a port name must ${nameProblem}.`,
        );
    } else if (hasNumber) {
      checkPortNumber(port?.['number'], [...at, 'service', 'port', 'number'], 1, ctx);
    } else {
      ctx.report([...at, 'service'], 'port name or number is required.', {
        code: 'missing-required',
        part: 'key',
      });
    }
  }
}

/** A NetworkPolicy spec (ValidateNetworkPolicySpec). */
export function checkNetworkPolicy(spec: Record<string, unknown>, ctx: RuleContext): void {
  checkLabelSelector(spec['podSelector'], ['spec', 'podSelector'], ctx);
  for (const [direction, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    list(spec[direction]).forEach((entry, index) => {
      const rule = record(entry) ?? {};
      const at: FieldPath = ['spec', direction, index];
      list(rule['ports']).forEach((port, portIndex) =>
        checkPolicyPort(record(port) ?? {}, [...at, 'ports', portIndex], ctx),
      );
      list(rule[peersKey]).forEach((peer, peerIndex) =>
        checkPeer(record(peer) ?? {}, [...at, peersKey, peerIndex], ctx),
      );
    });
  }
  const types = list(spec['policyTypes']);
  if (types.length > 2) {
    ctx.report(
      ['spec', 'policyTypes'],
      'Invalid value: may not specify more than two policyTypes (Ingress and Egress).',
      { part: 'key' },
    );
  }
}

function checkPolicyPort(port: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const value = port['port'];
  const endPort = int(port['endPort']);
  if (typeof value === 'number') {
    checkPortNumber(value, [...at, 'port'], 1, ctx);
  } else if (plain(value) !== undefined) {
    const problem = ianaServiceName(plain(value) ?? '');
    if (problem)
      ctx.report(
        [...at, 'port'],
        `Invalid value "${String(value)}": a named port must ${problem}.`,
      );
  }
  if (endPort === undefined) return;
  if (value === undefined || value === null) {
    ctx.report(
      [...at, 'endPort'],
      'Required value: may not be specified when port is not specified.',
    );
  } else if (typeof value !== 'number') {
    ctx.report(
      [...at, 'endPort'],
      `Invalid value: ${endPort}: may not be specified when port is non-numeric.`,
    );
  } else {
    if (endPort < value)
      ctx.report(
        [...at, 'endPort'],
        `Invalid value: ${endPort}: must be greater than or equal to port (${value}).`,
      );
    checkPortNumber(endPort, [...at, 'endPort'], 1, ctx);
  }
}

function checkPeer(peer: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const selectors = ['podSelector', 'namespaceSelector'].filter((key) => record(peer[key]));
  for (const key of selectors) checkLabelSelector(peer[key], [...at, key], ctx);
  const block = record(peer['ipBlock']);
  if (block && selectors.length > 0) {
    ctx.report(
      at,
      'Forbidden: may not specify both ipBlock and another peer: make them separate entries.',
      { part: 'key' },
    );
  } else if (!block && selectors.length === 0) {
    ctx.report(at, 'must specify a peer: podSelector, namespaceSelector or ipBlock.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  if (!block) return;
  const cidr = plain(block['cidr']);
  if (cidr === '') {
    ctx.report([...at, 'ipBlock', 'cidr'], 'cidr is required.', { code: 'missing-required' });
  } else if (cidr !== undefined && !isValidCidr(cidr)) {
    ctx.report(
      [...at, 'ipBlock', 'cidr'],
      `Invalid value "${cidr}": must be a valid CIDR: ${CIDR_HINT}.`,
    );
  }
  list(block['except']).forEach((entry, index) => {
    const except = plain(entry);
    if (except === undefined) return;
    if (!isValidCidr(except)) {
      ctx.report(
        [...at, 'ipBlock', 'except', index],
        `Invalid value "${except}": must be a valid CIDR: ${CIDR_HINT}.`,
      );
    } else if (cidr !== undefined && isValidCidr(cidr) && !strictSubset(except, cidr)) {
      ctx.report(
        [...at, 'ipBlock', 'except', index],
        `Invalid value "${except}": must be a strict subset of cidr ${cidr}.`,
      );
    }
  });
}

function strictSubset(inner: string, outer: string): boolean {
  const [innerIp = '', innerBits = '0'] = inner.split('/');
  const [outerIp = '', outerBits = '0'] = outer.split('/');
  const a = parseIp(innerIp.replace(/(^|\.)0+(\d)/g, '$1$2'));
  const b = parseIp(outerIp.replace(/(^|\.)0+(\d)/g, '$1$2'));
  if (!a || !b || a.family !== b.family || Number(innerBits) <= Number(outerBits)) return false;
  const bits = Number(outerBits);
  for (let bit = 0; bit < bits; bit++) {
    const byte = Math.floor(bit / 8);
    const mask = 0x80 >> (bit % 8);
    if (((a.bytes[byte] ?? 0) & mask) !== ((b.bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}
