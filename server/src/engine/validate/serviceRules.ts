import type { FieldPath } from '../parse/locate';
import { checkPortNumber, checkPortNumOrName } from './containerRules';
import { checkLabels } from './metadataRules';
import { dns1123Label, dns1123Subdomain, qualifiedName } from './names';
import { CIDR_HINT, IP_HINT, isValidCidr, isValidIp, specialIpKind } from './netValues';
import { int, int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
const MAX_AFFINITY_SECONDS = 86400;

/** A Service's spec (ValidateService): ports, type-specific fields, addresses, policies. */
export function checkService(spec: Record<string, unknown>, ctx: RuleContext): void {
  const type = plain(spec['type']) ?? 'ClusterIP';
  const clusterIP = plain(spec['clusterIP']);
  const headless = clusterIP === 'None';
  const ports = list(spec['ports']);
  if (type !== 'ExternalName' && ports.length === 0 && !headless) {
    ctx.report(['spec'], 'ports is required for a Service that is not headless or ExternalName.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  if (headless && (type === 'LoadBalancer' || type === 'NodePort')) {
    ctx.report(
      ['spec', 'clusterIP'],
      `Invalid value "None": may not be set to 'None' for ${type} services.`,
    );
  }
  if (type === 'ExternalName') checkExternalName(spec, ctx);
  checkPorts(ports, type, ctx);
  checkLabels(record(spec['selector']), ['spec', 'selector'], ctx);
  checkAffinity(spec, ctx);
  checkAddresses(spec, type, ctx);
  checkTypeOnlyFields(spec, type, ctx);
  const distribution = plain(spec['trafficDistribution']);
  if (distribution !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(distribution)) {
    ctx.report(
      ['spec', 'trafficDistribution'],
      `Unsupported value "${distribution}": use ${TRAFFIC_DISTRIBUTIONS.map((d) => `"${d}"`).join(', ')}.`,
    );
  }
}

function checkExternalName(spec: Record<string, unknown>, ctx: RuleContext): void {
  const clusterIP = plain(spec['clusterIP']);
  if ((clusterIP !== undefined && clusterIP !== '') || list(spec['clusterIPs']).length > 0) {
    ctx.report(
      ['spec', clusterIP ? 'clusterIP' : 'clusterIPs'],
      'Forbidden: may not be set for ExternalName services.',
      {
        part: 'key',
      },
    );
  }
  for (const key of ['ipFamilies', 'ipFamilyPolicy']) {
    const value = spec[key];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      ctx.report(['spec', key], 'Forbidden: may not be set for ExternalName services.', {
        part: 'key',
      });
    }
  }
  const name = plain(spec['externalName']) ?? (spec['externalName'] === undefined ? '' : undefined);
  if (name === undefined) return;
  const cname = name.replace(/\.$/, '');
  if (cname === '') {
    ctx.report(
      spec['externalName'] === undefined ? ['spec'] : ['spec', 'externalName'],
      'externalName is required for an ExternalName service: give the DNS name it aliases.',
      { code: 'missing-required', part: spec['externalName'] === undefined ? 'key' : 'value' },
    );
    return;
  }
  const problem = dns1123Subdomain(cname);
  if (problem)
    ctx.report(['spec', 'externalName'], `Invalid value "${name}": a DNS name must ${problem}.`);
}

function checkPorts(ports: unknown[], type: string, ctx: RuleContext): void {
  const names = new Set<string>();
  const pairs = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((entry, index) => {
    const port = record(entry);
    if (!port) return;
    const at: FieldPath = ['spec', 'ports', index];
    const name = plain(port['name']);
    if (
      ctx.whole &&
      ports.length > 1 &&
      (name === undefined || name === '') &&
      port['name'] === undefined
    ) {
      ctx.report(at, 'name is required when a Service has more than one port.', {
        code: 'missing-required',
        part: 'key',
      });
    } else if (ports.length > 1 && name === '') {
      ctx.report([...at, 'name'], 'name is required when a Service has more than one port.', {
        code: 'missing-required',
      });
    } else if (name !== undefined && name !== '') {
      const problem = dns1123Label(name);
      if (problem)
        ctx.report([...at, 'name'], `Invalid value "${name}": a port name must ${problem}.`);
      else if (names.has(name))
        ctx.report([...at, 'name'], `Duplicate value "${name}".`, { code: 'duplicate-list-key' });
      names.add(name);
    }
    checkPortNumber(port['port'], [...at, 'port'], 1, ctx);
    const target = port['targetPort'];
    if (target !== 0 && target !== '') checkPortNumOrName(target, [...at, 'targetPort'], ctx);
    const appProtocol = plain(port['appProtocol']);
    const appProblem = appProtocol === undefined ? undefined : qualifiedName(appProtocol);
    if (appProblem)
      ctx.report([...at, 'appProtocol'], `Invalid value "${appProtocol}": it must ${appProblem}.`);
    const protocol = plain(port['protocol']) ?? 'TCP';
    const pair = `${protocol}/${String(port['port'])}`;
    if (int(port['port']) !== undefined && pairs.has(pair)) {
      ctx.report(at, `Duplicate value: another port already uses ${pair}.`, {
        code: 'duplicate-list-key',
        part: 'key',
      });
    }
    pairs.add(pair);
    const nodePort = int(port['nodePort']);
    if (nodePort === undefined || nodePort === 0) return;
    if (type === 'ClusterIP') {
      ctx.report(
        [...at, 'nodePort'],
        "Forbidden: may not be used when type is 'ClusterIP': remove it or use type NodePort.",
      );
    } else if (nodePort < 30000 || nodePort > 32767) {
      ctx.report(
        [...at, 'nodePort'],
        `Invalid value: ${nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767.`,
      );
    }
    const nodeKey = `${protocol}/${nodePort}`;
    if (nodePorts.has(nodeKey)) {
      ctx.report([...at, 'nodePort'], `Duplicate value: ${nodePort}.`, {
        code: 'duplicate-list-key',
      });
    }
    nodePorts.add(nodeKey);
  });
}

function checkAffinity(spec: Record<string, unknown>, ctx: RuleContext): void {
  // sessionAffinityConfig beside sessionAffinity None is dropped, not refused.
  const affinity = plain(spec['sessionAffinity']) ?? 'None';
  const config = record(spec['sessionAffinityConfig']);
  const timeout = int32(record(config?.['clientIP'])?.['timeoutSeconds']);
  if (
    affinity === 'ClientIP' &&
    timeout !== undefined &&
    (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)
  ) {
    ctx.report(
      ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'],
      `Invalid value: ${timeout}: must be greater than 0 and at most ${MAX_AFFINITY_SECONDS}.`,
    );
  }
}

function checkAddresses(spec: Record<string, unknown>, type: string, ctx: RuleContext): void {
  const clusterIP = plain(spec['clusterIP']);
  if (
    clusterIP !== undefined &&
    clusterIP !== '' &&
    clusterIP !== 'None' &&
    !isValidIp(clusterIP)
  ) {
    ctx.report(
      ['spec', 'clusterIP'],
      `Invalid value "${clusterIP}": must be empty, 'None', or a valid IP address: ${IP_HINT}.`,
    );
  }
  list(spec['clusterIPs']).forEach((entry, index) => {
    const ip = plain(entry);
    if (ip !== undefined && ip !== 'None' && !isValidIp(ip)) {
      ctx.report(
        ['spec', 'clusterIPs', index],
        `Invalid value "${ip}": must be a valid IP address: ${IP_HINT}.`,
      );
    }
  });
  list(spec['externalIPs']).forEach((entry, index) => {
    const ip = plain(entry);
    if (ip !== undefined && !isValidIp(ip)) {
      ctx.report(
        ['spec', 'externalIPs', index],
        `Invalid value "${ip}": must be a valid IP address: ${IP_HINT}.`,
      );
    } else if (ip !== undefined && specialIpKind(ip)) {
      ctx.report(
        ['spec', 'externalIPs', index],
        `Invalid value "${ip}": may not be ${specialIpKind(ip) ?? ''}: use an address clients can reach.`,
      );
    }
  });
  const families = list(spec['ipFamilies']).map((family) => plain(family));
  const familyPolicy = plain(spec['ipFamilyPolicy']);
  if (families.length > 2) {
    ctx.report(['spec', 'ipFamilies'], 'Invalid value: may specify at most two IP families.', {
      part: 'key',
    });
  } else if (families.length === 2 && families[0] === families[1]) {
    ctx.report(['spec', 'ipFamilies', 1], `Duplicate value "${families[1] ?? ''}".`, {
      code: 'duplicate-list-key',
    });
  } else if (
    families.length === 2 &&
    (familyPolicy === undefined || familyPolicy === 'SingleStack')
  ) {
    ctx.report(
      ['spec', familyPolicy === undefined ? 'ipFamilies' : 'ipFamilyPolicy'],
      "Invalid value: must be 'RequireDualStack' or 'PreferDualStack' when two IP families are listed.",
      {
        part: familyPolicy === undefined ? 'key' : 'value',
      },
    );
  }
  const ranges = list(spec['loadBalancerSourceRanges']);
  if (ranges.length > 0 && type !== 'LoadBalancer') {
    ctx.report(
      ['spec', 'loadBalancerSourceRanges'],
      "Forbidden: may only be used when type is 'LoadBalancer'.",
      { part: 'key' },
    );
  }
  ranges.forEach((entry, index) => {
    const cidr = plain(entry)?.trim();
    if (cidr !== undefined && !isValidCidr(cidr)) {
      ctx.report(
        ['spec', 'loadBalancerSourceRanges', index],
        `Invalid value "${cidr}": must be a valid CIDR: ${CIDR_HINT}.`,
      );
    }
  });
}

/** Fields that only some Service types take. */
function checkTypeOnlyFields(spec: Record<string, unknown>, type: string, ctx: RuleContext): void {
  const set = (key: string): boolean => spec[key] !== undefined && spec[key] !== null;
  if (set('allocateLoadBalancerNodePorts') && type !== 'LoadBalancer') {
    ctx.report(
      ['spec', 'allocateLoadBalancerNodePorts'],
      "Forbidden: may only be used when type is 'LoadBalancer'.",
      { part: 'key' },
    );
  }
  const lbClass = plain(spec['loadBalancerClass']);
  if (set('loadBalancerClass') && type !== 'LoadBalancer') {
    ctx.report(
      ['spec', 'loadBalancerClass'],
      "Invalid value: may only be used when type is 'LoadBalancer'.",
      { part: 'key' },
    );
  } else if (lbClass !== undefined) {
    const problem = qualifiedName(lbClass);
    if (problem)
      ctx.report(['spec', 'loadBalancerClass'], `Invalid value "${lbClass}": it must ${problem}.`);
  }
  const external =
    type === 'LoadBalancer' || type === 'NodePort' || list(spec['externalIPs']).length > 0;
  const policy = plain(spec['externalTrafficPolicy']);
  if (!external && policy !== undefined && policy !== '') {
    ctx.report(
      ['spec', 'externalTrafficPolicy'],
      `Invalid value "${policy}": may only be set for externally-accessible services (NodePort, LoadBalancer or with externalIPs).`,
    );
  }
  const healthPort = int32(spec['healthCheckNodePort']);
  const needsHealthCheck = type === 'LoadBalancer' && policy === 'Local';
  if (healthPort !== undefined && healthPort !== 0) {
    if (!needsHealthCheck) {
      ctx.report(
        ['spec', 'healthCheckNodePort'],
        `Invalid value: ${healthPort}: may only be set when type is 'LoadBalancer' and externalTrafficPolicy is 'Local'.`,
      );
    } else {
      checkPortNumber(healthPort, ['spec', 'healthCheckNodePort'], 1, ctx);
    }
  }
}
