// DAPR307 missing-app-id: Dapr-enabled Kubernetes workloads without an app-id
// (or with an empty one); Multi-App Run apps without appID are not reported.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR307';

describe('DAPR307 missing-app-id', () => {
  const result = scanFixture('rules/DAPR307/fires');
  const found = of(result, ID);

  it('points at the annotations key, or at an empty value', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      { rule: ID, file: 'deploy/workloads.yaml', line: 12, column: 7 },
      { rule: ID, file: 'deploy/workloads.yaml', line: 33, column: 7 },
      // dapr.io/app-id: "" on a bare Pod: the value
      { rule: ID, file: 'deploy/workloads.yaml', line: 48, column: 21 },
    ]);
    expect(found.map((r) => r.level)).toEqual(['warning', 'warning', 'warning']);
  });

  it('says what the id falls back to for each kind and how to fix it', () => {
    expect(found[0].message).toBe(
      'Deployment "orders" enables Dapr but has no dapr.io/app-id: the injector uses each pod\'s generated name (such as "orders-7d4b9c-x2x8q"), a different app-id for every replica and every rollout, so component scopes, access-control policies and service invocation cannot address it. Add dapr.io/app-id: "orders" (or another stable name).',
    );
    expect(found[1].message).toContain('dapr.io/id is the pre-1.0 name, which the injector ignores');
    expect(found[1].message).toContain('("ledger-0", "ledger-1", …)');
    expect(found[1].message).toContain('Rename dapr.io/id to dapr.io/app-id (value "ledger").');
    expect(found[2].message).toContain('Pod "debug-shell" enables Dapr but sets dapr.io/app-id to an empty string');
  });

  it('does not report Multi-App Run apps without appID', () => {
    const mar = result.model.apps.filter((a) => a.app.source === 'multi-app-run');
    expect(mar.map((a) => a.app.appId?.value)).toEqual(['checkout']);
    expect(found.some((r) => r.location.file === 'local/dapr.yaml')).toBe(false);
  });
});
