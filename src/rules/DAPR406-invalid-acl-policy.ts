// DAPR406 invalid-acl-policy: an access-control policy daprd refuses (a
// missing appId, namespace or trustDomain makes the whole ACL invalid and the
// sidecar does not start), or an action that is neither allow nor deny.
import type { NodeRef } from '../engine/resources.js';
import { asMap, child, type ParsedDoc, scalarText, seqItems, type YNode } from '../engine/yaml.js';
import { accessControlOf } from './access-control.js';
import { isTemplated } from './app-references.js';
import { configuration } from './examples.js';
import { describe } from './helpers.js';
import type { ConfigurationInstance } from './mtls-state.js';
import type { LevelTable, ReportInput, Rule } from './types.js';

const REQUIRED = ['appId', 'namespace', 'trustDomain'] as const;

/** daprd accepts any action and denies on anything but "allow": a typo fails closed, so it is a warning, not a rejected ACL. */
export const UNKNOWN_ACTION_LEVELS: LevelTable = { default: 'warning' };

type Report = (r: ReportInput) => void;

function aclConfiguration(policy: string[]): string {
  return configuration('orders-config', 'shop', ['  accessControl:', '    defaultAction: deny', '    trustDomain: public', '    policies:', ...policy.map((l) => `      ${l}`)]);
}

interface PolicyContext {
  inst: ConfigurationInstance;
  pdoc: ParsedDoc;
  index: number;
  node: YNode;
  appId?: string;
}

/** `access-control policy 2 ("checkout")`: position and caller, for messages. */
function policyLabel(p: PolicyContext): string {
  return `access-control policy ${p.index + 1}${p.appId ? ` ("${p.appId}")` : ''}`;
}

function policyName(p: PolicyContext): string {
  return `A${policyLabel(p).slice(1)} of ${describe(p.inst)}`;
}

/** Fields that are absent (one finding at the policy) or present but empty (one finding at each value). */
function checkRequired(p: PolicyContext, report: Report): void {
  const absent: string[] = [];
  for (const field of REQUIRED) {
    const node = child(p.node, field, p.pdoc);
    const value = scalarText(node, p.pdoc);
    if (node === undefined || node === null) absent.push(field);
    else if (value !== undefined && value.trim() === '') {
      report({
        message: `${policyName(p)} has an empty ${field}: daprd rejects the whole access-control list and the sidecar does not start. Set ${field}${hint(field)}.`,
        at: { pdoc: p.pdoc, node },
        on: p.inst,
        path: `spec.accessControl.policies[${p.index}].${field}`,
      });
    }
  }
  if (absent.length === 0) return;
  report({
    message: `${policyName(p)} lacks ${listing(absent)}: daprd rejects the whole access-control list and the sidecar does not start. Set ${listing(absent.map((f) => f + hint(f)))}.`,
    at: { pdoc: p.pdoc, node: p.node },
    on: p.inst,
    path: `spec.accessControl.policies[${p.index}]`,
  });
}

