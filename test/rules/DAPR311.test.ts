// DAPR311 host-network-sidecar: hostNetwork: true on a Dapr-enabled pod,
// reported at the hostNetwork value.
import { describe, expect, it } from 'vitest';
import { daprAnnotations, deployment } from '../../src/rules/examples.js';
import { hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR311';

describe('DAPR311 host-network-sidecar', () => {
  const fires = scanFixture('rules/DAPR311/fires');
  const results = of(fires, ID);

  it('points at the hostNetwork value, whatever the workload kind', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'dev/agent.yaml', line: 11, column: 20 }, // hostNetwork: True, dapr.io/enabled: "yes"
      { rule: ID, file: 'jobs/cleanup.yaml', line: 15, column: 24 }, // CronJob jobTemplate
      { rule: ID, file: 'prod/agent.yaml', line: 16, column: 20 },
    ]);
    expect(results.map((r) => r.level)).toEqual(['warning', 'warning', 'error']);
    expect(results.every((r) => r.related.length === 0)).toBe(true);
  });

  it("names the ports that land on the node's network, with the workload's own port settings", () => {
    const prod = results.find((r) => r.location.file === 'prod/agent.yaml')?.message ?? '';
    expect(prod).toMatch(/^DaemonSet "node-agent" runs its Dapr sidecar with hostNetwork: true/);
    expect(prod).toContain('on 127.0.0.1:3500/50001');
    expect(prod).toContain('metrics (9191)');
    expect(prod).toContain('Remove hostNetwork');
  });

  it('says the API itself is on the node IP when the sidecar listens beyond loopback', () => {
    const r = of(scanFiles({ 'deploy/agent.yaml': deployment('agent', daprAnnotations('agent', ['dapr.io/sidecar-listen-addresses: "0.0.0.0"']), { podSpec: ['hostNetwork: true'] }) }), ID);
    expect(hits(r)).toEqual([{ rule: ID, file: 'deploy/agent.yaml', line: 16, column: 20 }]);
    expect(r[0].message).toContain("its Dapr API (3500/50001) listens on the node's IP");
  });

  it('ignores hostNetwork: false, pods without Dapr and disabled sidecars', () => {
    const passes = scanFixture('rules/DAPR311/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
