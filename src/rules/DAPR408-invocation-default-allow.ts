// DAPR408 invocation-default-allow: a Configuration that workloads use lets
// any caller invoke them (no access-control list, or a default of allow).
import type { AppInstance, Model } from '../engine/model.js';
import type { NodeRef } from '../engine/resources.js';
import { scalarText } from '../engine/yaml.js';
import { accessControlKey, accessControlOf, type EffectiveDefault, effectiveDefault } from './access-control.js';
import { configuration, daprAnnotations, deployment } from './examples.js';
import { describe, describeApp, resourceAnchor } from './helpers.js';
import type { ConfigurationInstance } from './mtls-state.js';
import type { Rule } from './types.js';

/** Related locations beyond this many users add noise, not information. */
const MAX_RELATED = 10;

function aclConfiguration(accessControl: string[]): string {
  return configuration('orders-config', 'production', accessControl.length ? ['  accessControl:', ...accessControl.map((l) => `    ${l}`)] : ['  tracing:', '    samplingRate: "1"']);
}

const ORDERS = deployment('orders', daprAnnotations('orders', ['dapr.io/config: "orders-config"']), { namespace: 'production' });

/** Every enabled app that loads each Configuration. */
export function usersByConfiguration(model: Model): Map<ConfigurationInstance, AppInstance[]> {
  const out = new Map<ConfigurationInstance, AppInstance[]>();
  for (const app of model.apps) {
    if (!app.app.enabled) continue;
    for (const inst of model.configurationsFor(app)) {
      const list = out.get(inst) ?? [];
      list.push(app);
      out.set(inst, list);
    }
  }
  return out;
}

/** Where an app names its Configuration: the `dapr.io/config` value (or `configFilePath`), else the app itself. */
export function configReference(app: AppInstance): NodeRef {
  return app.app.settings.get('config') ?? app.app.anchor;
}

interface Problem {
  at: NodeRef;
  path: string;
  what: string;
}

function problemOf(inst: ConfigurationInstance, d: EffectiveDefault): Problem | undefined {
  const view = accessControlOf(inst);
  const { pdoc } = inst.resource;
  if (d.kind === 'none') {
    return { at: view ? accessControlKey(view) : resourceAnchor(inst), path: 'spec.accessControl', what: view ? 'has an empty accessControl section, which Dapr treats as no access-control list' : 'has no accessControl' };
  }
  if (d.kind === 'explicit' && d.allow) return { at: { pdoc, node: d.node }, path: 'spec.accessControl.defaultAction', what: `sets accessControl.defaultAction: ${scalarText(d.node, pdoc) ?? 'allow'}` };
  if (d.kind === 'empty-policies') return { at: { pdoc, node: d.node }, path: 'spec.accessControl.policies', what: 'has no accessControl.defaultAction and an empty policies list, which Dapr reads as allow' };
  return undefined;
}

/** `Deployment "a"`, `Deployment "a" and Job "b"`, `A, B, C and 4 more`. */
function usersText(users: AppInstance[]): string {
  const names = [...new Set(users.map((u) => describeApp(u)))];
  if (names.length === 1) return names[0];
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export const rule: Rule = {
  meta: {
    id: 'DAPR408',
    name: 'invocation-default-allow',
    shortDescription: 'A production Configuration used by workloads lets any app invoke them: no accessControl, or defaultAction allow.',
    fullDescription:
      'Reports a Configuration that at least one Dapr workload loads (through `dapr.io/config`, or as a self-hosted config file) whose service-invocation access control allows every caller: no `accessControl` section (or an empty one), `defaultAction: allow` (any case), or no `defaultAction` with `policies: []`. Production only by default. Points at the `defaultAction` value, the empty `policies` list, the empty `accessControl` key, or the Configuration\'s `metadata.name`; the workloads that use it are related locations.',
    levels: { default: 'off', production: 'warning', nonProduction: 'off' },
    securitySeverity: 4.0,
    tags: ['security', 'least-privilege', 'access-control', 'zero-trust'],
    precision: 'high',
    docs: {
      why: 'Without an access-control list, any app in the mesh that can reach these sidecars may invoke every method of every app that uses the Configuration. Deny by default, with one policy per legitimate caller, limits what a compromised neighbour can do.',
      fix: 'Add `spec.accessControl` with `defaultAction: deny`, `trustDomain`, and a policy per caller (`appId`, `namespace`, `trustDomain`, and the operations it may call).',
      incorrect: [{ files: { 'production/orders-config.yaml': aclConfiguration([]), 'production/orders.yaml': ORDERS } }],
      correct: [
        {
          files: {
            'production/orders-config.yaml': aclConfiguration([
              'defaultAction: deny',
              'trustDomain: public',
              'policies:',
              '  - appId: checkout',
              '    defaultAction: allow',
              '    namespace: production',
              '    trustDomain: public',
            ]),
            'production/orders.yaml': ORDERS,
          },
        },
      ],
      notes: [
        'The effective default follows dapr/dapr pkg/acl/acl.go: with no `defaultAction`, `trustDomain` or policies there is no ACL (allow); with no `defaultAction`, a missing or non-empty `policies` means deny, but an explicitly empty `policies: []` means allow. Only the word allow (any case) allows.',
        'A Configuration no workload uses is not reported. A workload without `dapr.io/config` also runs without an ACL, but the catalog judges Configurations, so it is not reported here.',
      ],
    },
  },
  check({ model, report }) {
    for (const [inst, users] of usersByConfiguration(model)) {
      const problem = problemOf(inst, effectiveDefault(accessControlOf(inst)));
      if (!problem) continue;
      report({
        message: `${describe(inst)} ${problem.what}: any app that can reach the sidecars of ${usersText(users)} may invoke every method they serve. Set accessControl.defaultAction: deny and add a policy per caller.`,
        at: problem.at,
        on: inst,
        path: problem.path,
        related: users.slice(0, MAX_RELATED).map((u) => ({ at: configReference(u), label: `${describeApp(u)} uses this Configuration` })),
      });
    }
  },
};
