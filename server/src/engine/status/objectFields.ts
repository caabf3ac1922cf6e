/** Reading fields of live objects (plain JSON) without trusting their shape. */
import type { JsonObject } from '../cluster/liveTypes';
import { isObject } from '../diff/objects';
import type { Health } from './types';

export interface Condition {
  readonly type: string;
  readonly status?: string;
  readonly reason?: string;
}

export function condition(object: JsonObject, type: string): Condition | undefined {
  const found = arr(get(object, 'status', 'conditions')).find((c) => c['type'] === type);
  if (!found) {
    return undefined;
  }
  const status = str(found['status']);
  const reason = str(found['reason']);
  return { type, ...(status ? { status } : {}), ...(reason ? { reason } : {}) };
}

/**
 * True unless status.observedGeneration says the controller has not seen the latest spec. Built-in
 * controllers always write it, so for them a missing one means "not seen yet" (`missingIsSeen`
 * false); objects of other controllers may never have one.
 */
export function generationObserved(object: JsonObject, missingIsSeen = true): boolean {
  const generation = num(get(object, 'metadata', 'generation'));
  const observed = num(get(object, 'status', 'observedGeneration'));
  if (generation === undefined) {
    return true;
  }
  return observed === undefined ? missingIsSeen : observed >= generation;
}

export function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

export function arr(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function waitingForController(): Health {
  return progressing('Waiting for the controller to observe the latest change.');
}

export function progressing(message: string): Health {
  return { status: 'Progressing', message };
}
