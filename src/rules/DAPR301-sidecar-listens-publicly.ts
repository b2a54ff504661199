// DAPR301 sidecar-listens-publicly: the Dapr API listens on more than loopback.
// daprd splits --dapr-listen-addresses on "," and listens on `<entry>:<port>`
// for each entry, so an empty entry (or an empty value) means all interfaces
// (dapr/dapr pkg/runtime/config.go, pkg/api/http/server.go). Its own default is
// "" (all interfaces); the injector passes "[::1],127.0.0.1" unless the
// annotation says otherwise (pkg/injector/patcher/sidecar.go).
import net from 'node:net';
import { isMap, isSeq, type Pair, type YAMLMap } from 'yaml';
import { daprApiPorts } from '../engine/exposure.js';
import type { AppInstance } from '../engine/model.js';
import type { Setting } from '../engine/resources.js';
import { child, mapEntries, scalarText } from '../engine/yaml.js';
import { daprAnnotations, deployment } from './examples.js';
import { addToMapFix, isOwnAnnotation, replaceScalarFix } from './fix-helpers.js';
import { describeApp, missingAnnotationAnchor, quoteList } from './helpers.js';
import type { Fix, LevelTable, Rule } from './types.js';

const LISTEN = 'sidecar-listen-addresses';
const ANNOTATION = 'dapr.io/sidecar-listen-addresses';
const REQUIRE_EXPLICIT_LEVELS: LevelTable = { default: 'note' };

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
const UNSPECIFIED = new net.BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

/** How daprd binds one entry of the listen-address list. */
export type EntryKind = 'loopback' | 'all-interfaces' | 'interface' | 'not-judged';

export function classifyListenEntry(entry: string): EntryKind {
  const t = entry.trim();
  if (t === '') return 'all-interfaces'; // daprd listens on ":<port>"
  // Go's net.Listen resolves a host name to one of its addresses; localhost is loopback.
  if (t.toLowerCase() === 'localhost') return 'loopback';
  const bare = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  const version = net.isIP(bare);
  if (version === 0) return 'not-judged'; // a host name or a placeholder: DAPR005 judges the value
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(bare, family)) return 'loopback';
  return UNSPECIFIED.check(bare, family) ? 'all-interfaces' : 'interface';
}

/** A sidecar whose Dapr API listens beyond loopback. */
export interface PublicListen {
  /** The listen-address setting, when one is written. */
  setting?: Setting;
  /** Entries that are not loopback, as written (trimmed; '' for an empty entry). */
  exposed: Array<{ entry: string; kind: Exclude<EntryKind, 'loopback' | 'not-judged'> }>;
}

/** Over a Unix domain socket the API servers do not listen on TCP at all (pkg/api/http/server.go). */
function usesUnixSocket(app: AppInstance): boolean {
  return (app.app.settings.get('unix-domain-socket-path')?.value.trim() ?? '') !== '';
}

function exposedEntries(value: string): PublicListen['exposed'] {
  const out: PublicListen['exposed'] = [];
  for (const entry of value.split(',')) {
    const kind = classifyListenEntry(entry);
    if (kind === 'all-interfaces' || kind === 'interface') out.push({ entry: entry.trim(), kind });
  }
  return out;
}

/**
 * The predicate of DAPR301, shared with DAPR302: why an enabled app's Dapr API
 * listens beyond loopback, or undefined when it does not. On Kubernetes a
 * missing annotation is the injector's loopback default; a self-hosted daprd
 * without the flag or template key listens on all interfaces.
 */
export function publicListen(app: AppInstance): PublicListen | undefined {
  if (!app.app.enabled || usesUnixSocket(app)) return undefined;
  const setting = app.app.settings.get(LISTEN);
  if (!setting) return app.app.source === 'kubernetes' ? undefined : { exposed: [{ entry: '', kind: 'all-interfaces' }] };
  const exposed = exposedEntries(setting.value);
  return exposed.length > 0 ? { setting, exposed } : undefined;
}

