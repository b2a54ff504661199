// DAPR310 dapr-api-exposed: Service ports (and the Ingresses in front of them)
// that reach a sidecar API port; compose mappings that publish one.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR310';

describe('DAPR310 dapr-api-exposed', () => {
  const fires = scanFixture('rules/DAPR310/fires');
  const results = of(fires, ID);
  const at = (file: string, line: number) => results.find((r) => r.location.file === file && r.location.region.startLine === line);

  it('points at the Service ports item or the compose ports item', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'compose/docker-compose.yml', line: 6, column: 9 }, // app service's "50001:50001", daprd shares its network
      { rule: ID, file: 'compose/docker-compose.yml', line: 16, column: 9 }, // "0.0.0.0:3601:3601", --dapr-http-port 3601
      { rule: ID, file: 'compose/docker-compose.yml', line: 18, column: 9 }, // long form without host_ip
      { rule: ID, file: 'compose/docker-compose.yml', line: 21, column: 9 }, // a specific non-loopback host address
      { rule: ID, file: 'dev/custom-port.yaml', line: 28, column: 7 }, // dapr.io/grpc-port 50010
      { rule: ID, file: 'prod/orders.yaml', line: 56, column: 7 }, // - name: dapr-http
      { rule: ID, file: 'prod/orders.yaml', line: 68, column: 7 }, // targetPort: dapr-grpc, two workloads
    ]);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'warning', 'error', 'error']);
  });

  it('lists the selected workloads and the Ingress in front as related locations', () => {
    const rel = (file: string, line: number) => at(file, line)?.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
    expect(rel('prod/orders.yaml', 56)).toEqual([{ file: 'prod/orders.yaml', line: 4, column: 9, label: 'Dapr-enabled Deployment "orders" selected by this Service' }]);
    expect(rel('prod/orders.yaml', 68)).toEqual([
      { file: 'prod/orders.yaml', line: 4, column: 9, label: 'Dapr-enabled Deployment "orders" selected by this Service' },
      { file: 'prod/orders.yaml', line: 28, column: 9, label: 'Dapr-enabled Deployment "payments" selected by this Service' },
      { file: 'prod/orders.yaml', line: 84, column: 15, label: 'Ingress "backend" routes here' },
    ]);
    expect(rel('compose/docker-compose.yml', 6)).toEqual([
      { file: 'compose/docker-compose.yml', line: 8, column: 3, label: 'daprd compose service "api-dapr", which shares this service\'s network' },
    ]);
    expect(rel('compose/docker-compose.yml', 16)).toEqual([]);
  });

  it('says how far the Service reaches, which API, and what to do', () => {
    const lb = at('prod/orders.yaml', 56)?.message ?? '';
    expect(lb).toMatch(/^Service "orders-public" \(LoadBalancer\) port 3500 \("dapr-http"\) routes to the Dapr HTTP API \(container port 3500\) of Deployment "orders"/);
    expect(lb).toContain('publishes it outside the cluster');
    expect(lb).toContain('Remove this port from the Service');
    expect(lb).not.toContain('loopback only'); // orders listens on 0.0.0.0
    const np = at('dev/custom-port.yaml', 28)?.message ?? '';
    expect(np).toContain('(NodePort) port 50010 routes to the Dapr gRPC API');
    expect(np).toContain("on every node's IP");
    expect(np).toContain('The sidecar listens on loopback only today');
    const cluster = at('prod/orders.yaml', 68)?.message ?? '';
    expect(cluster).toContain('of Deployment "orders", Deployment "payments"');
    expect(cluster).toContain('Ingress "backend" also routes to it from outside the cluster');
    expect(at('compose/docker-compose.yml', 6)?.message).toMatch(
      /^Port mapping "50001:50001" of service "api" publishes the Dapr gRPC API \(port 50001\) of compose service "api-dapr", which shares its network/,
    );
    expect(at('compose/docker-compose.yml', 16)?.message).toContain('Bind it to loopback ("127.0.0.1:3601:3601")');
    expect(at('compose/docker-compose.yml', 18)?.message).toContain('Set host_ip: "127.0.0.1"');
    expect(at('compose/docker-compose.yml', 21)?.message).toContain('on host address 10.0.0.5');
  });

  it('ignores app ports, internal and metrics ports, unselected or disabled pods, loopback bindings and non-Dapr services', () => {
    const passes = scanFixture('rules/DAPR310/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
