// DAPR302 api-token-required: the Dapr API is reachable beyond the app
// container and no API token protects it. The reasons are other rules'
// predicates (DAPR301 listen addresses, DAPR310 Services and published ports)
// plus what the pod spec shows (extra containers, hostNetwork).
import type { AppInstance, Model } from '../engine/model.js';
import type { Container, NodeRef } from '../engine/resources.js';
import { child } from '../engine/yaml.js';
import { describeExposed, publicListen } from './DAPR301-sidecar-listens-publicly.js';
import { describeServicePort, exposedServiceRoutes, publishedApiPorts } from './DAPR310-dapr-api-exposed.js';
import { daprAnnotations, deployment } from './examples.js';
import { describe, describeApp, missingAnnotationAnchor, quoteList } from './helpers.js';
import { API_TOKEN_ENV, hasApiToken } from './sidecar-tokens.js';
import type { Rule } from './types.js';

const ANNOTATION = 'dapr.io/api-token-secret';

/** Why the API is reachable beyond the app, with where that is written. */
interface Reason {
  text: string;
  related: Array<{ at: NodeRef; label: string }>;
}

/** Containers other than an already-injected daprd: each shares the pod's network, so each reaches the API on localhost. */
function appContainers(app: AppInstance): Container[] {
  return (app.app.pod?.containers ?? []).filter((c) => c.name !== 'daprd');
}

function containerReason(app: AppInstance): Reason | undefined {
  const containers = appContainers(app);
  if (containers.length < 2 || !app.app.pod) return undefined;
  const pdoc = app.app.resource?.pdoc;
  if (!pdoc) return undefined;
  const names = containers.map((c) => c.name ?? '(unnamed)');
  return {
    text: `the pod runs ${containers.length} containers (${quoteList(names)}) that share its network, and each reaches the API on localhost`,
    related: containers.slice(1).map((c) => ({ at: { pdoc, node: c.anchor }, label: `container "${c.name ?? '(unnamed)'}" shares the pod network` })),
  };
}

function hostNetworkReason(app: AppInstance): Reason | undefined {
  const hn = app.app.pod?.hostNetwork;
  if (!hn?.enabled) return undefined;
  return { text: "hostNetwork: true puts the sidecar's ports on the node's network", related: [{ at: { pdoc: hn.pdoc, node: hn.node }, label: 'hostNetwork: true' }] };
}

function listenReason(app: AppInstance): Reason | undefined {
  const p = publicListen(app);
  if (!p) return undefined;
  if (!p.setting) {
    const flag = app.app.source === 'compose' ? '--dapr-listen-addresses' : 'apiListenAddresses';
    return { text: `daprd listens on all interfaces (no ${flag})`, related: [] };
  }
  const at: NodeRef = { pdoc: p.setting.pdoc, node: p.setting.node, ...(p.setting.offsets ? { offsets: p.setting.offsets } : {}) };
  return { text: `${p.setting.source} "${p.setting.value}" listens beyond loopback (${describeExposed(p)})`, related: [{ at, label: 'listen address (DAPR301)' }] };
}

function serviceReasons(model: Model, app: AppInstance): Reason[] {
  return exposedServiceRoutes(model, app).map((e) => ({
    text: `${describe(e.route.service)} ${describeServicePort(e.route)} routes to its ${e.api} API`,
    related: [{ at: { pdoc: e.route.port.pdoc, node: e.route.port.node }, label: `${describe(e.route.service)} routes to the Dapr ${e.api} API (DAPR310)` }],
  }));
}

function publishedReasons(app: AppInstance): Reason[] {
  return publishedApiPorts(app).map((e) => ({
    text: `port ${e.port.containerPort} (${e.api} API) is published on the host${e.port.service !== app.app.name ? ` by service "${e.port.service}"` : ''}`,
    related: [{ at: { pdoc: e.port.pdoc, node: e.port.node }, label: `publishes the Dapr ${e.api} API (DAPR310)` }],
  }));
}

/** Every reason the catalog lists, for the kinds of app it judges; empty for Multi-App Run. */
export function exposureReasons(model: Model, app: AppInstance): Reason[] {
  const maybe = (r: Reason | undefined): Reason[] => (r ? [r] : []);
  if (app.app.source === 'kubernetes') {
    return [...maybe(containerReason(app)), ...maybe(hostNetworkReason(app)), ...maybe(listenReason(app)), ...serviceReasons(model, app)];
  }
  if (app.app.source === 'compose') return [...maybe(listenReason(app)), ...publishedReasons(app)];
  return [];
}

