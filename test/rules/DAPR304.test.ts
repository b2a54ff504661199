// DAPR304 api-logging-disabled: off by default, a warning in production. The
// per-sidecar switch (annotation, enableApiLogging, --enable-api-logging) wins
// over the Configuration in both directions; a missing switch points at the
// annotations key (Kubernetes) or the app (self-hosted).
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR304';

describe('DAPR304 api-logging-disabled', () => {
  const result = scanFixture('rules/DAPR304/fires');
  const found = of(result, ID);

  it('reports production sidecars without API logging, and nothing elsewhere', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      // Multi-App Run app without enableApiLogging and without config file: its appID value
      { rule: ID, file: 'local/prod/dapr.yaml', line: 5, column: 12 },
      // enableApiLogging: false
      { rule: ID, file: 'local/prod/dapr.yaml', line: 9, column: 23 },
      // compose daprd without the flag: the service key
      { rule: ID, file: 'local/prod/docker-compose.yml', line: 4, column: 3 },
      // --enable-api-logging=false inside a string command: the value after "="
      { rule: ID, file: 'local/prod/docker-compose.yml', line: 10, column: 61 },
      // explicit "false" overriding a Configuration that enables it: the value
      { rule: ID, file: 'prod/audit.yaml', line: 17, column: 37 },
      // no annotation, no Configuration: the annotations key
      { rule: ID, file: 'prod/orders.yaml', line: 13, column: 7 },
      // a Configuration with apiLogging.enabled: false
      { rule: ID, file: 'prod/payments.yaml', line: 13, column: 7 },
    ]);
    expect(found.every((r) => r.level === 'warning')).toBe(true);
    expect(found.every((r) => r.environments.join() === 'production')).toBe(true);
  });

  it('says what is off and how to turn it on, in the vocabulary of each source', () => {
    const byFile = (f: string, line: number) => found.find((r) => r.location.file === f && r.location.region.startLine === line)?.message ?? '';
    expect(byFile('prod/orders.yaml', 13)).toBe(
      'Deployment "orders" does not log calls to its Dapr API: dapr.io/enable-api-logging is not set and it loads no Configuration (no dapr.io/config), so there is no audit trail of what was done through its sidecar. Add dapr.io/enable-api-logging: "true", or give it a Configuration (dapr.io/config) with spec.logging.apiLogging.enabled: true. (production)',
    );
    expect(byFile('prod/payments.yaml', 13)).toContain('Configuration "tracing" does not set spec.logging.apiLogging.enabled: true');
    expect(byFile('prod/audit.yaml', 17)).toContain('sets dapr.io/enable-api-logging: "false", which turns Dapr API logging off for this sidecar and overrides Configuration "audited", which enables it');
    expect(byFile('local/prod/dapr.yaml', 5)).toContain('enableApiLogging is not set and it names no config file (dapr run then loads ~/.dapr/config.yaml');
    expect(byFile('local/prod/dapr.yaml', 5)).toContain('Add enableApiLogging: true');
    expect(byFile('local/prod/dapr.yaml', 9)).toContain('Multi-App Run app "receipts" sets enableApiLogging: false');
    expect(byFile('local/prod/docker-compose.yml', 4)).toContain('compose service "cart-dapr" does not log calls to its Dapr API: --enable-api-logging is not set and its daprd has no --config');
    expect(byFile('local/prod/docker-compose.yml', 10)).toContain('compose service "wishlist-dapr" sets --enable-api-logging=false');
  });

  it('lists the Configuration it consulted as related location', () => {
    const related = found.map((r) => r.related.map((l) => `${l.file}:${l.region.startLine}:${l.region.startColumn}`));
    expect(related).toEqual([[], [], [], [], ['prod/configurations.yaml:21:16'], [], ['prod/configurations.yaml:11:16']]);
  });

  it('is off outside production unless the config says otherwise', () => {
    // fires/dev/orders.yaml and fires/apps/orders.yaml are copies of prod/orders.yaml: off there
    expect(result.model.apps.filter((a) => a.app.name === 'orders').map((a) => a.environment).sort()).toEqual(['non-production', 'production', 'unclassified']);
    expect(found.some((r) => r.location.file.startsWith('dev/') || r.location.file.startsWith('apps/'))).toBe(false);
    // the same sidecars are judged once the rule is on for every environment
    const allEnvs = scanFixture('rules/DAPR304/all-environments');
    expect(hits(of(allEnvs, ID))).toEqual([
      { rule: ID, file: 'apps/orders.yaml', line: 5, column: 3 },
      { rule: ID, file: 'dev/orders.yaml', line: 5, column: 3 },
    ]);
    expect(of(allEnvs, ID).map((r) => [r.level, r.environments.join()])).toEqual([
      ['note', 'unclassified'],
      ['note', 'non-production'],
    ]);
  });

  it('offers --fix for Kubernetes workloads without the annotation only', () => {
    expect(found.map((r) => [r.location.file, r.fix?.description ?? null])).toEqual([
      ['local/prod/dapr.yaml', null],
      ['local/prod/dapr.yaml', null],
      ['local/prod/docker-compose.yml', null],
      ['local/prod/docker-compose.yml', null],
      ['prod/audit.yaml', null], // an explicit "false"
      ['prod/orders.yaml', 'Add dapr.io/enable-api-logging: "true" to the pod template\'s annotations'],
      ['prod/payments.yaml', 'Add dapr.io/enable-api-logging: "true" to the pod template\'s annotations'],
    ]);
    expect(found[5].fix?.edits.map((e) => [e.region.startLine, e.region.startColumn, e.text])).toEqual([[16, 1, '        dapr.io/enable-api-logging: "true"\n']]);
  });
});
