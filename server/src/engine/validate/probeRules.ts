import type { FieldPath } from '../parse/locate';
import { checkPortNumber, checkPortNumOrName } from './containerRules';
import { int, int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
/** RFC 7230 token characters: what an HTTP header name may hold. */
const HEADER_NAME = /^[-!#$%&'*+.^_`|~0-9A-Za-z]+$/;

/** A liveness, readiness or startup probe. */
export function checkProbe(
  probe: Record<string, unknown>,
  kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe',
  path: FieldPath,
  gracePeriod: number,
  ctx: RuleContext,
): void {
  checkHandler(probe, PROBE_HANDLERS, path, gracePeriod, ctx);
  for (const key of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    const value = int32(probe[key]);
    if (value !== undefined && value < 0) {
      ctx.report([...path, key], `Invalid value: ${value}: must be greater than or equal to 0.`);
    }
  }
  const success = int32(probe['successThreshold']);
  // 0 is defaulted to 1 before validation.
  if (kind !== 'readinessProbe' && success !== undefined && success > 1) {
    ctx.report(
      [...path, 'successThreshold'],
      `Invalid value: ${success}: must be 1 for a ${kind === 'livenessProbe' ? 'liveness' : 'startup'} probe.`,
    );
  }
  const grace = probe['terminationGracePeriodSeconds'];
  if (kind === 'readinessProbe' && grace !== undefined && grace !== null) {
    ctx.report(
      [...path, 'terminationGracePeriodSeconds'],
      'Forbidden: must not be set for readiness probes: remove it.',
      { part: 'key' },
    );
  } else if (int(grace) !== undefined && (int(grace) ?? 0) <= 0) {
    ctx.report(
      [...path, 'terminationGracePeriodSeconds'],
      `Invalid value: ${String(grace)}: must be greater than 0.`,
    );
  }
}

/** A container's postStart and preStop hooks. */
export function checkLifecycle(
  lifecycle: Record<string, unknown>,
  path: FieldPath,
  gracePeriod: number,
  ctx: RuleContext,
): void {
  for (const hook of ['postStart', 'preStop']) {
    const handler = record(lifecycle[hook]);
    if (handler) checkHandler(handler, LIFECYCLE_HANDLERS, [...path, hook], gracePeriod, ctx);
  }
}

function checkHandler(
  handler: Record<string, unknown>,
  kinds: readonly string[],
  path: FieldPath,
  gracePeriod: number,
  ctx: RuleContext,
): void {
  const present = kinds.filter((key) => handler[key] !== undefined && handler[key] !== null);
  if (present.length === 0) {
    ctx.report(path, `must specify a handler type: one of ${kinds.join(', ')}.`, {
      code: 'missing-required',
      part: 'key',
    });
    return;
  }
  for (const extra of present.slice(1)) {
    ctx.report(
      [...path, extra],
      `Forbidden: may not specify more than 1 handler type: this one already has ${present[0]}.`,
      {
        part: 'key',
      },
    );
  }
  const kind = present[0] ?? '';
  const action = record(handler[kind]) ?? {};
  const at: FieldPath = [...path, kind];
  switch (kind) {
    case 'exec':
      if (list(action['command']).length === 0) {
        ctx.report(at, 'command is required: give the command to run.', {
          code: 'missing-required',
          part: 'key',
        });
      }
      return;
    case 'httpGet':
      checkPortNumOrName(action['port'], [...at, 'port'], ctx);
      list(action['httpHeaders']).forEach((entry, index) => {
        const name = plain(record(entry)?.['name']);
        if (name !== undefined && !HEADER_NAME.test(name)) {
          ctx.report(
            [...at, 'httpHeaders', index, 'name'],
            `Invalid value "${name}": an HTTP header name may hold letters, digits and !#$%&'*+-.^_\`|~ only.`,
          );
        }
      });
      return;
    case 'tcpSocket':
      checkPortNumOrName(action['port'], [...at, 'port'], ctx);
      return;
    case 'grpc':
      checkPortNumber(action['port'], [...at, 'port'], 1, ctx);
      return;
    case 'sleep': {
      const seconds = int(action['seconds']);
      if (seconds !== undefined && (seconds < 0 || seconds > gracePeriod)) {
        ctx.report(
          [...at, 'seconds'],
          `Invalid value: ${seconds}: must be non-negative and no more than terminationGracePeriodSeconds (${gracePeriod}).`,
        );
      }
      return;
    }
    default:
      return;
  }
}
