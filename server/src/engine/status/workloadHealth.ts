/**
 * Health of workloads as Argo CD and `kubectl rollout status` read them: Deployments,
 * StatefulSets, DaemonSets and ReplicaSets roll out; Pods run, wait or fail.
 */
import type { JsonObject } from '../cluster/liveTypes';
import {
  arr,
  condition,
  generationObserved,
  get,
  num,
  progressing,
  str,
  waitingForController,
} from './objectFields';
import type { Health } from './types';

export function deploymentHealth(object: JsonObject): Health {
  if (get(object, 'spec', 'paused') === true) {
    return { status: 'Suspended', message: 'The rollout is paused.' };
  }
  if (!generationObserved(object, false)) {
    return waitingForController();
  }
  const progressing = condition(object, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: 'The rollout exceeded its progress deadline.' };
  }
  const available = condition(object, 'Available');
  if (available?.status === 'False' && progressing?.status === 'False') {
    return { status: 'Degraded', message: 'The deployment has not enough available replicas.' };
  }
  return replicaRollout(object);
}

/** Desired against updated, total and available replicas, as `kubectl rollout status` reads them. */
function replicaRollout(object: JsonObject): Health {
  const desired = num(get(object, 'spec', 'replicas')) ?? 1;
  const updated = num(get(object, 'status', 'updatedReplicas')) ?? 0;
  const total = num(get(object, 'status', 'replicas')) ?? 0;
  const available = num(get(object, 'status', 'availableReplicas')) ?? 0;
  if (updated < desired) {
    return progressing(`${updated} of ${desired} replicas updated.`);
  }
  if (total > updated) {
    return progressing(`${total - updated} old replicas are pending termination.`);
  }
  if (available < updated) {
    return progressing(`${available} of ${updated} updated replicas available.`);
  }
  return { status: 'Healthy' };
}

export function statefulSetHealth(object: JsonObject): Health {
  if (
    !generationObserved(object, false) ||
    num(get(object, 'status', 'observedGeneration')) === 0
  ) {
    return waitingForController();
  }
  const desired = num(get(object, 'spec', 'replicas')) ?? 1;
  const ready = num(get(object, 'status', 'readyReplicas')) ?? 0;
  if (ready < desired) {
    return progressing(`${ready} of ${desired} replicas ready.`);
  }
  const strategy = str(get(object, 'spec', 'updateStrategy', 'type')) ?? 'RollingUpdate';
  if (strategy === 'OnDelete') {
    return { status: 'Healthy' };
  }
  const partition = num(get(object, 'spec', 'updateStrategy', 'rollingUpdate', 'partition')) ?? 0;
  const updated = num(get(object, 'status', 'updatedReplicas')) ?? 0;
  if (partition > 0) {
    const expected = Math.max(desired - partition, 0);
    return updated < expected
      ? progressing(`${updated} of ${expected} replicas updated.`)
      : { status: 'Healthy' };
  }
  const current = str(get(object, 'status', 'currentRevision'));
  const update = str(get(object, 'status', 'updateRevision'));
  if (update !== undefined && current !== update) {
    return progressing(`${updated} of ${desired} replicas updated.`);
  }
  return { status: 'Healthy' };
}

export function daemonSetHealth(object: JsonObject): Health {
  if (!generationObserved(object, false)) {
    return waitingForController();
  }
  if (str(get(object, 'spec', 'updateStrategy', 'type')) === 'OnDelete') {
    return { status: 'Healthy' };
  }
  const desired = num(get(object, 'status', 'desiredNumberScheduled')) ?? 0;
  const updated = num(get(object, 'status', 'updatedNumberScheduled')) ?? 0;
  const available = num(get(object, 'status', 'numberAvailable')) ?? 0;
  if (updated < desired) {
    return progressing(`${updated} of ${desired} pods updated.`);
  }
  if (available < desired) {
    return progressing(`${available} of ${desired} updated pods available.`);
  }
  return { status: 'Healthy' };
}

export function replicaSetHealth(object: JsonObject): Health {
  if (!generationObserved(object, false)) {
    return waitingForController();
  }
  if (condition(object, 'ReplicaFailure')?.status === 'True') {
    return { status: 'Degraded', message: 'The replica set cannot create its pods.' };
  }
  const desired = num(get(object, 'spec', 'replicas')) ?? 1;
  const available = num(get(object, 'status', 'availableReplicas')) ?? 0;
  return available < desired
    ? progressing(`${available} of ${desired} replicas available.`)
    : { status: 'Healthy' };
}

/** Waiting reasons of a container that will not start by itself: ErrImagePull, CrashLoopBackOff... */
function failingContainerReason(object: JsonObject): string | undefined {
  const statuses = [
    ...arr(get(object, 'status', 'initContainerStatuses')),
    ...arr(get(object, 'status', 'containerStatuses')),
  ];
  for (const status of statuses) {
    const reason = str(get(status, 'state', 'waiting', 'reason'));
    if (reason && (reason.startsWith('Err') || /(Error|BackOff|InvalidImageName)$/.test(reason))) {
      return reason;
    }
  }
  return undefined;
}

export function podHealth(object: JsonObject): Health {
  if (get(object, 'metadata', 'deletionTimestamp') !== undefined) {
    return progressing('The pod is being deleted.');
  }
  const phase = str(get(object, 'status', 'phase'));
  if (phase === 'Succeeded') {
    return { status: 'Healthy', message: 'The pod completed.' };
  }
  if (phase === 'Failed') {
    return { status: 'Degraded', message: 'The pod failed.' };
  }
  const restartAlways = (str(get(object, 'spec', 'restartPolicy')) ?? 'Always') === 'Always';
  const failing = failingContainerReason(object);
  if (failing && (restartAlways || phase === 'Pending')) {
    return { status: 'Degraded', message: `A container cannot start (${failing}).` };
  }
  if (phase === 'Running') {
    if (!restartAlways) {
      return progressing('The pod is running to completion.');
    }
    return condition(object, 'Ready')?.status === 'True'
      ? { status: 'Healthy' }
      : progressing('The pod is running but not ready.');
  }
  if (phase === 'Pending') {
    return progressing('The pod is pending.');
  }
  return { status: 'Unknown', message: 'The pod reports no known phase.' };
}
