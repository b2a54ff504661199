// DAPR306 debug-log-level: log-level debug (any case, as daprd lower-cases it)
// on a production sidecar; off elsewhere by default.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR306';

describe('DAPR306 debug-log-level', () => {
  const result = scanFixture('rules/DAPR306/fires');
  const found = of(result, ID);

  it('points at the debug value of production sidecars only', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      { rule: ID, file: 'clusters/prod/apps.yaml', line: 15, column: 28 },
      // Multi-App Run logLevel
      { rule: ID, file: 'compose/production/dapr.yaml', line: 5, column: 15 },
      // a single-dash daprd flag in a command list: the value item
      { rule: ID, file: 'compose/production/docker-compose.yml', line: 4, column: 59 },
    ]);
    expect(found.every((r) => r.level === 'warning' && r.environments.join() === 'production')).toBe(true);
    // the copies under clusters/dev and apps/ (non-production, unclassified) are off
    expect(result.model.apps.filter((a) => a.app.name === 'orders').map((a) => a.environment).sort()).toEqual(['non-production', 'production', 'unclassified']);
  });

  it('names the setting as written and its fix', () => {
    expect(found[0].message).toBe(
      'Deployment "orders" sets dapr.io/log-level: "DEBUG": the sidecar writes debug logs (request and component details) to wherever its logs are collected. Use dapr.io/log-level: "info" or remove the setting (the default is info). (production)',
    );
    expect(found[1].message).toContain('Multi-App Run app "checkout" sets logLevel: debug');
    expect(found[1].message).toContain('Use logLevel: info');
    expect(found[2].message).toContain('compose service "cart-dapr" sets -log-level=debug');
  });
});
