// DAPR105 subscription-unreachable: a Subscription whose pubsubname names no
// pub/sub Component in its namespace, or one scoped away from every app the
// Subscription is scoped to. Points at the pubsubname value.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR105';

function related(r: Result): Array<{ file: string; line: number; column: number; label?: string }> {
  return r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
}

describe('DAPR105 subscription-unreachable', () => {
  const fires = scanFixture('rules/DAPR105/fires');
  const results = of(fires, ID);

  it('points at the pubsubname value', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // scoped away: pub/sub "pubsub" is scoped to checkout only
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 8, column: 15 },
      // missing: no "payments-pubsub" in namespace shop (v1alpha1 Subscription)
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 23, column: 15 },
      // "orders-store" exists but is a state store
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 33, column: 15 },
    ]);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error']);
  });

  it('tells a scoped-away pub/sub from a missing one', () => {
    const [scopedAway, missing, notPubSub] = results;
    expect(scopedAway.message).toBe(
      'Subscription "orders" is scoped to "orders-worker", "shipping", but pub/sub "pubsub" is scoped to "checkout": none of the subscribing apps can load it, so it can never deliver.',
    );
    expect(related(scopedAway)).toEqual([{ file: 'deploy/components.yaml', line: 13, column: 1, label: 'scopes of pub/sub "pubsub"' }]);

    expect(missing.message).toBe('Subscription "payments" uses pub/sub "payments-pubsub", which no Component defines in namespace "shop": it can never deliver.');
    expect(related(missing)).toEqual([]);

    expect(notPubSub.message).toBe('Subscription "audit" uses "orders-store", which is a state.redis component, not a pub/sub component: it can never deliver.');
    expect(related(notPubSub)).toEqual([{ file: 'deploy/components.yaml', line: 19, column: 9, label: 'component "orders-store"' }]);
  });

  it('does not fire on reachable subscriptions, or where the repository defines no Component', () => {
    const passes = scanFixture('rules/DAPR105/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('subscription').map((s) => s.resource.name).sort()).toEqual(['audit', 'orders', 'refunds', 'settlements']);
  });
});
