import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './celErrors';

/** A semantic version, as github.com/blang/semver/v4 parses it (the Kubernetes semver library). */
export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
  ) {}
}

const NUMBER = '(0|[1-9]\\d*)';
const PRE = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${PRE}(?:\\.${PRE})*))?(?:\\+(${PRE}(?:\\.${PRE})*))?$`,
);

function normalized(text: string): string {
  let version = text.startsWith('v') ? text.slice(1) : text;
  const core = /^([0-9.]*)(.*)$/.exec(version);
  const parts = (core?.[1] ?? '').split('.').filter((p) => p !== '');
  while (parts.length < 3) parts.push('0');
  version = parts.map((p) => p.replace(/^0+(?=\d)/, '')).join('.') + (core?.[2] ?? '');
  return version;
}

export function parseSemver(text: string, normalize = false): Semver | undefined {
  const match = SEMVER.exec(normalize ? normalized(text) : text);
  if (!match) return undefined;
  const pre = match[4] ? match[4].split('.') : [];
  if (pre.some((p) => /^\d+$/.test(p) && p.length > 1 && p.startsWith('0'))) return undefined;
  return new Semver(BigInt(match[1] ?? 0), BigInt(match[2] ?? 0), BigInt(match[3] ?? 0), pre);
}

function semverOf(text: string, normalize = false): Semver {
  const version = parseSemver(text, normalize);
  if (!version) throw celError(`could not parse ${JSON.stringify(text)} as semver`);
  return version;
}

export function compareSemver(a: Semver, b: Semver): bigint {
  for (const [x, y] of [
    [a.major, b.major],
    [a.minor, b.minor],
    [a.patch, b.patch],
  ] as const) {
    if (x !== y) return x < y ? -1n : 1n;
  }
  if (a.pre.length === 0 || b.pre.length === 0) {
    return a.pre.length === b.pre.length ? 0n : a.pre.length === 0 ? 1n : -1n;
  }
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1n;
    if (y === undefined) return 1n;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && BigInt(x) !== BigInt(y)) return BigInt(x) < BigInt(y) ? -1n : 1n;
    if (xn !== yn) return xn ? -1n : 1n;
    if (x !== y) return x < y ? -1n : 1n;
  }
  return 0n;
}

/** The Kubernetes semver library (version 1, with the normalize option). */
export function registerSemver(env: Environment): void {
  env.registerType('kubernetes.Semver', Semver);
  env.registerFunction('isSemver(string): bool', (t: string) => parseSemver(t) !== undefined);
  env.registerFunction(
    'isSemver(string, bool): bool',
    (t: string, n: boolean) => parseSemver(t, n) !== undefined,
  );
  env.registerFunction('semver(string): kubernetes.Semver', (t: string) => semverOf(t));
  env.registerFunction('semver(string, bool): kubernetes.Semver', (t: string, n: boolean) =>
    semverOf(t, n),
  );
  env.registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major);
  env.registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor);
  env.registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch);
  env.registerFunction(
    'kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool',
    (a: Semver, b: Semver) => compareSemver(a, b) > 0n,
  );
  env.registerFunction(
    'kubernetes.Semver.isLessThan(kubernetes.Semver): bool',
    (a: Semver, b: Semver) => compareSemver(a, b) < 0n,
  );
  env.registerFunction('kubernetes.Semver.compareTo(kubernetes.Semver): int', compareSemver);
  env.registerOperator(
    'kubernetes.Semver == kubernetes.Semver',
    (a: Semver, b: Semver) => compareSemver(a, b) === 0n,
  );
}
