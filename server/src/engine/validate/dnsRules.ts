/**
 * The pod's name resolution, as the API server checks it: spec.dnsConfig (nameservers, search
 * domains, options, against dnsPolicy) and spec.hostAliases.
 */
import type { FieldPath } from '../parse/locate';
import { dns1123Subdomain } from './names';
import { IP_HINT, isValidIp } from './netValues';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const SUBDOMAIN_WITH_UNDERSCORE =
  /^[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)*$/;

/** spec.dnsConfig and spec.hostAliases. */
export function checkDns(spec: Record<string, unknown>, path: FieldPath, ctx: RuleContext): void {
  const config = record(spec['dnsConfig']);
  const nameservers = list(config?.['nameservers']);
  if (plain(spec['dnsPolicy']) === 'None') {
    if (!config) {
      ctx.report(
        [...path, 'dnsPolicy'],
        'dnsConfig is required when dnsPolicy is None: give at least one nameserver.',
      );
    } else if (nameservers.length === 0) {
      ctx.report(
        [...path, 'dnsConfig'],
        'nameservers is required when dnsPolicy is None: give at least one.',
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    }
  }
  if (config) {
    const at: FieldPath = [...path, 'dnsConfig'];
    if (nameservers.length > 3) {
      ctx.report(
        [...at, 'nameservers'],
        `Invalid value: ${nameservers.length} nameservers: must not have more than 3.`,
        {
          part: 'key',
        },
      );
    }
    nameservers.forEach((entry, index) => {
      const ip = plain(entry);
      if (ip !== undefined && !isValidIp(ip)) {
        ctx.report(
          [...at, 'nameservers', index],
          `Invalid value "${ip}": must be a valid IP address: ${IP_HINT}.`,
        );
      }
    });
    const searches = list(config['searches']).map((entry) => plain(entry) ?? '');
    if (searches.length > 32) {
      ctx.report([...at, 'searches'], 'Invalid value: must not have more than 32 search paths.', {
        part: 'key',
      });
    }
    if (searches.join(' ').length > 2048) {
      ctx.report(
        [...at, 'searches'],
        'Invalid value: the search paths must not exceed 2048 characters together.',
        { part: 'key' },
      );
    }
    searches.forEach((search, index) => {
      const trimmed = search === '.' ? '.' : search.replace(/\.$/, '');
      if (trimmed !== '.' && (trimmed.length > 253 || !SUBDOMAIN_WITH_UNDERSCORE.test(trimmed))) {
        ctx.report(
          [...at, 'searches', index],
          `Invalid value "${search}": a search domain must be a DNS subdomain (lower case letters, digits, '-', '_' and '.').`,
        );
      }
    });
    list(config['options']).forEach((entry, index) => {
      if (!plain(record(entry)?.['name'])) {
        ctx.report([...at, 'options', index], 'name is required: must not be empty.', {
          code: 'missing-required',
          part: 'key',
        });
      }
    });
  }
  list(spec['hostAliases']).forEach((entry, index) => {
    const alias = record(entry) ?? {};
    const at: FieldPath = [...path, 'hostAliases', index];
    const ip = plain(alias['ip']);
    if (ip !== undefined && !isValidIp(ip)) {
      ctx.report([...at, 'ip'], `Invalid value "${ip}": must be a valid IP address: ${IP_HINT}.`);
    }
    list(alias['hostnames']).forEach((host, hostIndex) => {
      const name = plain(host);
      const problem = name === undefined ? undefined : dns1123Subdomain(name);
      if (problem)
        ctx.report(
          [...at, 'hostnames', hostIndex],
          `Invalid value "${name}": a host name must ${problem}.`,
        );
    });
  });
}