function kubernetesMessage(app: AppInstance, reasons: Reason[]): string {
  const who = app.app.appId ? `app "${app.app.appId.value}"` : 'the app';
  const has = app.app.settings.has('api-token-secret') ? `an empty ${ANNOTATION} (no token)` : `no ${ANNOTATION}`;
  return (
    `${describeApp(app)} has ${has}, yet its Dapr API is reachable beyond the app container: ${reasons.map((r) => r.text).join('; ')}. ` +
    `Without a token, whatever reaches it can read the app's secrets and state and call other apps as ${who}. ` +
    `Set ${ANNOTATION} to a Secret with key "token", and give the app the same value in ${API_TOKEN_ENV} (the SDKs send it).`
  );
}

function composeMessage(app: AppInstance, reasons: Reason[]): string {
  return (
    `${describeApp(app)} runs daprd without ${API_TOKEN_ENV}, yet its Dapr API is reachable beyond its app: ${reasons.map((r) => r.text).join('; ')}. ` +
    `Set ${API_TOKEN_ENV} in its environment (from an env_file or \${VAR}, not a literal) and give the app the same value, or keep the API on loopback.`
  );
}

/** A present but empty annotation is a wrong value; a missing one points where annotations go. */
function anchorFor(app: AppInstance): NodeRef {
  if (app.app.source !== 'kubernetes') return app.app.anchor;
  const empty = app.app.settings.get('api-token-secret');
  return empty ? { pdoc: empty.pdoc, node: empty.node } : missingAnnotationAnchor(app.app);
}

export const rule: Rule = {
  meta: {
    id: 'DAPR302',
    name: 'api-token-required',
    shortDescription: 'The Dapr API is reachable beyond the app container and no API token protects it.',
    fullDescription:
      'Reports a Dapr-enabled workload without `dapr.io/api-token-secret` (nor DAPR_API_TOKEN through `dapr.io/env-from-secret` / `dapr.io/env`) whose Dapr API is reachable by more than its app: the pod has more than one non-Dapr container (init containers excluded), or `hostNetwork: true`, or DAPR301 fires for it (a non-loopback listen address), or a Service/Ingress routes to its Dapr API ports (DAPR310). Compose: a daprd service that listens beyond loopback (DAPR301) or publishes its API ports (DAPR310) with no DAPR_API_TOKEN in its `environment` and no `env_file`. Multi-App Run apps are not judged (daprd inherits the shell\'s environment, which the repository does not show; DAPR301 covers them). Related locations are the reasons.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 7.5,
    tags: ['security', 'authentication', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'Without `DAPR_API_TOKEN`, daprd accepts every call on its API: no header, no identity check, no warning. That is acceptable only while the app is the sole caller. Another container in the pod, a process on the node (hostNetwork), a pod that reaches a public listen address, or a client behind a Service can then read the app\'s secrets, write its state and invoke other apps with its identity.',
      fix: 'Create a Secret with key `token` and set `dapr.io/api-token-secret` to its name; give the app the same value in `DAPR_API_TOKEN` (the Dapr SDKs send it as the `dapr-api-token` header). Better still, remove the exposure (DAPR301, DAPR310, DAPR311). Compose: set `DAPR_API_TOKEN` on the daprd service from an env file or `${VAR}`.',
      incorrect: [
        {
          title: 'hostNetwork and no API token',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api'), { podSpec: ['hostNetwork: true'] }) },
        },
      ],
      correct: [
        {
          title: 'The API token is set',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/api-token-secret: "task-api-dapr-token"']), { podSpec: ['hostNetwork: true'] }) },
        },
        {
          title: 'Nothing but the app reaches the API: no token needed',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api')) },
        },
      ],
      notes: [
        'DAPR_API_TOKEN set through `dapr.io/env-from-secret` (or, in plain text, `dapr.io/env`, which DAPR206 reports) counts as set: the injector puts it on daprd as an ordinary env var, which daprd reads like the one the annotation creates. An annotation present with an empty value does not count; the finding then points at that value.',
        'Compose: a `DAPR_API_TOKEN` entry in `environment` counts whatever its value (`${VAR}` interpolation is common). An `env_file` also counts as set, because its contents are not read: the file may or may not define the token.',
        '"Non-Dapr containers" are the pod\'s `containers` other than one named `daprd` (a pre-injected sidecar). Init containers are excluded, as the catalog says, even native sidecars (`restartPolicy: Always`).',
        'The listen-address and Service conditions are exactly DAPR301 and DAPR310; a pod whose API is on a Unix domain socket is not reported through DAPR301.',
      ],
    },
  },
  check({ model, report }) {
    for (const app of model.apps) {
      if (!app.app.enabled || hasApiToken(app)) continue;
      const reasons = exposureReasons(model, app);
      if (reasons.length === 0) continue;
      const kubernetes = app.app.source === 'kubernetes';
      report({
        message: kubernetes ? kubernetesMessage(app, reasons) : composeMessage(app, reasons),
        at: anchorFor(app),
        on: app,
        path: kubernetes ? ANNOTATION : `environment.${API_TOKEN_ENV}`,
        related: reasons.flatMap((r) => r.related),
      });
    }
  },
};
