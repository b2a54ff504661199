// DAPR104 duplicate-component: a pair is reported once, on the later of the
// two Components in (file path, line) order, with the earlier one as related
// location; copies from different kustomization entry points are not a pair.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR104';

describe('DAPR104 duplicate-component', () => {
  const fires = scanFixture('rules/DAPR104/fires');
  const results = of(fires, ID);

  it('reports each pair once, on the later metadata.name', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // two documents of one file: the second one
      { rule: ID, file: 'clusters/shop/pubsub.yaml', line: 18, column: 9 },
      // "clusters/shop/legacy/…" sorts before "clusters/shop/statestore.yaml"
      { rule: ID, file: 'clusters/shop/statestore.yaml', line: 4, column: 9 },
      // base and overlay file reached through the same entry point (kustomize/eu)
      { rule: ID, file: 'kustomize/eu/cache.yaml', line: 4, column: 9 },
    ]);
  });

  it('lists the earlier definition as related location', () => {
    expect(results.map((r) => r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label })))).toEqual([
      [{ file: 'clusters/shop/pubsub.yaml', line: 4, column: 9, label: 'the other definition' }],
      [{ file: 'clusters/shop/legacy/statestore.yaml', line: 4, column: 9, label: 'the other definition' }],
      [{ file: 'kustomize/base/cache.yaml', line: 4, column: 9, label: 'the other definition' }],
    ]);
  });

  it('is an error and names the namespace and the other file', () => {
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error']);
    expect(results.map((r) => r.message)).toEqual([
      'Component "pubsub" is defined twice in namespace "shop" (also clusters/shop/pubsub.yaml:4): only one of them can be loaded.',
      'Component "statestore" is defined twice in namespace "shop" (also clusters/shop/legacy/statestore.yaml:4): only one of them can be loaded.',
      'Component "cache" is defined twice in namespace "payments" (also kustomize/base/cache.yaml:4): only one of them can be loaded.',
    ]);
    expect(results[2].namespaces).toEqual(['payments']);
  });

  it('does not compare across entry points, namespaces, environments, or unplaced sample folders', () => {
    const passes = scanFixture('rules/DAPR104/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // base/cache.yaml really is reached twice, with the same namespace and environment
    const cache = passes.model.ofType('component').filter((c) => c.resource.name === 'cache');
    expect(cache.map((c) => [c.via, c.namespace, c.environment])).toEqual([
      ['overlays/eu/kustomization.yaml', 'shop', 'unclassified'],
      ['overlays/us/kustomization.yaml', 'shop', 'unclassified'],
    ]);
    // the two "shop" statestores differ only by environment
    const shop = passes.model.ofType('component').filter((c) => c.namespace === 'shop' && c.resource.name === 'statestore');
    expect(shop.map((c) => c.environment).sort()).toEqual(['non-production', 'production']);
  });
});
