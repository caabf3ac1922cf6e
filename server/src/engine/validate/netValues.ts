import { parseIp } from './cel/ipAddress';

/*
 * IP addresses and CIDRs as the API server reads the fields it has always accepted
 * (k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy): IPv4 octets may carry leading zeros,
 * and a CIDR may have host bits set ("10.0.0.1/8").
 */

/** IPv4 octets with their leading zeros removed ("010.0.0.1" -> "10.0.0.1"). */
function unpadded(text: string): string {
  if (!/^[0-9.]+$/.test(text)) return text;
  return text
    .split('.')
    .map((part) => (/^0+\d/.test(part) ? part.replace(/^0+/, '') : part))
    .join('.');
}

export function isValidIp(text: string): boolean {
  return parseIp(unpadded(text)) !== undefined;
}

export function isValidCidr(text: string): boolean {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return false;
  const ip = parseIp(unpadded(text.slice(0, slash)));
  const bits = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  return Number(bits) <= (ip.family === 4 ? 32 : 128);
}

/** Addresses no client can use: unspecified, loopback, link-local (unicast or multicast). */
export function specialIpKind(text: string): string | undefined {
  const ip = parseIp(unpadded(text));
  if (!ip) return undefined;
  const b = ip.bytes;
  const v4 =
    ip.family === 4
      ? b
      : b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff
        ? b.slice(12)
        : undefined;
  if (v4) {
    if (v4.every((x) => x === 0)) return 'unspecified (0.0.0.0)';
    if (v4[0] === 127) return 'in the loopback range (127.0.0.0/8)';
    if (v4[0] === 169 && v4[1] === 254) return 'in the link-local range (169.254.0.0/16)';
    if (v4[0] === 224 && v4[1] === 0 && v4[2] === 0)
      return 'in the link-local multicast range (224.0.0.0/24)';
    return undefined;
  }
  if (b.every((x) => x === 0)) return 'unspecified (::)';
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'the loopback address (::1)';
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 'in the link-local range (fe80::/10)';
  if (b[0] === 0xff && ((b[1] ?? 0) & 0x0f) === 0x02)
    return 'in the link-local multicast range (ff02::/16)';
  return undefined;
}

export const IP_HINT = 'write an IPv4 or IPv6 address such as 10.9.8.7 or 2001:db8::ffff';
export const CIDR_HINT = 'write a CIDR such as 10.0.0.0/16 or 2001:db8::/64';
