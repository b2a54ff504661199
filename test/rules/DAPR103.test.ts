// DAPR103 misplaced-scopes: `scopes` under spec or metadata of a Dapr
// resource is ignored by Dapr; the finding points at that `scopes` key.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR103';

describe('DAPR103 misplaced-scopes', () => {
  const fires = scanFixture('rules/DAPR103/fires');
  const results = of(fires, ID);

  it('points at the misplaced scopes key of every Dapr kind', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // Component: under metadata, beside a real top-level list
      { rule: ID, file: 'deploy/pubsub.yaml', line: 8, column: 3 },
      // Component: under spec
      { rule: ID, file: 'deploy/statestore.yaml', line: 12, column: 3 },
      // Subscription: under metadata
      { rule: ID, file: 'deploy/subscription.yaml', line: 6, column: 3 },
      // Resiliency: under spec
      { rule: ID, file: 'production/resiliency.yaml', line: 14, column: 3 },
    ]);
  });

  it('is an error in every environment', () => {
    expect(results.map((r) => [r.level, r.environments])).toEqual([
      ['error', ['unclassified']],
      ['error', ['unclassified']],
      ['error', ['unclassified']],
      ['error', ['production']],
    ]);
  });

  it('says where the key is and what it means for the resource', () => {
    const [pubsub, statestore, subscription, resiliency] = results;
    expect(statestore.message).toBe(
      '"scopes" under spec is ignored by Dapr, so Component "statestore" applies to every app in its namespace. Move scopes to the top level, beside spec.',
    );
    expect(subscription.message).toContain('"scopes" under metadata is ignored by Dapr, so Subscription "orders" applies to every app');
    expect(resiliency.message).toBe(
      '"scopes" under spec is ignored by Dapr, so Resiliency "checkout-resiliency" applies to every app in its namespace. Move scopes to the top level, beside spec. (production)',
    );
    // A real top-level list exists: the resource is scoped, only the misplaced copy is dead.
    expect(pubsub.message).toBe('"scopes" under metadata is ignored by Dapr: only the top-level scopes of Component "pubsub" apply. Merge it into the top-level scopes, beside spec, or remove it.');
  });

  it('does not fire on top-level scopes, a metadata item named "scopes", or non-Dapr kinds', () => {
    const passes = scanFixture('rules/DAPR103/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.instances.map((i) => i.resource.kind).sort()).toEqual(['Component', 'Component', 'OAuthClient', 'Resiliency', 'Subscription']);
  });

  it('offers --fix: move the list, or remove it when the top-level list already covers it', () => {
    expect(results.map((r) => r.fix?.description)).toEqual([
      'Remove the scopes under metadata: the top-level scopes already list every app-id in it',
      'Move scopes from spec to the top level',
      'Move scopes from metadata to the top level',
      'Move scopes from spec to the top level',
    ]);
    // statestore: scopes end spec, so the block is removed and written back at the top level in the same place.
    expect(results[1].fix?.edits.map((e) => [e.region.startLine, e.region.endLine, e.text])).toEqual([
      [12, 15, ''],
      [15, 15, 'scopes:\n  - checkout\n  - orders-worker\n'],
    ]);
  });
});
