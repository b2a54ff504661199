// DAPR309 configuration-not-found: dapr.io/config must name a Configuration of
// the pod's namespace (judged where the repo defines Dapr resources); a
// self-hosted config file must exist where dapr run / daprd look for it.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR309';

describe('DAPR309 configuration-not-found', () => {
  const fires = scanFixture('rules/DAPR309/fires');
  const found = of(fires, ID);

  it('points at the value that names the missing Configuration or file', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      { rule: ID, file: 'deploy/shop/search.yaml', line: 15, column: 25 },
      { rule: ID, file: 'deploy/shop/task-api.yaml', line: 15, column: 25 },
      // common configFilePath, inherited by ledger and stock (audit has its own .dapr/config.yaml)
      { rule: ID, file: 'local/dapr.yaml', line: 3, column: 19 },
      // an app's own configFilePath is relative to its appDirPath: local/billing/config.yaml
      { rule: ID, file: 'local/dapr.yaml', line: 10, column: 21 },
      // compose --config mapped into the repository by ./dapr:/dapr
      { rule: ID, file: 'local/docker-compose.yml', line: 4, column: 58 },
    ]);
    expect(found.every((r) => r.level === 'error')).toBe(true);
  });

  it('suggests the nearest name and names namespaces that have it', () => {
    expect(found[1].message).toBe(
      'Deployment "task-api" sets dapr.io/config: "app-config", but the repository defines no Configuration "app-config" in namespace "shop" (it has "appconfig"): daprd fails to start ("error loading configuration"). Did you mean "appconfig"? Fix the name or add the Configuration to namespace "shop".',
    );
    expect(found[0].message).toContain('"tracing" exists in namespace "default"; a sidecar loads its Configuration from its own namespace.');
    expect(found[0].related.map((l) => `${l.file}:${l.region.startLine}:${l.region.startColumn} ${l.label}`)).toEqual([
      'deploy/default/tracing.yaml:4:9 Configuration "tracing" in namespace "default"',
    ]);
  });

  it('resolves self-hosted paths as dapr run and compose do', () => {
    expect(found[2].message).toContain('The common configFilePath: ./missing-common.yaml (used by Multi-App Run apps "ledger", "stock") points at local/missing-common.yaml');
    expect(found[3].message).toContain('Multi-App Run app "billing" sets configFilePath: ./config.yaml, which points at local/billing/config.yaml (relative to the app\'s appDirPath');
    expect(found[3].message).toContain('dapr run -f refuses to start');
    expect(found[4].message).toContain('compose service "cart-dapr" sets --config=/dapr/config.yaml, which points at local/dapr/config.yaml');
    // "orders" uses ../config.yaml from ./orders: local/config.yaml, which exists
    expect(found.some((r) => r.message.includes('"orders"'))).toBe(false);
  });

  it('does not judge namespaces without Dapr resources, paths outside the repository, or templated names', () => {
    const passes = scanFixture('rules/DAPR309/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the overlay put both the Deployment and its Configuration in "payments"
    expect(passes.model.apps.find((a) => a.app.name === 'pay')?.namespace).toBe('payments');
  });
});
