// Which Services route to which pods, on which container port: the join that
// tells whether a Dapr sidecar's API is reachable from outside its pod. A
// Service selects pods in its own namespace by labels; its targetPort is a
// number or a container port name, and the injected daprd container names its
// ports dapr-http / dapr-grpc / dapr-internal / dapr-metrics
// (dapr/dapr pkg/injector/sidecar/consts.go).
import type { AppInstance, Instance, Model } from './model.js';
import type { IngressBackend, ResourceOf, ServicePort } from './resources.js';

/** daprd's named ports, resolved with the app's own port settings. */
export function daprPortNames(app: AppInstance): Map<string, number> {
  const s = app.app.settings;
  const num = (name: string, def: number): number => {
    const v = Number(s.get(name)?.value);
    return Number.isInteger(v) && v > 0 ? v : def;
  };
  return new Map([
    ['dapr-http', num('http-port', 3500)],
    ['dapr-grpc', num('grpc-port', 50001)],
    ['dapr-internal', num('internal-grpc-port', 50002)],
    ['dapr-metrics', num('metrics-port', 9090)],
  ]);
}

/** The Dapr API ports of an app: HTTP and gRPC, defaults or its port settings. */
export function daprApiPorts(app: AppInstance): { http: number; grpc: number } {
  const names = daprPortNames(app);
  return { http: names.get('dapr-http') ?? 3500, grpc: names.get('dapr-grpc') ?? 50001 };
}

export interface ServiceRoute {
  service: Instance<ResourceOf<'service'>>;
  port: ServicePort;
  /** The container port the Service forwards to, resolved. */
  targetPort: number;
}

function selects(selector: Map<string, string> | undefined, labels: Map<string, string>): boolean {
  if (!selector || selector.size === 0) return false; // no selector: endpoints are managed by hand
  for (const [k, v] of selector) if (labels.get(k) !== v) return false;
  return true;
}

function resolveTarget(port: ServicePort, app: AppInstance): number | undefined {
  const tp = port.targetPort ?? port.port;
  if (typeof tp === 'number') return tp;
  if (tp === undefined) return undefined;
  const dapr = daprPortNames(app).get(tp);
  if (dapr !== undefined) return dapr;
  for (const c of app.app.pod?.containers ?? []) for (const p of c.ports) if (p.name === tp && p.containerPort !== undefined) return p.containerPort;
  return undefined;
}

/** Every Service port of the app's namespace that routes to the app's pods, with the container port it reaches. */
export function serviceRoutes(model: Model, app: AppInstance): ServiceRoute[] {
  const labels = app.app.pod?.labels;
  if (!labels || !app.kubernetes) return [];
  const out: ServiceRoute[] = [];
  for (const svc of model.instancesIn('service', app.namespace)) {
    if (!selects(svc.resource.selector, labels)) continue;
    for (const port of svc.resource.ports) {
      const target = resolveTarget(port, app);
      if (target !== undefined) out.push({ service: svc, port, targetPort: target });
    }
  }
  return out;
}

export interface IngressRoute {
  ingress: Instance<ResourceOf<'ingress'>>;
  backend: IngressBackend;
}

/** Ingresses and HTTPRoutes of the Service's namespace whose backends name this Service port. */
export function ingressesTo(model: Model, route: ServiceRoute): IngressRoute[] {
  const out: IngressRoute[] = [];
  const svc = route.service.resource;
  for (const ing of model.instancesIn('ingress', route.service.namespace)) {
    for (const backend of ing.resource.backends) {
      if (backend.serviceName !== svc.name) continue;
      const matches = backend.port === undefined || backend.port === route.port.port || backend.port === route.port.name;
      if (matches) out.push({ ingress: ing, backend });
    }
  }
  return out;
}
