// DAPR405 acl-without-mtls: per-app access-control policies while an
// authoritative source of the same environment disables mTLS (or, self-hosted,
// while the daprd that loads the file runs without mTLS).
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR405';

describe('DAPR405 acl-without-mtls', () => {
  const fires = scanFixture('rules/DAPR405/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the accessControl key', () => {
    expect(hits(results)).toEqual([
      { rule: ID, file: 'compose/dapr/config.yaml', line: 8, column: 3 },
      { rule: ID, file: 'local/config.yaml', line: 6, column: 3 },
      { rule: ID, file: 'production/shop/orders-config.yaml', line: 7, column: 3 },
      { rule: ID, file: 'staging/shop/config.yaml', line: 7, column: 3 },
    ]);
    expect(results.map((r) => [r.level, r.environments[0]])).toEqual([
      ['warning', 'unclassified'],
      ['warning', 'non-production'],
      ['error', 'production'],
      ['warning', 'non-production'],
    ]);
  });

  it('names the source that disables mTLS, of the same environment only, as a related location', () => {
    const [, , prod, staging] = results;
    expect(prod.message).toBe(
      'Configuration "orders-config" defines 2 access-control policies, but mTLS is disabled for the cluster by Configuration "daprsystem" in namespace "dapr-system" (production/dapr-system/daprsystem.yaml): without a client certificate no caller has an identity, so none of the policies can match and every call gets the global default action (deny). Re-enable mTLS, or do not rely on these policies. (production)',
    );
    expect(prod.related).toEqual([
      { file: 'production/dapr-system/daprsystem.yaml', region: { startLine: 8, startColumn: 14, endLine: 8, endColumn: 19 }, label: 'mTLS is disabled here: Configuration "daprsystem" in namespace "dapr-system"' },
    ]);
    // the staging Helm values disable mTLS for the staging Configuration, not for production
    expect(staging.message).toContain('mTLS is disabled for the cluster by charts/platform/values-staging.yaml of chart "platform", which depends on dapr:');
    expect(staging.related.map((r) => `${r.file}:${r.region.startLine}:${r.region.startColumn}`)).toEqual(['charts/platform/values-staging.yaml:4:16']);
  });

  it('judges a self-hosted config file by the daprd processes that load it', () => {
    const [compose, local] = results;
    // a compose daprd needs its own --enable-mtls; the file's spec.mtls does nothing for it
    expect(compose.message).toContain('but compose service "orders-dapr" loads it without mTLS');
    expect(compose.related.map((r) => [r.file, r.region.startLine, r.label])).toEqual([['compose/docker-compose.yml', 4, 'compose service "orders-dapr" runs without mTLS']]);
    expect(local.message).toContain('but Multi-App Run app "orders" loads it without mTLS');
    expect(local.related.map((r) => [r.file, r.region.startLine, r.region.startColumn])).toEqual([['local/dapr.yaml', 3, 12]]);
  });

  it('is silent with mTLS on, with a development source and a production ACL, and with only a defaultAction', () => {
    const passes = scanFixture('rules/DAPR405/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the development values do disable mTLS (DAPR401 says so), just not for production
    expect(hits(of(passes, 'DAPR401'))).toEqual([{ rule: 'DAPR401', file: 'charts/platform/values-dev.yaml', line: 5, column: 16 }]);
    expect(passes.model.ofType('configuration').length).toBe(4);
  });
});
