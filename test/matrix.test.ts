// The access matrix of the security lesson: three apps, three components in
// one namespace; with no scopes every cell is granted, with scopes only
// task-api → statestore is.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { matrixPolicy, matrixView } from '../src/report/matrix.js';
import { FIXTURES, scanFiles, scanFixture } from './helpers.js';

async function matrix(fixture: string, format: string): Promise<string> {
  let out = '';
  const dir = path.join(FIXTURES, fixture);
  const code = await main(['matrix', dir, '--root', dir, '-f', format], { cwd: process.cwd(), stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
  expect(code).toBe(0);
  return out;
}

describe('access matrix', () => {
  it('grants every app every component when nothing is scoped', async () => {
    expect(await matrix('engine/lesson-unscoped', 'table')).toBe(
      [
        'namespace tasks',
        '  app-id        statestore (state.redis)  pubsub (pubsub.kafka)  secrets (secretstores.hashicorp.vault)',
        '  ------------  ------------------------  ---------------------  --------------------------------------',
        '  auth-service  ⚠ unscoped                ⚠ unscoped             ⚠ unscoped',
        '  logging-pod   ⚠ unscoped                ⚠ unscoped             ⚠ unscoped',
        '  task-api      ⚠ unscoped                ⚠ unscoped             ⚠ unscoped',
        '',
      ].join('\n'),
    );
  });

  it('grants only task-api → statestore once scopes name it and apps deployed elsewhere', async () => {
    const view = matrixView(scanFixture('engine/lesson-scoped').model.accessMatrix());
    const tasks = view.find((n) => n.namespace === 'tasks');
    expect(tasks?.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['statestore:state.redis', 'pubsub:pubsub.kafka', 'secrets:secretstores.hashicorp.vault']);
    expect(tasks?.cells).toEqual({ 'auth-service': [null, null, null], 'logging-pod': [null, null, null], 'task-api': ['explicit', null, null] });
    expect(await matrix('engine/lesson-scoped', 'markdown')).toContain(
      ['**namespace tasks**', '', '| app-id | statestore (state.redis) | pubsub (pubsub.kafka) | secrets (secretstores.hashicorp.vault) |', '|---|---|---|---|', '| auth-service | — | — | — |', '| logging-pod | — | — | — |', '| task-api | ✓ scoped | — | — |'].join('\n'),
    );
  });

  it('prints json, csv and the current grants as an accessPolicy', async () => {
    const json = JSON.parse(await matrix('engine/lesson-scoped', 'json'));
    expect(json.version).toBe(1);
    expect(json.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual(['billing', 'security', 'tasks']);
    const csv = (await matrix('engine/lesson-scoped', 'csv')).split('\n');
    expect(csv[0]).toBe('namespace,app_id,kind,component,type,access');
    expect(csv).toContain('tasks,task-api,Component,statestore,state.redis,explicit');
    expect(csv).toContain('tasks,auth-service,Component,pubsub,pubsub.kafka,none');
    const policy = JSON.parse(await matrix('engine/lesson-unscoped', 'policy'));
    expect(policy).toEqual({ accessPolicy: { tasks: { 'auth-service': ['pubsub', 'secrets', 'statestore'], 'logging-pod': ['pubsub', 'secrets', 'statestore'], 'task-api': ['pubsub', 'secrets', 'statestore'] } } });
    expect(matrixPolicy(matrixView(scanFixture('engine/lesson-scoped').model.accessMatrix()))).toEqual({ tasks: { 'task-api': ['statestore'] } });
  });

  it('includes Subscriptions and HTTPEndpoints as columns', () => {
    const result = scanFiles({
      'apps.yaml': fs.readFileSync(path.join(FIXTURES, 'engine/lesson-unscoped/apps.yaml'), 'utf8'),
      'more.yaml': [
        'apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: task-events\n  namespace: tasks\nspec:\n  pubsubname: pubsub\n  topic: tasks\n  routes: { default: /tasks }\nscopes: [logging-pod]\n',
        'apiVersion: dapr.io/v1alpha1\nkind: HTTPEndpoint\nmetadata:\n  name: payments\n  namespace: tasks\nspec:\n  baseUrl: https://payments.example.com\n',
      ].join('---\n'),
    });
    const [tasks] = matrixView(result.model.accessMatrix());
    expect(tasks.columns.map((c) => `${c.kind}:${c.name}:${c.type}`)).toEqual(['Subscription:task-events:subscription pubsub/tasks', 'HTTPEndpoint:payments:HTTPEndpoint']);
    expect(tasks.cells).toEqual({ 'auth-service': [null, 'unscoped'], 'logging-pod': ['explicit', 'unscoped'], 'task-api': [null, 'unscoped'] });
  });
});
