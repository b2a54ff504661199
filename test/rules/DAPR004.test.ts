// DAPR004 unknown-dapr-annotation: a pod annotation key under dapr.io/ (or
// the misspelt dapr.io. prefix) that the injector does not know. Points at the
// key; the message suggests the intended key when there is a likely one.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR004';

describe('DAPR004 unknown-dapr-annotation', () => {
  const fires = scanFixture('rules/DAPR004/fires');
  const results = of(fires, ID);

  it('points at each unknown key', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'development/worker.yaml', line: 18, column: 9 },
      { rule: ID, file: 'development/worker.yaml', line: 19, column: 9 },
      { rule: ID, file: 'production/orders.yaml', line: 17, column: 9 },
      { rule: ID, file: 'production/orders.yaml', line: 18, column: 9 },
      { rule: ID, file: 'production/orders.yaml', line: 19, column: 9 },
      // a CronJob's pod template sits deeper
      { rule: ID, file: 'shared/cleanup.yaml', line: 13, column: 13 },
      { rule: ID, file: 'shared/cleanup.yaml', line: 15, column: 13 },
    ]);
  });

  it('is an error in production and a warning elsewhere', () => {
    expect(results.map((r) => [r.level, r.environments[0]])).toEqual([
      ['warning', 'non-production'],
      ['warning', 'non-production'],
      ['error', 'production'],
      ['error', 'production'],
      ['error', 'production'],
      ['warning', 'unclassified'],
      ['warning', 'unclassified'],
    ]);
  });

  it('suggests the intended key: near misses, legacy names, and the dapr.io. prefix', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Unknown annotation "dapr.io/app-protocl": the Dapr sidecar injector ignores it. Did you mean "dapr.io/app-protocol"? (non-production)',
      'Unknown annotation "dapr.io/api-token": the Dapr sidecar injector ignores it. Did you mean "dapr.io/api-token-secret"? (non-production)',
      'Unknown annotation "dapr.io/sidecar-listen-address": the Dapr sidecar injector ignores it. Did you mean "dapr.io/sidecar-listen-addresses"? (production)',
      'Unknown annotation "dapr.io.log-level": the Dapr sidecar injector ignores it. Did you mean "dapr.io/log-level"? (production)',
      'Unknown annotation "dapr.io/sidecar-cpu-limits": the Dapr sidecar injector ignores it. Did you mean "dapr.io/sidecar-cpu-limit"? (production)',
      'Unknown annotation "dapr.io/enable": the Dapr sidecar injector ignores it. Did you mean "dapr.io/enabled"?',
      // nothing close: no suggestion
      'Unknown annotation "dapr.io/team-owner": the Dapr sidecar injector ignores it.',
    ]);
  });

  it('does not fire on known keys, labels, or other prefixes', () => {
    const passes = scanFixture('rules/DAPR004/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });

  it('offers --fix only for a certain rename', () => {
    expect(results.map((r) => r.fix?.description ?? null)).toEqual([
      'Rename the annotation dapr.io/app-protocl to dapr.io/app-protocol',
      'Rename the annotation dapr.io/api-token to dapr.io/api-token-secret',
      'Rename the annotation dapr.io/sidecar-listen-address to dapr.io/sidecar-listen-addresses',
      'Rename the annotation dapr.io.log-level to dapr.io/log-level',
      'Rename the annotation dapr.io/sidecar-cpu-limits to dapr.io/sidecar-cpu-limit',
      'Rename the annotation dapr.io/enable to dapr.io/enabled',
      null, // dapr.io/team-owner: no known key is near
    ]);
    expect(results[3].fix?.edits.map((e) => [e.region.startLine, e.region.startColumn, e.text])).toEqual([[18, 9, 'dapr.io/log-level']]);
  });
});
