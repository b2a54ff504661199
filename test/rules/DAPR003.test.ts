// DAPR003 annotation-not-string: a dapr.io/* pod annotation whose YAML value
// is not a string (unquoted boolean, number or null; YAML 1.1 `yes`/`On`).
// Points at the value, or at the key when the value is empty.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR003';

describe('DAPR003 annotation-not-string', () => {
  const fires = scanFixture('rules/DAPR003/fires');
  const results = of(fires, ID);

  it('points at each non-string value', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // flow mapping on one line: On (YAML 1.1 boolean), 0.5, ~
      { rule: ID, file: 'deploy/cleanup.yaml', line: 12, column: 42 },
      { rule: ID, file: 'deploy/cleanup.yaml', line: 12, column: 106 },
      { rule: ID, file: 'deploy/cleanup.yaml', line: 12, column: 137 },
      { rule: ID, file: 'deploy/orders.yaml', line: 15, column: 26 }, // true
      // line 16, `dapr.io/app-id: orders`, is a plain string: fine
      { rule: ID, file: 'deploy/orders.yaml', line: 17, column: 27 }, // 8080
      { rule: ID, file: 'deploy/orders.yaml', line: 18, column: 30 }, // yes (YAML 1.1)
      { rule: ID, file: 'deploy/orders.yaml', line: 19, column: 25 }, // null
      { rule: ID, file: 'deploy/orders.yaml', line: 20, column: 40 }, // 16
      { rule: ID, file: 'deploy/orders.yaml', line: 21, column: 9 }, // empty value: the key
      { rule: ID, file: 'deploy/orders.yaml', line: 23, column: 11 }, // a list
      // line 24, prometheus.io/port: 9090, is not a dapr.io annotation
    ]);
    expect(results.every((r) => r.level === 'error')).toBe(true);
  });

  it('says what the value is and how to quote it', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Annotation "dapr.io/enabled" has the unquoted value On, not a string: the API server rejects the CronJob. Quote it: "On".',
      'Annotation "dapr.io/graceful-shutdown-seconds" has the unquoted value 0.5, not a string: the API server rejects the CronJob. Quote it: "0.5".',
      'Annotation "dapr.io/app-token-secret" has no value (null), not a string: the API server rejects the CronJob. Write a quoted value, or remove the key.',
      'Annotation "dapr.io/enabled" has the unquoted value true, not a string: the API server rejects the Deployment. Quote it: "true".',
      'Annotation "dapr.io/app-port" has the unquoted value 8080, not a string: the API server rejects the Deployment. Quote it: "8080".',
      'Annotation "dapr.io/log-as-json" has the unquoted value yes, not a string: the API server rejects the Deployment. Quote it: "yes".',
      'Annotation "dapr.io/config" has no value (null), not a string: the API server rejects the Deployment. Write a quoted value, or remove the key.',
      'Annotation "dapr.io/http-max-request-size" has the unquoted value 16, not a string: the API server rejects the Deployment. Quote it: "16".',
      'Annotation "dapr.io/app-max-concurrency" has no value (null), not a string: the API server rejects the Deployment. Write a quoted value, or remove the key.',
      'Annotation "dapr.io/env" has a YAML list, not a string: the API server rejects the Deployment. Write it as one quoted string.',
    ]);
  });

  it('lets other rules read unquoted values by their text', () => {
    // `dapr.io/enabled: true` and `On` both enable the sidecar
    expect(fires.model.apps.map((a) => [a.app.name, a.app.enabled, a.app.appId?.value])).toEqual([
      ['cleanup', true, 'cleanup'],
      ['orders', true, 'orders'],
    ]);
  });

  it('does not fire on quoted or block-scalar values, non-Dapr keys, or JSON strings', () => {
    const passes = scanFixture('rules/DAPR003/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.apps.map((a) => a.app.name).sort()).toEqual(['orders', 'worker']);
  });

  it('offers --fix for unquoted booleans and numbers, never for null or a list', () => {
    expect(results.map((r) => r.fix?.description ?? null)).toEqual([
      'Quote the value of dapr.io/enabled: "On"',
      'Quote the value of dapr.io/graceful-shutdown-seconds: "0.5"',
      null, // ~
      'Quote the value of dapr.io/enabled: "true"',
      'Quote the value of dapr.io/app-port: "8080"',
      'Quote the value of dapr.io/log-as-json: "yes"',
      null, // null
      'Quote the value of dapr.io/http-max-request-size: "16"',
      null, // empty
      null, // a list
    ]);
    // One edit: the scalar's own range, replaced by its text in double quotes.
    expect(results[4].fix?.edits.map((e) => [e.file, e.region, e.text])).toEqual([['deploy/orders.yaml', { startLine: 17, startColumn: 27, endLine: 17, endColumn: 31 }, '"8080"']]);
  });
});
