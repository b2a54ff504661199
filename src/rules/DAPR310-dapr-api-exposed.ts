// DAPR310 dapr-api-exposed: a Service, Ingress or compose port mapping routes
// to the sidecar's HTTP or gRPC API port. The routing join (selectors, named
// target ports such as dapr-http) is src/engine/exposure.ts.
import { daprApiPorts, ingressesTo, type IngressRoute, serviceRoutes, type ServiceRoute } from '../engine/exposure.js';
import type { AppInstance, Instance, Model } from '../engine/model.js';
import type { NodeRef, PublishedPort, ResourceOf } from '../engine/resources.js';
import { scalarText } from '../engine/yaml.js';
import { classifyListenEntry, publicListen } from './DAPR301-sidecar-listens-publicly.js';
import { daprAnnotations, deployment, docs } from './examples.js';
import { hasApiToken } from './sidecar-tokens.js';
import { describe, describeApp } from './helpers.js';
import type { Rule } from './types.js';

export type DaprApi = 'HTTP' | 'gRPC';

function apiOfPort(app: AppInstance, port: number): DaprApi | undefined {
  const { http, grpc } = daprApiPorts(app);
  if (port === http) return 'HTTP';
  return port === grpc ? 'gRPC' : undefined;
}

/** A Service port (and the Ingresses / HTTPRoutes in front of it) that reaches a Dapr API port of the app. */
export interface ServiceExposure {
  route: ServiceRoute;
  api: DaprApi;
  ingresses: IngressRoute[];
}

/** The Kubernetes half of DAPR310's predicate, shared with DAPR302. */
export function exposedServiceRoutes(model: Model, app: AppInstance): ServiceExposure[] {
  if (!app.app.enabled || app.app.source !== 'kubernetes') return [];
  const out: ServiceExposure[] = [];
  for (const route of serviceRoutes(model, app)) {
    const api = apiOfPort(app, route.targetPort);
    if (api) out.push({ route, api, ingresses: ingressesTo(model, route) });
  }
  return out;
}

/** A compose port mapping that publishes a Dapr API port on a non-loopback host address. */
export interface HostExposure {
  port: PublishedPort;
  api: DaprApi;
  /** The host address as written; undefined when the mapping names none (all interfaces). */
  hostIp?: string;
  allInterfaces: boolean;
}

/**
 * The compose half of DAPR310's predicate, shared with DAPR302. Mappings of
 * the service whose network daprd shares (network_mode) count: they are
 * daprd's ports too. A `127.0.0.1:` / `[::1]:` binding is fine; a host
 * address written as a variable is not judged.
 */
export function publishedApiPorts(app: AppInstance): HostExposure[] {
  if (!app.app.enabled || app.app.source !== 'compose') return [];
  const out: HostExposure[] = [];
  for (const port of app.app.publishedPorts ?? []) {
    const api = apiOfPort(app, port.containerPort);
    if (!api) continue;
    const ip = port.hostIp?.trim() ?? '';
    const kind = classifyListenEntry(ip);
    if (kind === 'loopback' || kind === 'not-judged') continue;
    out.push({ port, api, ...(ip ? { hostIp: ip } : {}), allInterfaces: kind === 'all-interfaces' });
  }
  return out;
}

// ---------------------------------------------------------------- Kubernetes findings

type ServiceInstance = Instance<ResourceOf<'service'>>;

interface PortGroup {
  service: ServiceInstance;
  exposure: ServiceExposure;
  apps: AppInstance[];
  ingresses: IngressRoute[];
}

function tokenNote(apps: AppInstance[]): string {
  return apps.some(hasApiToken) ? '' : ', and no API token is set';
}

function reach(serviceType: string): string {
  if (serviceType === 'LoadBalancer') return 'a LoadBalancer Service publishes it outside the cluster, so anyone who can reach the load balancer';
  if (serviceType === 'NodePort') return "a NodePort Service opens it on every node's IP, so anyone who can reach a node";
  return 'every pod in the cluster that can reach the Service';
}

/** Stable key of a Service port for fingerprints: its name, else its number. */
function portKey(route: ServiceRoute): string {
  return route.port.name ?? String(route.port.port ?? route.targetPort);
}

/** `port 3500 ("dapr-http")`, for messages. */
export function describeServicePort(route: ServiceRoute): string {
  const n = route.port.port ?? route.targetPort;
  return route.port.name ? `port ${n} ("${route.port.name}")` : `port ${n}`;
}