/** `"0.0.0.0" listens on all interfaces`, for messages (never a secret: these are addresses). */
export function describeExposed(p: PublicListen): string {
  const all = p.exposed.filter((e) => e.kind === 'all-interfaces');
  const other = p.exposed.filter((e) => e.kind === 'interface');
  const parts: string[] = [];
  if (all.some((e) => e.entry === '')) parts.push(p.setting?.value.trim() === '' ? 'an empty value listens on all interfaces' : 'an empty entry listens on all interfaces');
  const named = all.filter((e) => e.entry !== '');
  if (named.length) parts.push(`${quoteList(named.map((e) => e.entry))} ${named.length === 1 ? 'is' : 'are'} all interfaces`);
  if (other.length) parts.push(`${quoteList(other.map((e) => e.entry))} ${other.length === 1 ? 'is a' : 'are'} non-loopback ${other.length === 1 ? 'address' : 'addresses'}`);
  return parts.join('; ');
}

function portsText(app: AppInstance): string {
  const { http, grpc } = daprApiPorts(app);
  return `HTTP ${http}, gRPC ${grpc}`;
}

function whoCanCall(app: AppInstance): string {
  if (app.app.source === 'kubernetes') return 'any pod that can reach the pod IP can call it without going through the app';
  if (app.app.source === 'compose') return 'every container that reaches it on the compose network can call it';
  return 'anyone who can reach the machine can call it';
}

/** `Multi-App Run apps "a", "b"` for a `common` key shared by several apps. */
function describeApps(apps: AppInstance[]): string {
  if (apps.length > 1 && apps.every((a) => a.app.source === 'multi-app-run')) return `Multi-App Run apps ${quoteList(apps.map((a) => a.app.name))}`;
  return apps.map(describeApp).join(', ');
}

/** Whether a compose daprd service declares `network_mode: service:<app>` (read from the file that names the service). */
function sharesAppNetwork(app: AppInstance): boolean {
  const { pdoc, node } = app.app.anchor;
  const services = mapEntries(child(pdoc.doc.contents, 'services', pdoc), pdoc);
  const own = services.find((e) => e.pair.key === node);
  return /^service:/.test(scalarText(child(own?.value, 'network_mode', pdoc), pdoc) ?? '');
}

function missingSelfHostedMessage(apps: AppInstance[]): string {
  const first = apps[0];
  const names = describeApps(apps);
  if (first.app.source === 'compose') {
    const network = sharesAppNetwork(first)
      ? 'the app shares its network (network_mode) and still reaches it on localhost'
      : 'give it the app\'s network (network_mode: "service:<app>") so the app still reaches it on localhost';
    return `${names} starts daprd without --dapr-listen-addresses: daprd then listens on all interfaces (its default is empty), so ${whoCanCall(first)} (${portsText(first)}) without a token. Add "--dapr-listen-addresses", "127.0.0.1" to its command; ${network}.`;
  }
  return `${names} sets no apiListenAddresses: daprd then listens on all interfaces of the machine (its default is empty), so ${whoCanCall(first)} (${portsText(first)}) without a token. Add apiListenAddresses: "127.0.0.1" to the app or to common.`;
}

function valueMessage(apps: AppInstance[], p: PublicListen, setting: Setting): string {
  const first = apps[0];
  const fix = first.app.source === 'kubernetes' ? `Use "127.0.0.1" (or remove the annotation: the injector's default "[::1],127.0.0.1" is loopback)` : 'Use "127.0.0.1"';
  const shared = apps.length > 1 ? ' (set under common, so for every app)' : '';
  return `${setting.source} "${setting.value}"${shared} makes the Dapr API of ${describeApps(apps)} (${portsText(first)}) listen beyond loopback (${describeExposed(p)}): ${whoCanCall(first)}. ${fix}, and set an API token if other callers really need it.`;
}

type Found = { app: AppInstance; p: PublicListen };

const LOOPBACK_ADDRESS = '127.0.0.1';

/**
 * `--fix` for a written listen address: the whole value becomes 127.0.0.1.
 * Kubernetes: only an annotation of the workload's own map; Multi-App Run: the
 * app's or common's key. A compose flag inside `command` is not fixed.
 */
function valueFix(app: AppInstance, setting: Setting): Fix | undefined {
  if (setting.offsets) return undefined; // a flag inside a compose command string
  const description = `Set ${setting.source} to "${LOOPBACK_ADDRESS}"`;
  if (app.app.source === 'kubernetes') {
    const ann = app.app.pod?.annotations.get(setting.source);
    if (!ann || ann.valueNode !== setting.node || !isOwnAnnotation(app.app.pod, ann)) return undefined;
    return replaceScalarFix(setting.pdoc, setting.node, LOOPBACK_ADDRESS, description);
  }
  if (app.app.source === 'multi-app-run') return replaceScalarFix(setting.pdoc, setting.node, LOOPBACK_ADDRESS, description);
  return undefined;
}

