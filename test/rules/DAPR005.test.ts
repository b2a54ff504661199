// DAPR005 invalid-annotation-value: a known dapr.io annotation whose value
// daprd ignores or misreads, one case per value type. Points at the value.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR005';

describe('DAPR005 invalid-annotation-value', () => {
  const fires = scanFixture('rules/DAPR005/fires');
  const results = of(fires, ID);

  it('points at each bad value', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'deploy/orders.yaml', line: 17, column: 51 }, // bool
      { rule: ID, file: 'deploy/orders.yaml', line: 18, column: 27 }, // int
      { rule: ID, file: 'deploy/orders.yaml', line: 19, column: 28 }, // int with a default
      { rule: ID, file: 'deploy/orders.yaml', line: 20, column: 28 }, // log-level
      { rule: ID, file: 'deploy/orders.yaml', line: 21, column: 31 }, // app-protocol
      { rule: ID, file: 'deploy/orders.yaml', line: 22, column: 43 }, // ip-list
      { rule: ID, file: 'deploy/orders.yaml', line: 23, column: 42 }, // duration
      { rule: ID, file: 'deploy/orders.yaml', line: 24, column: 39 }, // quantity
      { rule: ID, file: 'deploy/orders.yaml', line: 25, column: 47 }, // seccomp
      // dapr.io/enabled: "enable" on a CronJob: reported although the sidecar is then off
      { rule: ID, file: 'production/cleanup.yaml', line: 13, column: 30 },
      // unquoted 2.5 is read by its text (DAPR003 reports the missing quotes)
      { rule: ID, file: 'production/cleanup.yaml', line: 15, column: 48 },
    ]);
    expect(results.every((r) => r.level === 'error')).toBe(true);
  });

  it('says why daprd will not read the value as meant', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Annotation "dapr.io/disable-builtin-k8s-secret-store" value "ture" is neither true (y, yes, true, t, on, 1) nor false (n, no, false, f, off, 0): daprd reads it as false.',
      'Annotation "dapr.io/app-port" value "8000/tcp" is not an integer: the injector ignores it.',
      'Annotation "dapr.io/http-port" value "35OO" is not an integer: the injector ignores it and keeps the default 3500.',
      'Annotation "dapr.io/log-level" value "verbose" is not a log level (debug, info, warn, error).',
      'Annotation "dapr.io/app-protocol" value "tcp" is not an app protocol (http, grpc, https, grpcs, h2c).',
      'Annotation "dapr.io/sidecar-listen-addresses" value "127.0.0.1,localhost" contains "localhost", which is not an IP address: daprd fails to listen.',
      'Annotation "dapr.io/block-shutdown-duration" value "30" is not a Go duration (such as 30s, 5m or 1h30m).',
      'Annotation "dapr.io/sidecar-memory-limit" value "256MB" is not a Kubernetes quantity (such as 100m, 256Mi or 4Mi).',
      'Annotation "dapr.io/sidecar-seccomp-profile-type" value "runtime/default" is not a seccomp profile type (Unconfined, RuntimeDefault, Localhost).',
      'Annotation "dapr.io/enabled" value "enable" is neither true (y, yes, true, t, on, 1) nor false (n, no, false, f, off, 0): daprd reads it as false. (production)',
      'Annotation "dapr.io/graceful-shutdown-seconds" value "2.5" is not an integer: the injector ignores it. (production)',
    ]);
    expect(hits(of(fires, 'DAPR003'))).toEqual([{ rule: 'DAPR003', file: 'production/cleanup.yaml', line: 15, column: 48 }]);
  });

  it('accepts every spelling daprd accepts', () => {
    const passes = scanFixture('rules/DAPR005/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
