import type { FieldPath } from '../parse/locate';
import { checkLabelSelector } from './labelSelectorRules';
import { dns1123Subdomain, pathSegmentName } from './names';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Role, ClusterRole, RoleBinding and ClusterRoleBinding (pkg/apis/rbac/validation). */
export function checkRbac(object: Record<string, unknown>, kind: string, ctx: RuleContext): void {
  if (kind === 'Role' || kind === 'ClusterRole') {
    list(object['rules']).forEach((entry, index) => {
      const rule = record(entry);
      if (rule) checkPolicyRule(rule, ['rules', index], kind === 'Role', ctx);
    });
    const aggregation = record(object['aggregationRule']);
    if (kind === 'ClusterRole' && aggregation) {
      const selectors = list(aggregation['clusterRoleSelectors']);
      if (selectors.length === 0) {
        ctx.report(
          ['aggregationRule'],
          'clusterRoleSelectors is required: give at least one when aggregationRule is set.',
          {
            code: 'missing-required',
            part: 'key',
          },
        );
      }
      selectors.forEach((selector, index) =>
        checkLabelSelector(selector, ['aggregationRule', 'clusterRoleSelectors', index], ctx),
      );
    }
  } else if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    checkBinding(object, kind === 'RoleBinding', ctx);
  }
}

function checkPolicyRule(
  rule: Record<string, unknown>,
  at: FieldPath,
  namespaced: boolean,
  ctx: RuleContext,
): void {
  if (list(rule['verbs']).length === 0) {
    ctx.report(at, 'verbs must contain at least one value, such as get, list or watch.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  const urls = list(rule['nonResourceURLs']);
  if (urls.length > 0) {
    if (namespaced) {
      ctx.report(
        [...at, 'nonResourceURLs'],
        'Invalid value: a Role cannot grant non-resource URLs: use a ClusterRole.',
        { part: 'key' },
      );
    }
    if (
      list(rule['apiGroups']).length > 0 ||
      list(rule['resources']).length > 0 ||
      list(rule['resourceNames']).length > 0
    ) {
      ctx.report(
        [...at, 'nonResourceURLs'],
        'Invalid value: a rule cannot apply to both resources and non-resource URLs: split it in two.',
        {
          part: 'key',
        },
      );
    }
    return;
  }
  if (list(rule['apiGroups']).length === 0) {
    ctx.report(
      at,
      'apiGroups is required: resource rules need at least one API group ("" for the core group).',
      {
        code: 'missing-required',
        part: 'key',
      },
    );
  }
  if (list(rule['resources']).length === 0) {
    ctx.report(at, 'resources is required: resource rules need at least one resource.', {
      code: 'missing-required',
      part: 'key',
    });
  }
}

function checkBinding(
  object: Record<string, unknown>,
  namespaced: boolean,
  ctx: RuleContext,
): void {
  const roleRef = record(object['roleRef']);
  if (roleRef) {
    const apiGroup = plain(roleRef['apiGroup']) ?? RBAC_GROUP;
    if (apiGroup !== RBAC_GROUP && apiGroup !== '') {
      ctx.report(['roleRef', 'apiGroup'], `Unsupported value "${apiGroup}": use "${RBAC_GROUP}".`);
    }
    const kind = plain(roleRef['kind']);
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (kind !== undefined && !kinds.includes(kind)) {
      ctx.report(
        ['roleRef', 'kind'],
        `Unsupported value "${kind}": use ${kinds.map((k) => `"${k}"`).join(' or ')}.`,
      );
    }
    const name = plain(roleRef['name']);
    if (name === '') {
      ctx.report(['roleRef', 'name'], 'name is required: name the role to bind.', {
        code: 'missing-required',
      });
    } else if (name !== undefined) {
      const problem = pathSegmentName(name);
      if (problem)
        ctx.report(['roleRef', 'name'], `Invalid value "${name}": a role name must ${problem}.`);
    }
  }
  list(object['subjects']).forEach((entry, index) => {
    const subject = record(entry);
    if (subject) checkSubject(subject, ['subjects', index], namespaced, ctx);
  });
}

function checkSubject(
  subject: Record<string, unknown>,
  at: FieldPath,
  namespaced: boolean,
  ctx: RuleContext,
): void {
  const name = plain(subject['name']);
  const kind = plain(subject['kind']);
  const apiGroup = plain(subject['apiGroup']);
  if (name === '') {
    ctx.report([...at, 'name'], 'name is required: name the subject.', {
      code: 'missing-required',
    });
  }
  if (kind === 'ServiceAccount') {
    const problem = name === undefined || name === '' ? undefined : dns1123Subdomain(name);
    if (problem)
      ctx.report(
        [...at, 'name'],
        `Invalid value "${name}": a ServiceAccount name must ${problem}.`,
      );
    if (apiGroup !== undefined && apiGroup !== '') {
      ctx.report(
        [...at, 'apiGroup'],
        `Unsupported value "${apiGroup}": a ServiceAccount subject takes apiGroup "" (or none).`,
      );
    }
    // Kustomize's `namespace:` fills it in for the ServiceAccounts the kustomization holds.
    if (!namespaced && !plain(subject['namespace']) && !ctx.namespaceSetByKustomize) {
      ctx.report(
        at,
        "namespace is required: a ClusterRoleBinding must name the ServiceAccount's namespace.",
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    }
  } else if (kind === 'User' || kind === 'Group') {
    // An empty apiGroup is filled in with rbac.authorization.k8s.io.
    if (apiGroup !== undefined && apiGroup !== '' && apiGroup !== RBAC_GROUP) {
      ctx.report(
        [...at, 'apiGroup'],
        `Unsupported value "${apiGroup}": a ${kind} subject takes apiGroup "${RBAC_GROUP}".`,
      );
    }
  } else if (kind !== undefined) {
    ctx.report(
      [...at, 'kind'],
      `Unsupported value "${kind}": use "ServiceAccount", "User" or "Group".`,
    );
  }
}
