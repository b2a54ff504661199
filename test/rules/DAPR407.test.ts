// DAPR407 api-allowlist-protocol: allow/deny entries daprd ignores (no usable
// protocol), and allowlists that cover only one of HTTP and gRPC.
import { describe, expect, it } from 'vitest';
import { protocolOf } from '../../src/rules/DAPR407-api-allowlist-protocol.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR407';

describe('DAPR407 api-allowlist-protocol', () => {
  const fires = scanFixture('rules/DAPR407/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the allowed key, at an entry without protocol, and at an unusable protocol value', () => {
    expect(hits(results)).toEqual([
      // allowed: only http is covered
      { rule: ID, file: 'production/orders-config.yaml', line: 8, column: 5 },
      // no protocol key: the entry
      { rule: ID, file: 'production/orders-config.yaml', line: 12, column: 9 },
      // protocol: GRPC
      { rule: ID, file: 'production/orders-config.yaml', line: 16, column: 19 },
      // protocol: ""
      { rule: ID, file: 'production/orders-config.yaml', line: 20, column: 19 },
      { rule: ID, file: 'staging/grpc-only.yaml', line: 8, column: 5 },
    ]);
    expect(results.every((r) => r.level === 'error')).toBe(true);
  });

  it('says which API stays open and what each ignored entry is', () => {
    expect(results[0].message).toBe(
      'The API allowlist of Configuration "orders-config" lists only HTTP entries: the gRPC API (port 50001) stays fully open, since an allowlist only restricts the protocol it names. Add the same APIs with protocol: grpc. (production)',
    );
    expect(results[1].message).toContain('spec.api.allowed[1] (publish v1.0) of Configuration "orders-config" has no protocol: both the HTTP and the gRPC API ignore the entry');
    expect(results[2].message).toContain('has protocol "GRPC", which neither API honours (the gRPC API compares it with exactly "grpc")');
    expect(results[3].message).toContain('spec.api.denied[0] (shutdown v1.0)');
    expect(results[4].message).toContain('lists only gRPC entries: the HTTP API (port 3500) stays fully open');
  });

  it('reads protocols as daprd does: http in any case, grpc exactly', () => {
    expect(['http', 'HTTP', 'Http', 'grpc', 'GRPC', 'https', ''].map(protocolOf)).toEqual(['http', 'http', 'http', 'grpc', undefined, undefined, undefined]);
  });

  it('is silent when both protocols are covered, and on one-protocol denylists', () => {
    const passes = scanFixture('rules/DAPR407/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('configuration').length).toBe(2);
  });
});
