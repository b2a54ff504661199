// DAPR105 subscription-unreachable: a Subscription whose pub/sub component is missing or scoped away.
import { isPubSubType } from '../knowledge/component-types.js';
import { component, docs } from './examples.js';
import { describeNamespace, quoteList, resourceAnchor } from './helpers.js';
import type { Rule } from './types.js';

const subscription = (pubsub: string, scopes: string[]): string =>
  ['apiVersion: dapr.io/v2alpha1', 'kind: Subscription', 'metadata:', '  name: orders', 'spec:', '  topic: orders', `  pubsubname: ${pubsub}`, '  routes:', '    default: /orders', `scopes: [${scopes.join(', ')}]`, ''].join('\n');

export const rule: Rule = {
  meta: {
    id: 'DAPR105',
    name: 'subscription-unreachable',
    shortDescription: 'A Subscription names a pub/sub component that does not exist, or that none of its apps may load.',
    fullDescription:
      'Reports a Subscription whose `spec.pubsubname` names no pub/sub Component in its namespace, or names one whose `scopes` exclude every app the Subscription is scoped to: Dapr only accepts a subscription for an app that can load its pub/sub component, so it can never deliver. Only judged in namespaces where the repository defines at least one Component (otherwise the components live elsewhere).',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['correctness', 'pubsub', 'scopes'],
    precision: 'high',
    docs: {
      why: 'Events that are never delivered are silent data loss. A common cause is tightening a pub/sub component\'s scopes without updating the subscriptions that depend on it.',
      fix: 'Point `pubsubname` at an existing pub/sub component, or add the subscribing app-ids to that component\'s `scopes`.',
      incorrect: [
        {
          files: {
            'deploy/pubsub.yaml': docs(component('pubsub', 'pubsub.redis', { tail: ['scopes: [checkout]'] }), subscription('pubsub', ['orders-worker'])),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/pubsub.yaml': docs(component('pubsub', 'pubsub.redis', { tail: ['scopes: [checkout, orders-worker]'] }), subscription('pubsub', ['orders-worker'])),
          },
        },
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.ofType('subscription')) {
      const sub = inst.resource;
      const components = model.components(inst.namespace);
      if (components.length === 0 || !sub.pubsubname) continue;
      const name = sub.pubsubname.value;
      const pubsubs = components.filter((c) => c.resource.name === name && isPubSubType(c.resource.canonicalType));
      const at = sub.pubsubname ?? resourceAnchor(inst);
      if (pubsubs.length === 0) {
        const other = components.find((c) => c.resource.name === name);
        report({
          message: other
            ? `Subscription "${sub.name}" uses "${name}", which is a ${other.resource.specType?.value ?? 'non-pub/sub'} component, not a pub/sub component: it can never deliver.`
            : `Subscription "${sub.name}" uses pub/sub "${name}", which no Component defines in ${describeNamespace(inst.namespace)}: it can never deliver.`,
          at,
          on: inst,
          path: 'spec.pubsubname',
          ...(other ? { related: [{ at: resourceAnchor(other), label: `component "${name}"` }] } : {}),
        });
        continue;
      }
      const subScopes = sub.scopes?.items.map((s) => s.value) ?? [];
      if (subScopes.length === 0) continue;
      const reachable = pubsubs.some((p) => {
        const ps = p.resource.scopes?.items.map((s) => s.value) ?? [];
        return ps.length === 0 || subScopes.some((s) => ps.includes(s));
      });
      if (reachable) continue;
      const ps = pubsubs[0];
      report({
        message: `Subscription "${sub.name}" is scoped to ${quoteList(subScopes)}, but pub/sub "${name}" is scoped to ${quoteList(ps.resource.scopes?.items.map((s) => s.value) ?? [])}: none of the subscribing apps can load it, so it can never deliver.`,
        at,
        on: inst,
        path: 'spec.pubsubname#scopes',
        related: [{ at: ps.resource.scopes ? { pdoc: ps.resource.pdoc, node: ps.resource.scopes.pair.key } : resourceAnchor(ps), label: `scopes of pub/sub "${name}"` }],
      });
    }
  },
};
