// DAPR311 host-network-sidecar: a Dapr-enabled pod on the node's network.
// The injected daprd binds its API to loopback, but its internal gRPC (50002),
// public health/metadata (3501) and metrics (9090) servers listen on all
// interfaces (dapr-security-facts.md §1): with hostNetwork that is the node's.
import { daprPortNames } from '../engine/exposure.js';
import type { AppInstance } from '../engine/model.js';
import { publicListen } from './DAPR301-sidecar-listens-publicly.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApp } from './helpers.js';
import type { Rule } from './types.js';

function message(app: AppInstance): string {
  const ports = daprPortNames(app);
  const api = `${ports.get('dapr-http') ?? 3500}/${ports.get('dapr-grpc') ?? 50001}`;
  // The API's reach depends on its listen addresses (DAPR301); the other servers always listen on all interfaces.
  const apiReach = publicListen(app)
    ? `its Dapr API (${api}) listens on the node's IP`
    : `every process and hostNetwork pod on the node can call its Dapr API on 127.0.0.1:${api}`;
  return (
    `${describeApp(app)} runs its Dapr sidecar with hostNetwork: true: daprd's ports are on the node's network, so ${apiReach}, ` +
    `and its internal gRPC (${ports.get('dapr-internal') ?? 50002}), health/metadata (3501) and metrics (${ports.get('dapr-metrics') ?? 9090}) ports listen on the node's IP. ` +
    'Any two hostNetwork Dapr pods on one node also collide on these ports. Remove hostNetwork, or set dapr.io/api-token-secret if the pod really needs the host network.'
  );
}

export const rule: Rule = {
  meta: {
    id: 'DAPR311',
    name: 'host-network-sidecar',
    shortDescription: "A Dapr-enabled pod uses hostNetwork: the sidecar's ports are on the node's network.",
    fullDescription:
      'Reports a Dapr-enabled workload whose pod spec sets `hostNetwork: true`. The injected daprd then binds on the node\'s network namespace: its loopback-only API becomes reachable by every process and hostNetwork pod of the node, and its internal gRPC, health/metadata and metrics servers (which listen on all interfaces) are open on the node\'s IP. Points at the `hostNetwork` value.',
    levels: { default: 'warning', production: 'error' },
    securitySeverity: 6.5,
    tags: ['security', 'network-exposure', 'sidecar'],
    precision: 'very-high',
    docs: {
      why: 'Loopback is the boundary that keeps the Dapr API private to the app. With hostNetwork, loopback is the node\'s, shared by node agents and every other hostNetwork pod; the ports that listen on all interfaces are reachable from anywhere that reaches the node, outside any NetworkPolicy. Two replicas scheduled on one node also fail on port conflicts.',
      fix: 'Remove `hostNetwork: true` from the pod spec. If the workload truly needs the host network, set `dapr.io/api-token-secret` (DAPR302) and keep the listen addresses on loopback.',
      incorrect: [{ files: { 'deploy/node-agent.yaml': deployment('node-agent', daprAnnotations('node-agent'), { podSpec: ['hostNetwork: true'] }) } }],
      correct: [{ files: { 'deploy/node-agent.yaml': deployment('node-agent', daprAnnotations('node-agent')) } }],
      notes: [
        'Only an explicit `hostNetwork: true` on a pod whose `dapr.io/enabled` is truthy is reported; pods without a Dapr sidecar are out of scope.',
        'The ports named in the message follow the workload\'s `dapr.io/http-port`, `grpc-port`, `internal-grpc-port` and `metrics-port` annotations; 3501 is the fixed public port the injector sets.',
      ],
    },
  },
  check({ model, report }) {
    for (const app of model.apps) {
      const hn = app.app.pod?.hostNetwork;
      if (!app.app.enabled || app.app.source !== 'kubernetes' || !hn?.enabled) continue;
      report({ message: message(app), at: { pdoc: hn.pdoc, node: hn.node }, on: app, path: 'spec.hostNetwork' });
    }
  },
};