/** The Multi-App Run app's own map (the `apps` entry whose anchor this is) and the pair of its anchor key. */
function appEntry(app: AppInstance): { map: YAMLMap<unknown, unknown>; anchor: Pair<unknown, unknown> } | undefined {
  const { pdoc, node } = app.app.anchor;
  const apps = child(pdoc.doc.contents, 'apps', pdoc);
  if (!isSeq(apps)) return undefined;
  for (const item of apps.items) {
    if (!isMap(item)) continue;
    const anchor = item.items.find((p) => p.value === node);
    if (anchor) return { map: item, anchor };
  }
  return undefined;
}

/**
 * `--fix` for a Multi-App Run app without apiListenAddresses: add
 * `apiListenAddresses: "127.0.0.1"` to the app's own entry, on the line after
 * its appID (or appDirPath). Safe because `dapr run -f` starts the app and its
 * daprd on the same machine, so the app still reaches the API on loopback, and
 * sidecar-to-sidecar invocation uses the internal gRPC port, which this
 * setting does not bind. A compose daprd is not fixed: the flag goes into a
 * `command` (a string or a list, maybe behind an entrypoint), and a daprd on
 * loopback in its own network namespace is unreachable for the app unless the
 * service also shares the app's network (network_mode), which is a decision.
 */
function missingFix(app: AppInstance): Fix | undefined {
  if (app.app.source !== 'multi-app-run') return undefined;
  const entry = appEntry(app);
  if (!entry) return undefined;
  return addToMapFix(app.app.anchor.pdoc, entry.map, entry.anchor, 'apiListenAddresses', LOOPBACK_ADDRESS, `apiListenAddresses: "${LOOPBACK_ADDRESS}"`, `Add apiListenAddresses: "${LOOPBACK_ADDRESS}" to Multi-App Run app "${app.app.name}"`);
}

/**
 * A Multi-App Run key under `common` is one node shared by every app of the
 * file: one finding naming them all. Other apps are reported one by one (the
 * policy stage merges kustomize copies of one workload).
 */
