// DAPR302 api-token-required: no API token while the API is reachable beyond
// the app (extra containers, hostNetwork, DAPR301, DAPR310); the reasons are
// related locations.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR302';

describe('DAPR302 api-token-required', () => {
  const fires = scanFixture('rules/DAPR302/fires');
  const results = of(fires, ID);
  const at = (file: string, line: number) => results.find((r) => r.location.file === file && r.location.region.startLine === line);
  const rel = (file: string, line: number) => at(file, line)?.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));

  it('points at the annotations key (or the empty token value, or the compose service key)', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'apps/reasons.yaml', line: 8, column: 7 }, // agent: hostNetwork
      { rule: ID, file: 'apps/reasons.yaml', line: 27, column: 7 }, // gateway: 0.0.0.0 and a Service
      { rule: ID, file: 'apps/reasons.yaml', line: 55, column: 35 }, // dapr.io/api-token-secret: ""
      { rule: ID, file: 'compose/docker-compose.yml', line: 6, column: 3 }, // published by the app service
      { rule: ID, file: 'compose/docker-compose.yml', line: 12, column: 3 }, // no --dapr-listen-addresses
      { rule: ID, file: 'dev/cart.yaml', line: 11, column: 7 },
      { rule: ID, file: 'prod/orders.yaml', line: 11, column: 7 }, // two app containers (the init container does not count)
    ]);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'error', 'warning', 'error']);
  });

  it('lists every reason as a related location', () => {
    expect(rel('apps/reasons.yaml', 8)).toEqual([{ file: 'apps/reasons.yaml', line: 12, column: 20, label: 'hostNetwork: true' }]);
    expect(rel('apps/reasons.yaml', 27)).toEqual([
      { file: 'apps/reasons.yaml', line: 30, column: 43, label: 'listen address (DAPR301)' },
      { file: 'apps/reasons.yaml', line: 43, column: 7, label: 'Service "gateway" routes to the Dapr HTTP API (DAPR310)' },
    ]);
    expect(rel('prod/orders.yaml', 11)).toEqual([{ file: 'prod/orders.yaml', line: 21, column: 17, label: 'container "log-shipper" shares the pod network' }]);
    expect(rel('dev/cart.yaml', 11)).toEqual([{ file: 'dev/cart.yaml', line: 26, column: 7, label: 'Service "cart-grpc" routes to the Dapr gRPC API (DAPR310)' }]);
    expect(rel('compose/docker-compose.yml', 6)).toEqual([{ file: 'compose/docker-compose.yml', line: 5, column: 9, label: 'publishes the Dapr HTTP API (DAPR310)' }]);
    expect(rel('compose/docker-compose.yml', 12)).toEqual([]);
  });

  it('names the reasons and the fix', () => {
    expect(at('prod/orders.yaml', 11)?.message).toMatch(
      /^Deployment "orders" has no dapr.io\/api-token-secret, yet its Dapr API is reachable beyond the app container: the pod runs 2 containers \("orders", "log-shipper"\)/,
    );
    expect(at('prod/orders.yaml', 11)?.message).toContain('Set dapr.io/api-token-secret to a Secret with key "token"');
    expect(at('apps/reasons.yaml', 27)?.message).toContain(
      'dapr.io/sidecar-listen-addresses "0.0.0.0" listens beyond loopback ("0.0.0.0" is all interfaces); Service "gateway" port 3500 ("dapr-http") routes to its HTTP API',
    );
    expect(at('apps/reasons.yaml', 55)?.message).toContain('has an empty dapr.io/api-token-secret (no token)');
    expect(at('apps/reasons.yaml', 55)?.message).toContain('as the app.');
    expect(at('compose/docker-compose.yml', 12)?.message).toBe(
      'compose service "cart-dapr" runs daprd without DAPR_API_TOKEN, yet its Dapr API is reachable beyond its app: daprd listens on all interfaces (no --dapr-listen-addresses). Set DAPR_API_TOKEN in its environment (from an env_file or ${VAR}, not a literal) and give the app the same value, or keep the API on loopback.',
    );
    expect(at('compose/docker-compose.yml', 6)?.message).toContain('port 3500 (HTTP API) is published on the host by service "orders"');
  });

  it('accepts a token from the annotation, env-from-secret, env, compose environment or env_file; ignores init containers, daprd, disabled pods and Multi-App Run', () => {
    const passes = scanFixture('rules/DAPR302/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
