/**
 * Health of one live object, assessed as Argo CD's built-in checks and kstatus do: rollouts of
 * workloads, Pod phases, Jobs, claims, load balancers, autoscalers, Flux and Argo CD objects, and
 * any object with a Ready or Available condition. Messages are short sentences with counts and
 * reasons only: never a name, an image or a data value.
 */
import type { JsonObject } from '../cluster/liveTypes';
import { apiGroup } from '../parse/apiVersion';
import {
  arr,
  condition,
  generationObserved,
  get,
  progressing,
  str,
  waitingForController,
} from './objectFields';
import type { Health, HealthState } from './types';
import {
  daemonSetHealth,
  deploymentHealth,
  podHealth,
  replicaSetHealth,
  statefulSetHealth,
} from './workloadHealth';

type Assess = (object: JsonObject) => Health;

const FLUX_GROUPS = new Set([
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  'source.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io',
]);

const BY_KIND: Readonly<Record<string, Assess>> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  '/Pod': podHealth,
  'batch/Job': jobHealth,
  '/PersistentVolumeClaim': claimHealth,
  '/Service': serviceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'autoscaling/HorizontalPodAutoscaler': autoscalerHealth,
  'argoproj.io/Application': argoApplicationHealth,
};

export function healthOf(object: JsonObject): Health {
  const apiVersion = str(object['apiVersion']) ?? '';
  const group = apiGroup(apiVersion);
  const kind = str(object['kind']) ?? '';
  const assess = BY_KIND[`${group}/${kind}`];
  if (assess) {
    return assess(object);
  }
  if (FLUX_GROUPS.has(group)) {
    return fluxHealth(object);
  }
  return conditionHealth(object);
}

function jobHealth(object: JsonObject): Health {
  if (condition(object, 'Failed')?.status === 'True') {
    return { status: 'Degraded', message: 'The job failed.' };
  }
  if (condition(object, 'Complete')?.status === 'True') {
    return { status: 'Healthy', message: 'The job completed.' };
  }
  if (get(object, 'spec', 'suspend') === true) {
    return { status: 'Suspended', message: 'The job is suspended.' };
  }
  return progressing('The job is running.');
}

function claimHealth(object: JsonObject): Health {
  switch (str(get(object, 'status', 'phase'))) {
    case 'Bound':
      return { status: 'Healthy' };
    case 'Pending':
      return progressing('The claim is waiting for a volume.');
    case 'Lost':
      return { status: 'Degraded', message: 'The claim lost its volume.' };
    default:
      return { status: 'Unknown', message: 'The claim reports no known phase.' };
  }
}

function hasLoadBalancerIngress(object: JsonObject): boolean {
  return arr(get(object, 'status', 'loadBalancer', 'ingress')).some(
    (entry) => str(entry['ip']) !== undefined || str(entry['hostname']) !== undefined,
  );
}

function serviceHealth(object: JsonObject): Health {
  if (str(get(object, 'spec', 'type')) !== 'LoadBalancer' || hasLoadBalancerIngress(object)) {
    return { status: 'Healthy' };
  }
  return progressing('Waiting for the load balancer to get an address.');
}

function ingressHealth(object: JsonObject): Health {
  return hasLoadBalancerIngress(object)
    ? { status: 'Healthy' }
    : progressing('Waiting for the ingress to get an address.');
}

/** Argo CD's autoscaler check: the first condition whose type and reason it knows decides. */
const HPA_DEGRADED = new Set([
  'AbleToScale/FailedGetScale',
  'AbleToScale/FailedUpdateScale',
  'ScalingActive/FailedGetResourceMetric',
  'ScalingActive/InvalidSelector',
]);
const HPA_HEALTHY = new Set([
  'AbleToScale/SucceededRescale',
  'ScalingLimited/DesiredWithinRange',
  'ScalingLimited/TooFewReplicas',
  'ScalingLimited/TooManyReplicas',
]);

function autoscalerHealth(object: JsonObject): Health {
  for (const entry of arr(get(object, 'status', 'conditions'))) {
    const key = `${str(entry['type']) ?? ''}/${str(entry['reason']) ?? ''}`;
    if (HPA_DEGRADED.has(key)) {
      return { status: 'Degraded', message: `The autoscaler cannot scale (${key.split('/')[1]}).` };
    }
    if (HPA_HEALTHY.has(key)) {
      return { status: 'Healthy' };
    }
  }
  return progressing('Waiting to autoscale.');
}

function fluxHealth(object: JsonObject): Health {
  if (get(object, 'spec', 'suspend') === true) {
    return { status: 'Suspended', message: 'Reconciliation is suspended.' };
  }
  const stalled = condition(object, 'Stalled');
  if (stalled?.status === 'True') {
    return { status: 'Degraded', message: sentence('Reconciliation stalled', stalled.reason) };
  }
  const ready = condition(object, 'Ready');
  if (!ready && get(object, 'status', 'observedGeneration') === undefined) {
    // Flux CRDs default observedGeneration to -1: without it the object is static (an OCI
    // HelmRepository, a v1beta3 Alert or Provider) and no controller reconciles it.
    return { status: 'Healthy' };
  }
  if (!generationObserved(object) || !ready) {
    return waitingForController();
  }
  if (condition(object, 'Reconciling')?.status === 'True' || ready.status === 'Unknown') {
    return progressing(sentence('Reconciliation in progress', ready.reason));
  }
  if (ready.status === 'True') {
    return { status: 'Healthy' };
  }
  return { status: 'Degraded', message: sentence('Reconciliation failed', ready.reason) };
}

const HEALTH_STATES = new Set<string>([
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
]);

function argoApplicationHealth(object: JsonObject): Health {
  const status = str(get(object, 'status', 'health', 'status'));
  if (status === undefined || !HEALTH_STATES.has(status)) {
    return { status: 'Unknown', message: 'Argo CD reports no health for this application.' };
  }
  return status === 'Healthy'
    ? { status: 'Healthy' }
    : { status: status as HealthState, message: `Argo CD reports the application ${status}.` };
}

/** kstatus' generic reading: a Ready (or else Available) condition decides, when there is one. */
function conditionHealth(object: JsonObject): Health {
  const decisive = condition(object, 'Ready') ?? condition(object, 'Available');
  if (!decisive) {
    return { status: 'Healthy' };
  }
  if (!generationObserved(object)) {
    return waitingForController();
  }
  switch (decisive.status) {
    case 'True':
      return { status: 'Healthy' };
    case 'False':
      return { status: 'Degraded', message: sentence(`Not ${decisive.type}`, decisive.reason) };
    default:
      return progressing(sentence(`${decisive.type} is not known yet`, decisive.reason));
  }
}

/** "Reconciliation failed (BuildFailed)." Reasons are CamelCase constants, never data. */
function sentence(text: string, reason: string | undefined): string {
  return reason && /^[A-Za-z]+$/.test(reason) ? `${text} (${reason}).` : `${text}.`;
}