/** `a`, `a and b`, `a, b and c`. */
function listing(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function hint(field: string): string {
  if (field === 'namespace') return ' (the caller\'s namespace)';
  if (field === 'trustDomain') return ' (the caller\'s trust domain: "public" unless its Configuration sets accessControl.trustDomain)';
  return ' (the caller\'s app-id)';
}

function checkAction(inst: ConfigurationInstance, at: NodeRef, what: string, path: string, report: Report): void {
  const value = scalarText(at.node, at.pdoc);
  if (value === undefined || value === '' || isTemplated(value)) return;
  const lower = value.toLowerCase();
  if (lower === 'allow' || lower === 'deny') return;
  report({
    message: `${what} of ${describe(inst)} is "${value}", neither allow nor deny: daprd does not reject it but treats every action other than "allow" as deny, so this silently denies. Write allow or deny.`,
    at,
    on: inst,
    path,
    levels: UNKNOWN_ACTION_LEVELS,
    securitySeverity: 3.0,
  });
}

function checkOperations(p: PolicyContext, report: Report): void {
  seqItems(child(p.node, 'operations', p.pdoc), p.pdoc).forEach((op, j) => {
    const node = child(op, 'action', p.pdoc);
    if (node === undefined || node === null) return; // the CRD requires it: DAPR002's finding
    const name = scalarText(child(op, 'name', p.pdoc), p.pdoc);
    checkAction(p.inst, { pdoc: p.pdoc, node }, `The action of operation ${name ? `"${name}"` : j + 1} in ${policyLabel(p)}`, `spec.accessControl.policies[${p.index}].operations[${j}].action`, report);
  });
}

function checkConfiguration(inst: ConfigurationInstance, report: Report): void {
  const view = accessControlOf(inst);
  if (!view) return;
  const { pdoc } = view;
  const top = child(view.pair.value, 'defaultAction', pdoc);
  if (top !== undefined && top !== null) checkAction(inst, { pdoc, node: top }, 'The accessControl.defaultAction', 'spec.accessControl.defaultAction', report);
  view.policies.forEach((node, index) => {
    if (!asMap(node, pdoc)) return; // not a policy object: DAPR002's finding
    const appId = scalarText(child(node, 'appId', pdoc), pdoc);
    const p: PolicyContext = { inst, pdoc, index, node, ...(appId ? { appId } : {}) };
    checkRequired(p, report);
    const da = child(node, 'defaultAction', pdoc);
    if (da !== undefined && da !== null) checkAction(inst, { pdoc, node: da }, `The defaultAction of ${policyLabel(p)}`, `spec.accessControl.policies[${index}].defaultAction`, report);
    checkOperations(p, report);
  });
}

export const rule: Rule = {
  meta: {
    id: 'DAPR406',
    name: 'invalid-acl-policy',
    shortDescription: 'An access-control policy lacks appId, namespace or trustDomain (daprd rejects the ACL), or an action is neither allow nor deny.',
    fullDescription:
      'Reports an `accessControl.policies[]` entry with no (or an empty) `appId`, `namespace` or `trustDomain`: daprd rejects the whole access-control list and the sidecar fails to start. Also reports a `defaultAction` (global or per policy) or an operation `action` that is neither `allow` nor `deny` (compared case-insensitively): daprd accepts it and treats it as deny, so this variant is a warning. Points at the policy entry (missing fields), the empty value, or the action value.',
    levels: { default: 'error' },
    securitySeverity: 5.0,
    tags: ['security', 'access-control', 'correctness'],
    precision: 'very-high',
    docs: {
      why: 'A single incomplete policy makes `acl.ParseAccessControlSpec` return an error, and daprd exits at start-up: every app that uses the Configuration goes down on the next rollout. An action such as `allowed` or `permit` is not rejected, but daprd grants access only for the exact word allow (any case), so the author\'s "allow" silently denies.',
      fix: 'Give every policy `appId` (the caller), `namespace` (the caller\'s namespace) and `trustDomain` (the caller\'s, `public` by default). Write actions as `allow` or `deny`.',
      incorrect: [{ files: { 'production/orders-config.yaml': aclConfiguration(['- appId: checkout', '  defaultAction: allow', '  namespace: shop']) } }],
      correct: [{ files: { 'production/orders-config.yaml': aclConfiguration(['- appId: checkout', '  defaultAction: allow', '  namespace: shop', '  trustDomain: public']) } }],
      notes: [
        'The catalog says an action that is neither allow nor deny makes daprd reject the ACL. dapr/dapr pkg/acl/acl.go does not validate actions: `isActionAllowed` is `strings.EqualFold(action, "allow")`, so any other value denies. Such values are therefore reported as a variant at warning in every environment (security-severity 3.0), with a message that says they deny, not that the ACL is rejected.',
        'A missing `appId` also stops daprd (acl.go sets `invalidAppName`), as the catalog says. A missing operation `action` or `name` is left to DAPR002 (the CRD requires both).',
        'Values built by Helm templates are not judged.',
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.ofType('configuration')) checkConfiguration(inst, report);
  },
};
