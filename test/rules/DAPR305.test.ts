// DAPR305 debug-endpoint-enabled: enable-debug / enable-profiling truthy as
// daprd reads it (IsTruthy), self-hosted enableProfiling / --enable-profiling;
// error in production, warning unclassified, note outside production.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR305';

describe('DAPR305 debug-endpoint-enabled', () => {
  const result = scanFixture('rules/DAPR305/fires');
  const found = of(result, ID);

  it('points at each truthy switch', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      // an unquoted `true` is read by its text
      { rule: ID, file: 'apps/workers.yaml', line: 15, column: 35 },
      { rule: ID, file: 'dev/orders.yaml', line: 15, column: 35 },
      // one base reached by a production and a development overlay: one result
      { rule: ID, file: 'kustomize/base/worker.yaml', line: 14, column: 31 },
      // a common enableProfiling: one result for the apps that inherit it (not "ledger", which turns it off)
      { rule: ID, file: 'local/dapr.yaml', line: 3, column: 20 },
      // a bare --enable-profiling inside a string command: the flag itself
      { rule: ID, file: 'local/docker-compose.yml', line: 4, column: 36 },
      { rule: ID, file: 'prod/orders.yaml', line: 15, column: 31 },
      { rule: ID, file: 'prod/orders.yaml', line: 17, column: 35 },
    ]);
  });

  it('uses the level of each environment', () => {
    expect(found.map((r) => r.level)).toEqual(['warning', 'note', 'error', 'note', 'note', 'error', 'error']);
  });

  it('merges a base judged through several overlays, at the highest level, naming every namespace', () => {
    const merged = found[2];
    expect(merged.namespaces).toEqual(['dev', 'prod-shop']);
    expect(merged.environments).toEqual(['non-production', 'production']);
    expect(merged.message).toContain('Deployment "worker" sets dapr.io/enable-debug: "true"');
    expect(merged.message).toContain('Applies to namespace "dev" (non-production), namespace "prod-shop" (production).');
  });

  it('says what is exposed, on which port', () => {
    expect(found[5].message).toBe(
      'Deployment "orders" sets dapr.io/enable-debug: "true": the sidecar runs under a headless Delve debugger that listens on all interfaces (port 40001) without authentication: anyone who can reach the pod can attach, take control of daprd and read its memory (its mTLS key, API token and component secrets). Remove the setting; turn it on only for a short debugging session, outside production. (production)',
    );
    expect(found[6].message).toContain('sets dapr.io/enable-profiling: "on": daprd serves Go pprof without authentication on port 7777');
    expect(found[3].message).toContain('Multi-App Run apps "checkout", "receipts" (through common) set enableProfiling: true');
    expect(found[4].message).toContain('compose service "cart-dapr" sets --enable-profiling: daprd serves Go pprof without authentication on port 7778');
  });
});