function groupBySetting(items: Found[]): Found[][] {
  const groups = new Map<unknown, Found[]>();
  for (const item of items) {
    const key = item.app.app.source === 'multi-app-run' && item.p.setting ? item.p.setting.node : item;
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return [...groups.values()];
}

export const rule: Rule = {
  meta: {
    id: 'DAPR301',
    name: 'sidecar-listens-publicly',
    shortDescription: 'The Dapr sidecar API listens on a non-loopback address.',
    fullDescription:
      'Reports an enabled Dapr app whose sidecar HTTP and gRPC API listens beyond loopback: `dapr.io/sidecar-listen-addresses` with an entry that is not in 127.0.0.0/8 or ::1 (`0.0.0.0`, `[::]`, a pod IP, an empty entry); a Multi-App Run app (`apiListenAddresses`) or compose daprd (`--dapr-listen-addresses`) with such a value, or with none at all, because daprd then listens on all interfaces. On Kubernetes a missing annotation means the injector default `[::1],127.0.0.1` and is fine; option `requireExplicit: true` reports it as a note. Apps that serve the API over a Unix domain socket are not reported.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 7.5,
    tags: ['security', 'network-exposure', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'The Dapr API is a superuser for the app: it reads and writes its state, fetches its secrets, publishes its events and invokes other apps under its identity. It has no authentication unless an API token is set. Loopback limits it to the containers of the pod (the app). Any other address lets every pod that can reach the pod IP, or every machine that can reach a self-hosted host, act as the app.',
      fix: 'Set the listen address to `127.0.0.1` (Kubernetes: remove the annotation, the default is loopback). If something outside the pod really must call the API, keep it on loopback and put that caller in the pod, or set `dapr.io/api-token-secret` (see DAPR302).',
      incorrect: [
        {
          title: 'Kubernetes: all interfaces',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/sidecar-listen-addresses: "0.0.0.0"'])) },
        },
        {
          title: 'Multi-App Run: no apiListenAddresses, so daprd listens on all interfaces',
          files: { 'dapr.yaml': ['version: 1', 'apps:', '  - appID: task-api', '    appDirPath: ./task-api', '    command: ["python3", "app.py"]', ''].join('\n') },
        },
      ],
      correct: [
        {
          title: 'Kubernetes: loopback (also the default when the annotation is absent)',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/sidecar-listen-addresses: "127.0.0.1"'])) },
        },
        {
          title: 'Multi-App Run: loopback for every app',
          files: { 'dapr.yaml': ['version: 1', 'common:', '  apiListenAddresses: "127.0.0.1"', 'apps:', '  - appID: task-api', '    appDirPath: ./task-api', '    command: ["python3", "app.py"]', ''].join('\n') },
        },
      ],
      notes: [
        'The catalog lists `localhost` as an invalid value (DAPR005). Dapr\'s source disagrees in part: daprd passes each entry to Go\'s `net.Listen` as `<entry>:<port>` (dapr/dapr pkg/api/http/server.go), which resolves `localhost` to a loopback address, so this rule treats `localhost` as loopback and does not report it. Other host names and placeholders are not judged here.',
        'An empty value or an empty entry (`"127.0.0.1,"`) is reported: daprd splits the value on commas (pkg/runtime/config.go) and listens on `:<port>` for the empty entry, which is every interface. Since the injector respects an annotation set to "" (pkg/injector/patcher/sidecar.go `setFromAnnotations`), `dapr.io/sidecar-listen-addresses: ""` also means all interfaces.',
        'With `dapr.io/unix-domain-socket-path` (`unixDomainSocket`, `--unix-domain-socket`) the HTTP and gRPC API servers listen only on the socket, so the listen addresses do not matter and nothing is reported.',
        'A Multi-App Run `apiListenAddresses` under `common` applies to every app: it is reported once, naming them all.',
        'Option `requireExplicit: true` reports Kubernetes apps without the annotation as a note, for teams that want the choice visible in every manifest.',
        '`--fix` sets the value to `127.0.0.1` (keeping its quotes): `dapr.io/sidecar-listen-addresses` of the workload\'s own annotations, or a Multi-App Run `apiListenAddresses` (under the app or under `common`). A Multi-App Run app without the key gets `apiListenAddresses: "127.0.0.1"` on the line after its `appID`: `dapr run -f` starts the app and daprd on one machine, so the app still reaches the API on loopback. A compose daprd is not fixed: its flag lives inside `command` (a string or a list, maybe behind an entrypoint), and a daprd on loopback in its own network namespace is unreachable for the app unless the service also shares the app\'s network (`network_mode: "service:<app>"`), which is your decision. The `requireExplicit` note is not fixed either: the default is already loopback.',
      ],
    },
    options: [
      {
        name: 'requireExplicit',
        description: 'Also report (as a note) a Kubernetes workload without `dapr.io/sidecar-listen-addresses`, although the injector default is loopback.',
        schema: { type: 'boolean' },
        default: false,
      },
    ],
  },
  keepsTree: (r) => r.type === 'workload' && r.pod.annotations.has(ANNOTATION),
  check({ model, options, report }) {
    const found: Found[] = [];
    for (const app of model.apps) {
      if (!app.app.enabled) continue;
      const p = publicListen(app);
      if (p) found.push({ app, p });
      else if (options.requireExplicit === true && app.app.source === 'kubernetes' && !app.app.settings.has(LISTEN)) {
        report({
          message: `${describeApp(app)} does not set ${ANNOTATION}: the injector default "[::1],127.0.0.1" (loopback) applies. Write it explicitly ("127.0.0.1") so the choice is visible and reviewed.`,
          at: missingAnnotationAnchor(app.app),
          on: app,
          path: ANNOTATION,
          levels: REQUIRE_EXPLICIT_LEVELS,
        });
      }
    }
    for (const group of groupBySetting(found)) {
      const { app, p } = group[0];
      const apps = group.map((g) => g.app);
      const setting = p.setting;
      report({
        message: setting ? valueMessage(apps, p, setting) : missingSelfHostedMessage(apps),
        at: setting ? { pdoc: setting.pdoc, node: setting.node, ...(setting.offsets ? { offsets: setting.offsets } : {}) } : app.app.anchor,
        on: app,
        path: setting ? setting.source : app.app.source === 'compose' ? '--dapr-listen-addresses' : 'apiListenAddresses',
        fix: () => (setting ? valueFix(app, setting) : missingFix(app)),
      });
    }
  },
};
