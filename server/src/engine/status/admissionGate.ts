/**
 * Whether admission could change or refuse an update of a resource: a mutating or validating
 * webhook, or an admission policy, whose rules take UPDATE of it. A local prediction of a
 * dry-run holds only where none does; when they cannot be read (forbidden, failed), none holds.
 */
import { ClusterError } from '../cluster/clusterErrors';
import type { ApiDiscovery } from '../cluster/discovery';
import type { KubeApi } from '../cluster/kubeApi';
import { isObject } from '../diff/objects';

/** Re-read after this long, so a webhook installed during a session is seen. */
const FRESH_MS = 30_000;

const GROUP = 'admissionregistration.k8s.io';
/** Each kind that may act on an update, with the versions it may be served as. */
const ADMISSION_KINDS: ReadonlyArray<{ kind: string; versions: readonly string[] }> = [
  { kind: 'MutatingWebhookConfiguration', versions: ['v1'] },
  { kind: 'ValidatingWebhookConfiguration', versions: ['v1'] },
  { kind: 'ValidatingAdmissionPolicy', versions: ['v1', 'v1beta1'] },
  { kind: 'MutatingAdmissionPolicy', versions: ['v1', 'v1beta1', 'v1alpha1'] },
];

/** The resources (plural names) some admission rule takes UPDATE of; '*' for all. */
type Watched = ReadonlySet<string>;

export class AdmissionGate {
  private read: { at: number; watched: Promise<Watched | undefined> } | undefined;

  constructor(
    private readonly api: KubeApi,
    private readonly discovery: ApiDiscovery,
  ) {}

  /**
   * True when no admission rule of the cluster takes an UPDATE of `resource` (a plural name,
   * any group and version: a rule's group and version are not compared, so an equivalent one
   * counts too). False when the rules cannot be read.
   */
  async quietFor(resource: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.read || performance.now() - this.read.at > FRESH_MS) {
      this.read = { at: performance.now(), watched: this.readRules(signal) };
    }
    const watched = await this.read.watched;
    return watched !== undefined && !watched.has('*') && !watched.has(resource);
  }

  private async readRules(signal?: AbortSignal): Promise<Watched | undefined> {
    try {
      const lists = await Promise.all(
        ADMISSION_KINDS.map(async ({ kind, versions }) => {
          for (const version of versions) {
            const resource = await this.discovery.resourceFor(`${GROUP}/${version}`, kind, signal);
            if (resource) {
              return this.api.getJson(
                this.discovery.path(resource),
                `list ${resource.resource}`,
                signal,
              );
            }
          }
          return { items: [] };
        }),
      );
      const watched = new Set<string>();
      for (const list of lists) {
        const items = isObject(list) && Array.isArray(list.items) ? list.items : undefined;
        if (!items) return undefined;
        items.forEach((item) => rulesOf(item).forEach((rule) => addRule(rule, watched)));
      }
      return watched;
    } catch (error) {
      if (error instanceof ClusterError) return undefined;
      throw error;
    }
  }
}

/** The rules of a webhook configuration (each webhook's) or a policy (its matchConstraints). */
function rulesOf(item: unknown): unknown[] {
  if (!isObject(item)) return [];
  const rules: unknown[] = [];
  if (Array.isArray(item.webhooks)) {
    for (const webhook of item.webhooks) {
      // A webhook with no rules takes nothing; one we cannot read takes everything.
      if (!isObject(webhook)) rules.push(undefined);
      else if (Array.isArray(webhook.rules)) rules.push(...(webhook.rules as unknown[]));
    }
  }
  const spec = isObject(item.spec) ? item.spec : undefined;
  if (spec) {
    const constraints = isObject(spec.matchConstraints) ? spec.matchConstraints : undefined;
    if (constraints && Array.isArray(constraints.resourceRules)) {
      rules.push(...(constraints.resourceRules as unknown[]));
    } else {
      rules.push(undefined);
    }
  }
  return rules;
}

function addRule(rule: unknown, watched: Set<string>): void {
  if (!isObject(rule) || !Array.isArray(rule.operations) || !Array.isArray(rule.resources)) {
    watched.add('*');
    return;
  }
  if (!rule.operations.some((operation) => operation === 'UPDATE' || operation === '*')) return;
  for (const resource of rule.resources) {
    const main = typeof resource === 'string' ? resource.split('/')[0] : '*';
    // `deployments/scale` acts on the subresource only; `*/*` and `deployments/*` on all.
    if (typeof resource === 'string' && resource.includes('/') && !resource.endsWith('/*')) {
      continue;
    }
    watched.add(main === undefined || main === '' ? '*' : main);
  }
}
