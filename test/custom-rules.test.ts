// Declarative custom rules: a match and a JSON Schema, evaluated by ajv,
// pointing at the failing node, and listed in SARIF like built-in rules.
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { writeTree } from './helpers.js';

const redis = (name: string, ns: string, tls?: string): string =>
  `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  type: state.redis\n  version: v1\n  metadata:\n    - name: redisHost\n      value: redis:6379\n${tls === undefined ? '' : `    - name: enableTLS\n      value: "${tls}"\n`}scopes: [api]\n`;
const postgres = `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pg\n  namespace: prod\nspec:\n  type: state.postgresql\n  version: v1\n  metadata: []\nscopes: [api]\n`;

const TLS_RULE = {
  id: 'ACME001',
  name: 'prod-state-redis-tls',
  message: 'State stores in production must be Redis with enableTLS "true".',
  level: 'error',
  match: { kind: 'Component', type: 'state.*', environment: 'production' },
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['type', 'metadata'],
        properties: {
          type: { const: 'state.redis' },
          metadata: { type: 'array', contains: { type: 'object', required: ['name', 'value'], properties: { name: { const: 'enableTLS' }, value: { const: 'true' } } } },
        },
      },
    },
  },
};

async function scan(files: Record<string, string>, config: Record<string, unknown>, args: string[] = []) {
  const dir = writeTree(files, config);
  let stdout = '';
  let stderr = '';
  const code = await main(['.', '-f', 'json', ...args], { cwd: dir, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stderr, json: stdout ? JSON.parse(stdout) : undefined, dir };
}

describe('custom rules', () => {
  it('reports resources that match but break the schema, at the failing node', async () => {
    const r = await scan({ 'prod/a.yaml': redis('cache', 'prod', 'false'), 'prod/b.yaml': redis('ok', 'prod', 'true'), 'prod/c.yaml': postgres, 'dev/d.yaml': redis('dev', 'dev', 'false') }, { customRules: [TLS_RULE] });
    const custom = r.json.results.filter((x: { ruleId: string }) => x.ruleId === 'ACME001');
    expect(custom.map((x: { file: string; startLine: number; startColumn: number; level: string }) => [x.file, x.startLine, x.startColumn, x.level])).toEqual([
      ['prod/a.yaml', 9, 3],
      ['prod/c.yaml', 7, 9],
      ['prod/c.yaml', 9, 3],
    ].map((l) => [...l, 'error']));
    expect(custom[0].message).toBe('State stores in production must be Redis with enableTLS "true". Component "cache": spec.metadata must contain at least 1 valid item(s). (production)');
    expect(custom[1].message).toContain('spec.type must be "state.redis"');
    expect(r.code).toBe(1);
  });

  it('appears in SARIF driver.rules like a built-in rule', async () => {
    const dir = writeTree({ 'prod/a.yaml': redis('cache', 'prod') }, { customRules: [TLS_RULE] });
    let out = '';
    await main(['.', '-f', 'sarif'], { cwd: dir, stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
    const run = JSON.parse(out).runs[0];
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'ACME001');
    expect(rule).toMatchObject({ id: 'ACME001', name: 'prod-state-redis-tls', defaultConfiguration: { level: 'error' } });
    expect(rule.properties.tags).toEqual(['security', 'custom']);
    expect(run.results.find((x: { ruleId: string }) => x.ruleId === 'ACME001').ruleIndex).toBe(run.tool.driver.rules.indexOf(rule));
  });

  it('refuses a remote $ref without fetching it, and a broken schema, naming the path', async () => {
    const remote = await scan({ 'a.yaml': postgres }, { customRules: [{ ...TLS_RULE, schema: { $ref: 'https://example.com/schema.json' } }] });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('rules.config.json: /customRules/0/schema/$ref: only local references (#/…) are allowed; (https://example.com/schema.json) would have to be fetched');
    const broken = await scan({ 'a.yaml': postgres }, { customRules: [{ ...TLS_RULE, schema: { type: 'no-such-type' } }] });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('rules.config.json: /customRules/0/schema: not a valid JSON Schema');
    const dup = await scan({ 'a.yaml': postgres }, { customRules: [{ ...TLS_RULE, id: 'ACME001' }, { ...TLS_RULE, name: 'other' }] });
    expect(dup.stderr).toContain('the id or name "ACME001" is already used');
    const dapr = await scan({ 'a.yaml': postgres }, { customRules: [{ ...TLS_RULE, id: 'DAPR900' }] });
    expect(dapr.stderr).toContain('/customRules/0/id: expected a value that must match pattern');
  });

  it('can be suppressed inline like any rule', async () => {
    const file = redis('cache', 'prod', 'false').replace('  metadata:\n', '  # dapr-policy-disable-next-line ACME001 -- migrating in TICKET-7\n  metadata:\n');
    const r = await scan({ 'prod/a.yaml': file }, { customRules: [TLS_RULE] });
    expect(r.json.results.filter((x: { ruleId: string; suppressed?: unknown }) => x.ruleId === 'ACME001' && !x.suppressed)).toEqual([]);
    expect(r.json.results.filter((x: { ruleId: string; suppressed?: { justification: string } }) => x.ruleId === 'ACME001').map((x: { suppressed?: { justification: string } }) => x.suppressed?.justification)).toEqual(['migrating in TICKET-7']);
  });
});

describe('docs/custom-rules.md', () => {
  it('every example is a valid configuration that fires on a violating resource and not on a compliant one', async () => {
    const fs = await import('node:fs');
    const blocks = [...fs.readFileSync('docs/custom-rules.md', 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as { customRules: Array<{ id: string }> });
    expect(blocks).toHaveLength(3);
    const kafka = (authType: string): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: events\n  namespace: prod\nspec:\n  type: pubsub.kafka\n  version: v1\n  metadata:\n    - name: brokers\n      value: kafka:9092\n    - name: authType\n      value: ${authType}\nscopes: [api]\n`;
    const deployment = (ann: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pay\n  namespace: payments\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: pay\n${ann}    spec:\n      containers: [{ name: pay, image: pay }]\n`;
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ 'prod/a.yaml': redis('cache', 'prod', 'false') }, { 'prod/a.yaml': redis('cache', 'prod', 'true') }],
      [{ 'prod/a.yaml': kafka('none') }, { 'prod/a.yaml': kafka('mtls') }],
      [{ 'a.yaml': deployment('') }, { 'a.yaml': deployment('        dapr.io/api-token-secret: dapr-api-token\n') }],
    ];
    for (const [i, config] of blocks.entries()) {
      const id = config.customRules[0].id;
      const bad = await scan(cases[i][0], config);
      expect(bad.json.results.some((r: { ruleId: string }) => r.ruleId === id), `${id} fires`).toBe(true);
      const good = await scan(cases[i][1], config);
      expect(good.json.results.some((r: { ruleId: string }) => r.ruleId === id), `${id} stays quiet`).toBe(false);
    }
  });
});