/** One finding per Service port, even when it selects several Dapr apps (their workloads are the related locations). */
function groupByServicePort(model: Model): PortGroup[] {
  const groups = new Map<ServiceInstance, Map<unknown, PortGroup>>();
  for (const app of model.apps) {
    for (const exposure of exposedServiceRoutes(model, app)) {
      const byPort = groups.get(exposure.route.service) ?? new Map<unknown, PortGroup>();
      groups.set(exposure.route.service, byPort);
      const group = byPort.get(exposure.route.port.node) ?? { service: exposure.route.service, exposure, apps: [], ingresses: [] };
      byPort.set(exposure.route.port.node, group);
      if (!group.apps.includes(app)) group.apps.push(app);
      for (const i of exposure.ingresses) if (!group.ingresses.some((g) => g.backend === i.backend)) group.ingresses.push(i);
    }
  }
  return [...groups.values()].flatMap((m) => [...m.values()]);
}

function serviceMessage(g: PortGroup): string {
  const svc = g.service.resource;
  const { route, api } = g.exposure;
  const type = svc.serviceType;
  const ingress = g.ingresses.length
    ? ` ${g.ingresses.map((i) => describe(i.ingress)).join(', ')} also route${g.ingresses.length === 1 ? 's' : ''} to it from outside the cluster.`
    : '';
  const loopbackOnly = g.apps.every((a) => publicListen(a) === undefined)
    ? ' The sidecar listens on loopback only today, so the route fails until someone widens dapr.io/sidecar-listen-addresses; remove it before that happens.'
    : '';
  return (
    `Service "${svc.name ?? '(unnamed)'}" (${type}) ${describeServicePort(route)} routes to the Dapr ${api} API (container port ${route.targetPort}) of ${g.apps.map(describeApp).join(', ')}: ` +
    `${reach(type)} can call the sidecar's state, secrets, pub/sub and invocation APIs as the app${tokenNote(g.apps)}.${ingress}${loopbackOnly} ` +
    `Remove this port from the Service; expose the app's own port and let other apps use Dapr service invocation.`
  );
}

function serviceRelated(g: PortGroup): Array<{ at: NodeRef; label: string }> {
  const workloads = g.apps.map((a) => ({ at: a.app.anchor, label: `Dapr-enabled ${describeApp(a)} selected by this Service` }));
  const ingresses = g.ingresses.map((i) => ({ at: { pdoc: i.backend.pdoc, node: i.backend.node }, label: `${describe(i.ingress)} routes here` }));
  return [...workloads, ...ingresses];
}

// ---------------------------------------------------------------- compose findings

/** The mapping as written (short form) or summarised (long form). */
function portText(e: HostExposure): string {
  const short = scalarText(e.port.node, e.port.pdoc);
  if (short !== undefined) return `"${short}"`;
  const published = e.port.hostPort ? `, published ${e.port.hostPort}` : '';
  return `(target ${e.port.containerPort}${published})`;
}

function composeMessage(app: AppInstance, e: HostExposure): string {
  const where = e.allInterfaces ? 'on all host interfaces' : `on host address ${e.hostIp ?? ''}`;
  const of = e.port.service !== app.app.name ? ` of service "${e.port.service}"` : '';
  const sharing = of ? `, which shares its network (network_mode),` : '';
  const longForm = scalarText(e.port.node, e.port.pdoc) === undefined;
  const bind = longForm ? 'Set host_ip: "127.0.0.1" on it' : `Bind it to loopback ("127.0.0.1:${e.port.hostPort ?? e.port.containerPort}:${e.port.containerPort}")`;
  return (
    `Port mapping ${portText(e)}${of} publishes the Dapr ${e.api} API (port ${e.port.containerPort}) of ${describeApp(app)}${sharing} ${where}: anyone who can reach the host can call the sidecar's APIs as the app${tokenNote([app])}. ` +
    `${publicListen(app) ? '' : 'daprd listens on loopback only today, so the mapping fails until someone widens --dapr-listen-addresses. '}${bind} or remove the mapping.`
  );
}

