// DAPR308 duplicate-app-id: a pair is reported once, on the later app-id value
// in (file, line) order, with the earlier as related location. One manifest
// reached through several entry points, two manifests of one object, different
// entry points, namespaces, environments, unplaced sample folders and separate
// self-hosted projects are not pairs.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR308';

describe('DAPR308 duplicate-app-id', () => {
  const fires = scanFixture('rules/DAPR308/fires');
  const found = of(fires, ID);

  it('reports each pair once, on the later app-id value', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      // two documents of one file: the second one
      { rule: ID, file: 'clusters/shop/billing.yaml', line: 33, column: 25 },
      // "orders-worker.yaml" sorts before "orders.yaml"
      { rule: ID, file: 'clusters/shop/orders.yaml', line: 14, column: 25 },
      // base and overlay workload reached through the same entry point (kustomize/eu)
      { rule: ID, file: 'kustomize/eu/api-canary.yaml', line: 13, column: 25 },
      // Multi-App Run apps without appID in folders of one name: the appDirPath value
      { rule: ID, file: 'local/dapr.yaml', line: 4, column: 17 },
      // compose: the --app-id value inside a string command
      { rule: ID, file: 'local/docker-compose.yml', line: 7, column: 31 },
    ]);
    expect(found.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'error']);
  });

  it('lists the earlier workload as related location', () => {
    expect(found.map((r) => r.related.map((l) => `${l.file}:${l.region.startLine}:${l.region.startColumn} ${l.label}`))).toEqual([
      ['clusters/shop/billing.yaml:14:25 the other workload with this app-id'],
      ['clusters/shop/orders-worker.yaml:14:25 the other workload with this app-id'],
      ['kustomize/base/api.yaml:13:25 the other workload with this app-id'],
      ['local/dapr.yaml:3:17 the other workload with this app-id'],
      ['local/docker-compose.yml:4:38 the other workload with this app-id'],
    ]);
  });

  it('names both workloads, the namespace and the fix', () => {
    expect(found[1].message).toBe(
      'App-id "orders" of Deployment "orders" is also run by Deployment "orders-worker" (clusters/shop/orders-worker.yaml:14) in namespace "shop": Dapr cannot tell the two apart, so they share every scope, access-control grant and state key prefix, and calls addressed to the id reach whichever of the two Dapr resolves. Give each its own dapr.io/app-id.',
    );
    expect(found[2].namespaces).toEqual(['payments']);
    expect(found[3].message).toContain('App-id "orders" of the Multi-App Run app in ./node/orders (no appID: the id is its folder name) is also run by the Multi-App Run app in ./python/orders');
    expect(found[3].message).toContain('Give each its own appID.');
    expect(found[4].message).toContain('compose service "cart-v2-dapr" is also run by compose service "cart-dapr"');
    expect(found[4].message).toContain('Give each its own --app-id.');
  });

  it('does not pair a workload with itself, other deployments, namespaces or environments', () => {
    const passes = scanFixture('rules/DAPR308/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // overlays/base/api.yaml really is reached twice, in one namespace and environment
    const api = passes.model.apps.filter((a) => a.app.name === 'api');
    expect(api.map((a) => [a.via, a.namespace, a.environment])).toEqual([
      ['overlays/eu/kustomization.yaml', 'shop', 'unclassified'],
      ['overlays/us/kustomization.yaml', 'shop', 'unclassified'],
    ]);
    // the two "cart" workloads differ only by environment
    const cart = passes.model.apps.filter((a) => a.app.appId?.value === 'cart');
    expect(cart.map((a) => [a.namespace, a.environment]).sort()).toEqual([
      ['shop', 'non-production'],
      ['shop', 'production'],
    ]);
  });
});
