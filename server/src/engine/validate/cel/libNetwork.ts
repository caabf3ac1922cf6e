import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './celErrors';
import { formatIp, isIPv4Mapped, maskBytes, parseIp, sameBytes } from './ipAddress';
import type { IpAddress } from './ipAddress';

/** A value of the Kubernetes `net.IP` type. */
export class CelIp {
  constructor(
    readonly ip: IpAddress,
    readonly text: string,
  ) {}
}

/** A value of the Kubernetes `net.CIDR` type. */
export class CelCidr {
  constructor(
    readonly ip: IpAddress,
    readonly prefix: number,
    readonly text: string,
  ) {}
}

/** The receiver of `ip.isCanonical(s)`. */
export class IpLibrary {}

function ipOf(text: string): CelIp {
  const ip = parseIp(text);
  if (!ip) {
    throw celError(
      `IP Address ${JSON.stringify(text)} parse error during conversion from string: ParseAddr(${JSON.stringify(text)}): unable to parse IP`,
    );
  }
  if (isIPv4Mapped(ip)) {
    throw celError('IPv4-mapped IPv6 address is not allowed');
  }
  return new CelIp(ip, text);
}

function parseCidr(text: string): CelCidr | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d*)$/.test(bits) || isIPv4Mapped(ip)) return undefined;
  const prefix = Number(bits);
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined;
  return new CelCidr(ip, prefix, text);
}

function cidrOf(text: string): CelCidr {
  const cidr = parseCidr(text);
  if (!cidr) {
    throw celError(
      `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): invalid prefix`,
    );
  }
  return cidr;
}

function contains(cidr: CelCidr, ip: IpAddress): boolean {
  return (
    cidr.ip.family === ip.family &&
    sameBytes(maskBytes(cidr.ip.bytes, cidr.prefix), maskBytes(ip.bytes, cidr.prefix))
  );
}

const isLoopback = (ip: IpAddress): boolean =>
  ip.family === 4
    ? ip.bytes[0] === 127
    : ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
const isUnspecified = (ip: IpAddress): boolean => ip.bytes.every((b) => b === 0);
const isLinkLocalMulticast = (ip: IpAddress): boolean =>
  ip.family === 4
    ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0
    : ip.bytes[0] === 0xff && ((ip.bytes[1] ?? 0) & 0x0f) === 0x02;
const isLinkLocalUnicast = (ip: IpAddress): boolean =>
  ip.family === 4
    ? ip.bytes[0] === 169 && ip.bytes[1] === 254
    : ip.bytes[0] === 0xfe && ((ip.bytes[1] ?? 0) & 0xc0) === 0x80;
const isMulticast = (ip: IpAddress): boolean =>
  ip.family === 4 ? ((ip.bytes[0] ?? 0) & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
const isGlobalUnicast = (ip: IpAddress): boolean =>
  !isUnspecified(ip) &&
  !isLoopback(ip) &&
  !isMulticast(ip) &&
  !isLinkLocalUnicast(ip) &&
  !(ip.family === 4 && ip.bytes.every((b) => b === 255));

/** The Kubernetes IP and CIDR libraries. */
export function registerNetwork(env: Environment): void {
  env.registerType('net.IP', CelIp);
  env.registerType('net.CIDR', CelCidr);
  env.registerFunction('isIP(string): bool', (text: string) => {
    const ip = parseIp(text);
    return ip !== undefined && !isIPv4Mapped(ip);
  });
  env.registerFunction('ip(string): net.IP', ipOf);
  // `ip.isCanonical(s)`: CEL reads `ip.` as a call on a value named ip.
  env.registerType('k8s.IpLibrary', IpLibrary);
  env.registerConstant('ip', 'k8s.IpLibrary', new IpLibrary());
  env.registerFunction(
    'k8s.IpLibrary.isCanonical(string): bool',
    (_: IpLibrary, text: string) => formatIp(ipOf(text).ip) === text,
  );
  env.registerFunction('net.IP.family(): int', (ip: CelIp) => BigInt(ip.ip.family));
  env.registerFunction('net.IP.isUnspecified(): bool', (ip: CelIp) => isUnspecified(ip.ip));
  env.registerFunction('net.IP.isLoopback(): bool', (ip: CelIp) => isLoopback(ip.ip));
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: CelIp) =>
    isLinkLocalMulticast(ip.ip),
  );
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: CelIp) =>
    isLinkLocalUnicast(ip.ip),
  );
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (ip: CelIp) => isGlobalUnicast(ip.ip));
  env.registerFunction('string(net.IP): string', (ip: CelIp) => formatIp(ip.ip));
  env.registerOperator('net.IP == net.IP', (a: CelIp, b: CelIp) =>
    sameBytes(a.ip.bytes, b.ip.bytes),
  );

  env.registerFunction('isCIDR(string): bool', (text: string) => parseCidr(text) !== undefined);
  env.registerFunction('cidr(string): net.CIDR', cidrOf);
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CelCidr, ip: CelIp) =>
    contains(c, ip.ip),
  );
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: CelCidr, text: string) =>
    contains(c, ipOf(text).ip),
  );
  env.registerFunction(
    'net.CIDR.containsCIDR(net.CIDR): bool',
    (c: CelCidr, other: CelCidr) => other.prefix >= c.prefix && contains(c, other.ip),
  );
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: CelCidr, text: string) => {
    const other = cidrOf(text);
    return other.prefix >= c.prefix && contains(c, other.ip);
  });
  env.registerFunction('net.CIDR.ip(): net.IP', (c: CelCidr) => new CelIp(c.ip, formatIp(c.ip)));
  env.registerFunction('net.CIDR.masked(): net.CIDR', (c: CelCidr) => {
    const ip: IpAddress = { family: c.ip.family, bytes: maskBytes(c.ip.bytes, c.prefix) };
    return new CelCidr(ip, c.prefix, `${formatIp(ip)}/${c.prefix}`);
  });
  env.registerFunction('net.CIDR.prefixLength(): int', (c: CelCidr) => BigInt(c.prefix));
  env.registerFunction('string(net.CIDR): string', (c: CelCidr) => `${formatIp(c.ip)}/${c.prefix}`);
  env.registerOperator(
    'net.CIDR == net.CIDR',
    (a: CelCidr, b: CelCidr) => a.prefix === b.prefix && sameBytes(a.ip.bytes, b.ip.bytes),
  );
}