export const rule: Rule = {
  meta: {
    id: 'DAPR310',
    name: 'dapr-api-exposed',
    shortDescription: 'A Service, Ingress or published port routes to the Dapr sidecar API.',
    fullDescription:
      'Reports a Kubernetes Service port (any type; LoadBalancer and NodePort are worse and the message says so) whose target is a Dapr API port — 3500, 50001, or the `dapr.io/http-port` / `dapr.io/grpc-port` values, by number or by daprd\'s port names `dapr-http` / `dapr-grpc` — of Dapr-enabled pods it selects; Ingresses and HTTPRoutes that route to that port are named in the message and listed as related locations. Compose: a port mapping that publishes a daprd API port (3500/50001 or its `--dapr-http-port` / `--dapr-grpc-port`) on a non-loopback host address, including mappings of the service whose network daprd shares. Points at the Service\'s `ports` item (compose: the `ports` item).',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 8.5,
    tags: ['security', 'network-exposure', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'The Dapr API is meant for the app next to it. Whoever reaches it can read the app\'s secrets and state, publish its events and call other apps under its identity. It has no authentication unless an API token is set, and even then that token is the only thing between the network and every component the app can use.',
      fix: 'Remove the Dapr port from the Service (or the compose mapping). Expose the app\'s own port; between apps, use Dapr service invocation, which goes sidecar to sidecar over mTLS. For local tools on a compose host, bind to `127.0.0.1:`.',
      incorrect: [
        {
          title: 'A LoadBalancer forwarding to the sidecar HTTP API',
          files: {
            'deploy/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/app-port: "8080"'])),
              ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: task-api', 'spec:', '  type: LoadBalancer', '  selector: { app: task-api }', '  ports:', '    - name: http', '      port: 80', '      targetPort: 8080', '    - name: dapr-http', '      port: 3500', '      targetPort: 3500', ''].join('\n'),
            ),
          },
        },
        {
          title: 'compose: the app service publishes the gRPC port of the daprd that shares its network',
          files: {
            'docker-compose.yml': [
              'services:',
              '  task-api:',
              '    image: ghcr.io/example/task-api:1.0.0',
              '    ports:',
              '      - "8080:8080"',
              '      - "50001:50001"',
              '  task-api-dapr:',
              '    image: daprio/daprd:1.15.0',
              '    command: ["./daprd", "--app-id", "task-api", "--app-port", "8080", "--dapr-listen-addresses", "127.0.0.1"]',
              '    network_mode: "service:task-api"',
              '',
            ].join('\n'),
          },
        },
      ],
      correct: [
        {
          title: 'The Service exposes only the app port',
          files: {
            'deploy/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/app-port: "8080"'])),
              ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: task-api', 'spec:', '  selector: { app: task-api }', '  ports:', '    - name: http', '      port: 80', '      targetPort: 8080', ''].join('\n'),
            ),
          },
        },
        {
          title: 'compose: the Dapr port is published on loopback only',
          files: {
            'docker-compose.yml': [
              'services:',
              '  task-api:',
              '    image: ghcr.io/example/task-api:1.0.0',
              '    ports:',
              '      - "8080:8080"',
              '      - "127.0.0.1:50001:50001"',
              '  task-api-dapr:',
              '    image: daprio/daprd:1.15.0',
              '    command: ["./daprd", "--app-id", "task-api", "--app-port", "8080", "--dapr-listen-addresses", "127.0.0.1"]',
              '    network_mode: "service:task-api"',
              '',
            ].join('\n'),
          },
        },
      ],
      notes: [
        'One finding per Service port, at its `ports` item, even when the Service selects several Dapr workloads (all are related locations). An Ingress or HTTPRoute in front of that port is not a separate finding: it is named in the message and listed as a related location, because removing the Service port closes both.',
        'The catalog reports the Service whatever the sidecar listens on. When the sidecar listens on loopback only (the Kubernetes default) the route cannot connect today; the message says so, and the finding stays because one annotation away it is open.',
        'Compose: a mapping without a host address (`"3500:3500"`, `"50001"`, long form without `host_ip`) publishes on every interface; `0.0.0.0:` and `[::]:` too. `127.0.0.1:` and `[::1]:` are fine. A specific non-loopback host address is reported as well (it is reachable from that network); a host address written as a variable is not judged.',
        'Named target ports resolve through the pod\'s container ports and daprd\'s own port names (`dapr-http`, `dapr-grpc`, `dapr-internal`, `dapr-metrics`). Only the HTTP and gRPC API ports count; the internal (50002) and metrics (9090) ports are not the Dapr API.',
      ],
    },
  },
  check({ model, report }) {
    for (const g of groupByServicePort(model)) {
      report({
        message: serviceMessage(g),
        at: { pdoc: g.exposure.route.port.pdoc, node: g.exposure.route.port.node },
        on: g.service,
        path: `spec.ports[${portKey(g.exposure.route)}]`,
        related: serviceRelated(g),
      });
    }
    for (const app of model.apps) {
      for (const e of publishedApiPorts(app)) {
        const shared = e.port.service !== app.app.name;
        report({
          message: composeMessage(app, e),
          at: { pdoc: e.port.pdoc, node: e.port.node },
          on: app,
          path: `services.${e.port.service}.ports[${portText(e).replace(/"/g, '')}]`,
          related: shared ? [{ at: app.app.anchor, label: `daprd ${describeApp(app)}, which shares this service's network` }] : [],
        });
      }
    }
  },
};
