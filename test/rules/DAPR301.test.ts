// DAPR301 sidecar-listens-publicly: non-loopback listen addresses on
// Kubernetes; missing or non-loopback ones on self-hosted daprd.
import { describe, expect, it } from 'vitest';
import { daprAnnotations, deployment } from '../../src/rules/examples.js';
import { hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR301';

describe('DAPR301 sidecar-listens-publicly', () => {
  const fires = scanFixture('rules/DAPR301/fires');
  const results = of(fires, ID);

  it('points at the listen-address value, the Multi-App Run app, or the compose service key', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'apps/edge-cases.yaml', line: 10, column: 43 }, // ""
      { rule: ID, file: 'apps/edge-cases.yaml', line: 25, column: 43 }, // "[::1],[::]"
      { rule: ID, file: 'apps/edge-cases.yaml', line: 40, column: 43 }, // "127.0.0.1,"
      { rule: ID, file: 'compose/docker-compose.yml', line: 4, column: 3 }, // orders-dapr: no flag
      { rule: ID, file: 'compose/docker-compose.yml', line: 10, column: 60 }, // the value inside the command string
      { rule: ID, file: 'dev/cart.yaml', line: 15, column: 43 },
      { rule: ID, file: 'mar-common/dapr.yaml', line: 3, column: 23 }, // common: one finding for both apps
      { rule: ID, file: 'mar-open/dapr.yaml', line: 5, column: 12 }, // appID value
      { rule: ID, file: 'mar-open/dapr.yaml', line: 8, column: 17 }, // no appID: appDirPath value
      { rule: ID, file: 'prod/orders.yaml', line: 14, column: 43 },
    ]);
  });

  it('pins the compose flag value exactly inside a string command', () => {
    const compose = results.find((r) => r.location.file === 'compose/docker-compose.yml' && r.location.region.startLine === 10);
    expect(compose?.location.region).toEqual({ startLine: 10, startColumn: 60, endLine: 10, endColumn: 67 });
  });

  it('is an error, and a warning outside production', () => {
    const level = (file: string): string | undefined => results.find((r) => r.location.file === file)?.level;
    expect(level('prod/orders.yaml')).toBe('error');
    expect(level('dev/cart.yaml')).toBe('warning');
    expect(level('apps/edge-cases.yaml')).toBe('error');
  });

  it('says which entry is public and what to do', () => {
    const msg = (file: string, line: number): string => results.find((r) => r.location.file === file && r.location.region.startLine === line)?.message ?? '';
    expect(msg('prod/orders.yaml', 14)).toContain('"0.0.0.0" is all interfaces');
    expect(msg('prod/orders.yaml', 14)).toContain('Use "127.0.0.1"');
    expect(msg('dev/cart.yaml', 15)).toContain('"10.1.2.3" is a non-loopback address');
    expect(msg('dev/cart.yaml', 15)).toContain('HTTP 3600'); // the app's own dapr.io/http-port
    expect(msg('apps/edge-cases.yaml', 10)).toContain('an empty value listens on all interfaces');
    expect(msg('apps/edge-cases.yaml', 25)).toContain('"[::]" is all interfaces');
    expect(msg('apps/edge-cases.yaml', 40)).toContain('an empty entry listens on all interfaces');
    expect(msg('mar-open/dapr.yaml', 5)).toMatch(/^Multi-App Run app "checkout" sets no apiListenAddresses: daprd then listens on all interfaces/);
    expect(msg('mar-common/dapr.yaml', 3)).toContain('Multi-App Run apps "checkout", "payments"');
    expect(msg('compose/docker-compose.yml', 4)).toMatch(/^compose service "orders-dapr" starts daprd without --dapr-listen-addresses/);
    expect(msg('compose/docker-compose.yml', 4)).toContain('the app shares its network');
    expect(msg('compose/docker-compose.yml', 10)).toMatch(/^--dapr-listen-addresses "0.0.0.0" makes the Dapr API of compose service "cart-dapr"/);
  });

  it('accepts loopback, localhost, the Kubernetes default, Unix sockets and disabled apps', () => {
    const passes = scanFixture('rules/DAPR301/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });

  it('with requireExplicit, reports a missing Kubernetes annotation as a note on the annotations key', () => {
    const files = { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api')) };
    expect(of(scanFiles(files), ID)).toEqual([]);
    const strict = of(scanFiles(files, { rules: { DAPR301: { options: { requireExplicit: true } } } }), ID);
    expect(hits(strict)).toEqual([{ rule: ID, file: 'deploy/task-api.yaml', line: 11, column: 7 }]);
    expect(strict[0].level).toBe('note');
    expect(strict[0].message).toContain('does not set dapr.io/sidecar-listen-addresses');
  });

  it('offers --fix for Kubernetes annotations and Multi-App Run, not for compose flags', () => {
    expect(results.map((r) => [r.location.file, r.fix?.description ?? null])).toEqual([
      ['apps/edge-cases.yaml', 'Set dapr.io/sidecar-listen-addresses to "127.0.0.1"'],
      ['apps/edge-cases.yaml', 'Set dapr.io/sidecar-listen-addresses to "127.0.0.1"'],
      ['apps/edge-cases.yaml', 'Set dapr.io/sidecar-listen-addresses to "127.0.0.1"'],
      ['compose/docker-compose.yml', null],
      ['compose/docker-compose.yml', null],
      ['dev/cart.yaml', 'Set dapr.io/sidecar-listen-addresses to "127.0.0.1"'],
      ['mar-common/dapr.yaml', 'Set apiListenAddresses to "127.0.0.1"'],
      ['mar-open/dapr.yaml', 'Add apiListenAddresses: "127.0.0.1" to Multi-App Run app "checkout"'],
      ['mar-open/dapr.yaml', 'Add apiListenAddresses: "127.0.0.1" to Multi-App Run app "order-processor"'],
      ['prod/orders.yaml', 'Set dapr.io/sidecar-listen-addresses to "127.0.0.1"'],
    ]);
    // The insertion goes on the line after appID, at its column.
    expect(results[7].fix?.edits.map((e) => [e.region.startLine, e.region.startColumn, e.text])).toEqual([[6, 1, '    apiListenAddresses: "127.0.0.1"\n']]);
  });
});
