// DAPR408 invocation-default-allow: a Configuration that workloads use, in
// production, whose access control lets every caller in (no ACL, an empty
// one, defaultAction allow, or policies: [] without a defaultAction).
import { describe, expect, it } from 'vitest';
import { hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR408';

describe('DAPR408 invocation-default-allow', () => {
  const fires = scanFixture('rules/DAPR408/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at metadata.name, the defaultAction value, the empty policies list, or the empty accessControl key', () => {
    expect(hits(results)).toEqual([
      { rule: ID, file: 'production/configs.yaml', line: 4, column: 9 },
      { rule: ID, file: 'production/configs.yaml', line: 17, column: 20 },
      { rule: ID, file: 'production/configs.yaml', line: 28, column: 15 },
      { rule: ID, file: 'production/configs.yaml', line: 36, column: 3 },
    ]);
    expect(results.every((r) => r.level === 'warning' && r.environments.join() === 'production')).toBe(true);
  });

  it('names the workloads that use the Configuration, and lists their dapr.io/config values as related locations', () => {
    const [orders, cart, web, api] = results;
    expect(orders.message).toBe(
      'Configuration "orders-config" has no accessControl: any app that can reach the sidecars of Deployment "orders" and Deployment "invoices" may invoke every method they serve. Set accessControl.defaultAction: deny and add a policy per caller. (production)',
    );
    expect(orders.related.map((r) => [r.file, r.region.startLine, r.region.startColumn, r.label])).toEqual([
      ['production/apps.yaml', 15, 25, 'Deployment "orders" uses this Configuration'],
      ['production/apps.yaml', 35, 25, 'Deployment "invoices" uses this Configuration'],
    ]);
    expect(cart.message).toContain('Configuration "cart-config" sets accessControl.defaultAction: Allow:');
    expect(web.message).toContain('has no accessControl.defaultAction and an empty policies list, which Dapr reads as allow');
    expect(api.message).toContain('has an empty accessControl section, which Dapr treats as no access-control list');
  });

  it('is off outside production and ignores Configurations no workload uses', () => {
    expect(results.filter((r) => r.location.file.startsWith('staging/'))).toEqual([]);
    expect(results.some((r) => r.message.includes('unused-config'))).toBe(false);
  });

  it('can be turned on for every environment', () => {
    const result = scanFiles(
      {
        'staging/app.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: staging\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: orders\n        dapr.io/config: appconfig\n    spec:\n      containers: [{ name: orders, image: orders }]\n---\napiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\n  namespace: staging\nspec: {}\n',
      },
      { rules: { 'invocation-default-allow': 'warning' } },
    );
    expect(hits(of(result, ID))).toEqual([{ rule: ID, file: 'staging/app.yaml', line: 19, column: 9 }]);
  });

  it('accepts deny by default, written or implied by acl.go', () => {
    const passes = scanFixture('rules/DAPR408/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.apps.map((a) => passes.model.configurationsFor(a).length)).toEqual([1, 1, 1]);
  });
});
