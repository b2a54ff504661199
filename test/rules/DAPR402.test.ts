// DAPR402 weak-mtls-settings: workloadCertTTL over 24h, allowedClockSkew over
// 15m, or either not a Go duration, in authoritative sources only (the
// control plane's daprsystem, the Dapr chart's global.mtls values).
import { describe, expect, it } from 'vitest';
import { describeNanos, NANOS_PER_HOUR, NANOS_PER_MINUTE, parseGoDuration } from '../../src/rules/go-duration.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR402';

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['24h', 24n * NANOS_PER_HOUR],
    ['1h30m', 90n * NANOS_PER_MINUTE],
    ['1.5h', 90n * NANOS_PER_MINUTE],
    ['.5h', 30n * NANOS_PER_MINUTE],
    ['1.h', NANOS_PER_HOUR],
    ['15m0.5s', 15n * NANOS_PER_MINUTE + 500_000_000n],
    ['1h1h', 2n * NANOS_PER_HOUR],
    ['300ms', 300_000_000n],
    ['2us', 2_000n],
    ['2µs', 2_000n],
    ['2μs', 2_000n],
    ['7ns', 7n],
    ['-1.5m', -90_000_000_000n],
    ['2562047h', 2562047n * NANOS_PER_HOUR],
  ])('%s parses', (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it.each(['', '24', '86400', '1d', '1.5d', '1 hour', ' 24h', '24h ', '.', '.h', 'h', '1hh', '1H', '--1h', '1e3s', '2562048h', '9223372036854775808ns'])('%j does not parse', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it('accepts exactly the int64 range', () => {
    expect(parseGoDuration('9223372036854775807ns')).toBe(9223372036854775807n);
    expect(parseGoDuration('-9223372036854775808ns')).toBe(-9223372036854775808n);
  });

  it('describes whole units briefly', () => {
    expect(describeNanos(24n * NANOS_PER_HOUR)).toBe('24h');
    expect(describeNanos(15n * NANOS_PER_MINUTE)).toBe('15m');
    expect(describeNanos(1_500_000_000n)).toBe('1500000000ns');
  });
});

describe('DAPR402 weak-mtls-settings', () => {
  const fires = scanFixture('rules/DAPR402/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at each weak or unparsable value, inside an Argo CD values string too', () => {
    expect(hits(results)).toEqual([
      { rule: ID, file: 'argocd/staging/dapr.yaml', line: 17, column: 30 },
      { rule: ID, file: 'argocd/staging/dapr.yaml', line: 18, column: 31 },
      { rule: ID, file: 'charts/platform/values-dev.yaml', line: 4, column: 25 },
      { rule: ID, file: 'charts/platform/values-prod.yaml', line: 4, column: 24 },
      { rule: ID, file: 'flux/dapr.yaml', line: 13, column: 26 },
      { rule: ID, file: 'production/dapr-system/daprsystem.yaml', line: 9, column: 22 },
      { rule: ID, file: 'production/dapr-system/daprsystem.yaml', line: 10, column: 23 },
    ]);
    expect(results.every((r) => r.level === 'warning')).toBe(true);
    expect(results.map((r) => r.environments[0])).toEqual(['non-production', 'non-production', 'non-production', 'production', 'unclassified', 'production', 'production']);
  });

  it('says what is wrong with each value, naming it as written', () => {
    expect(results.map((r) => r.message.slice(0, r.message.indexOf(':')))).toEqual([
      'global.mtls.workloadCertTTL "86400" in Argo CD Application "dapr" of chart dapr is not a valid Go duration',
      'global.mtls.allowedClockSkew "1h30m" in Argo CD Application "dapr" of chart dapr is longer than 15m (Dapr\'s default)',
      'dapr.global.mtls.allowedClockSkew "15m1s" in charts/platform/values-dev.yaml of chart "platform", which depends on dapr is longer than 15m (Dapr\'s default)',
      'dapr.global.mtls.workloadCertTTL "25h" in charts/platform/values-prod.yaml of chart "platform", which depends on dapr is longer than 24h (Dapr\'s default)',
      'spec.values.global.mtls.workloadCertTTL "1.5d" in HelmRelease "dapr" of chart dapr is not a valid Go duration',
      'spec.mtls.workloadCertTTL "720h" in Configuration "daprsystem" is longer than 24h (Dapr\'s default)',
      'spec.mtls.allowedClockSkew "1 hour" in Configuration "daprsystem" is not a valid Go duration',
    ]);
    expect(results[6].message).toContain('Sentry cannot parse it and falls back to its built-in defaults for every daprsystem setting');
    expect(results[5].message).toContain('a stolen workload certificate keeps working that long');
  });

  it('ignores values at the limits, app Configurations, a daprsystem outside the control plane and self-hosted files', () => {
    const passes = scanFixture('rules/DAPR402/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('configuration').length).toBe(4);
  });
});
