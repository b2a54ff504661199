// extract: docker-compose files → daprd sidecars with their flags parsed from
// `command`. A base file and its `*.override.*` file in the same folder are
// merged as `docker compose` does by default (override wins; ports, volumes
// and environment are combined).
import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { DaprApp, EnvVar, PublishedPort, Setting, Str } from '../resources.js';
import { asMap, child, mapEntries, pairOf, type ParsedDoc, scalarText, seqItems, type YNode } from '../yaml.js';
import { resolveLocal } from './kustomize.js';

/** daprd flag (without dashes) → annotation-style setting name. */
export const DAPRD_FLAGS: Readonly<Record<string, string>> = {
  'app-id': 'app-id',
  'app-port': 'app-port',
  'app-protocol': 'app-protocol',
  'app-ssl': 'app-ssl',
  'app-channel-address': 'app-channel-address',
  'app-max-concurrency': 'app-max-concurrency',
  'dapr-listen-addresses': 'sidecar-listen-addresses',
  'dapr-http-port': 'http-port',
  'dapr-grpc-port': 'grpc-port',
  'dapr-internal-grpc-port': 'internal-grpc-port',
  'dapr-public-port': 'public-port',
  'enable-api-logging': 'enable-api-logging',
  'enable-profiling': 'enable-profiling',
  'profile-port': 'profile-port',
  'log-level': 'log-level',
  'log-as-json': 'log-as-json',
  'enable-metrics': 'enable-metrics',
  'metrics-port': 'metrics-port',
  'enable-mtls': 'enable-mtls',
  'sentry-address': 'sentry-address',
  'placement-host-address': 'placement-host-address',
  'scheduler-host-address': 'scheduler-host-address',
  'unix-domain-socket': 'unix-domain-socket-path',
  config: 'config',
  mode: 'mode',
};

/** daprd flags that take no separate value (Go boolean flags). */
const BOOL_FLAGS = new Set(['enable-api-logging', 'enable-profiling', 'enable-metrics', 'enable-mtls', 'app-ssl', 'log-as-json', 'enable-app-health-check', 'disable-builtin-k8s-secret-store']);
const RESOURCE_FLAGS = new Set(['resources-path', 'components-path']);

export function isComposeFile(pdoc: ParsedDoc): boolean {
  const root = asMap(pdoc.doc.contents, pdoc);
  return !!root && isMap(child(root, 'services', pdoc)) && child(root, 'apiVersion', pdoc) === undefined && child(root, 'kind', pdoc) === undefined;
}

/** `docker-compose.override.yml` belongs to `docker-compose.yml` of the same folder. */
export function composeBaseName(file: string): string {
  const dir = path.posix.dirname(file);
  const base = path.posix.basename(file).replace(/\.override(?=\.ya?ml$)/, '');
  return dir === '.' ? base.replace(/\.yml$/, '.yaml') : `${dir}/${base.replace(/\.yml$/, '.yaml')}`;
}

export function isOverrideFile(file: string): boolean {
  return /\.override\.ya?ml$/.test(path.posix.basename(file));
}

interface Fragment {
  pdoc: ParsedDoc;
  name: string;
  keyNode: unknown;
  map: YNode;
}

interface Token extends Str {
  offsets?: [number, number];
}

/** Splits a command into tokens with their positions. A string command is split like a shell would, roughly. */
function commandTokens(pdoc: ParsedDoc, node: YNode): Token[] {
  if (isScalar(node)) {
    const value = scalarText(node, pdoc) ?? '';
    const out: Token[] = [];
    const src = node.range ? pdoc.text.slice(node.range[0], node.range[1]) : '';
    const plainSource = node.range && (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE');
    let cursor = 0;
    for (const m of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
      const tok = m[1] ?? m[2] ?? m[3] ?? '';
      const t: Token = { value: tok, pdoc, node };
      if (plainSource && node.range) {
        const at = src.indexOf(m[0], cursor);
        if (at !== -1) {
          cursor = at + m[0].length;
          const start = node.range[0] + at + (m[1] !== undefined || m[2] !== undefined ? 1 : 0);
          t.offsets = [start, start + tok.length];
        }
      }
      out.push(t);
    }
    return out;
  }
  return seqItems(node, pdoc)
    .map((n) => ({ v: scalarText(n, pdoc), n }))
    .filter((x): x is { v: string; n: YNode } => x.v !== undefined)
    .map((x) => ({ value: x.v, pdoc, node: x.n }));
}

interface ParsedFlags {
  settings: Map<string, Setting>;
  resourcePaths: Token[];
}

function tokenRange(t: Token, skip: number): [number, number] | undefined {
  const n = t.node as { range?: [number, number, number] };
  if (t.offsets) return [t.offsets[0] + skip, t.offsets[1]];
  if (skip && n.range && isScalar(n) && n.type === 'PLAIN') return [n.range[0] + skip, n.range[1]];
  if (skip && n.range && isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE')) return [n.range[0] + 1 + skip, n.range[1] - 1];
  return undefined;
}

function parseFlags(tokens: Token[]): ParsedFlags {
  const settings = new Map<string, Setting>();
  const resourcePaths: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = /^--?([a-z][a-z0-9-]*)(=(.*))?$/.exec(t.value);
    if (!m) continue;
    const flag = m[1];
    let value: string;
    let at: Token;
    let offsets: [number, number] | undefined;
    if (m[2] !== undefined) {
      value = m[3] ?? '';
      at = t;
      offsets = tokenRange(t, t.value.indexOf('=') + 1);
    } else if (BOOL_FLAGS.has(flag)) {
      value = 'true';
      at = t;
      offsets = t.offsets;
    } else {
      const next = tokens[i + 1];
      if (!next) continue;
      value = next.value;
      at = next;
      offsets = next.offsets;
      i++;
    }
    if (RESOURCE_FLAGS.has(flag)) {
      resourcePaths.push({ ...at, value });
      continue;
    }
    const name = DAPRD_FLAGS[flag];
    if (!name) continue;
    // Messages quote the flag as written: Go accepts -flag and --flag alike.
    const s: Setting = { name, value, source: `${t.value.startsWith('--') ? '--' : '-'}${flag}`, pdoc: at.pdoc, node: at.node };
    if (offsets) s.offsets = offsets;
    settings.set(name, s);
  }
  return { settings, resourcePaths };
}

/** Last fragment that defines `key` wins, as in a compose override. */
function lastDefined(frags: Fragment[], key: string): { frag: Fragment; node: YNode } | undefined {
  for (let i = frags.length - 1; i >= 0; i--) {
    const pair = pairOf(asMap(frags[i].map, frags[i].pdoc), key, frags[i].pdoc);
    if (pair) return { frag: frags[i], node: child(frags[i].map, key, frags[i].pdoc) };
  }
  return undefined;
}

function isDaprd(frags: Fragment[]): boolean {
  const image = lastDefined(frags, 'image');
  const imageText = image ? (scalarText(image.node, image.frag.pdoc) ?? '') : '';
  const imageName = imageText.split('@')[0].replace(/:[^/]*$/, '');
  if (/(^|\/)daprd$/.test(imageName)) return true;
  const cmd = lastDefined(frags, 'command') ?? lastDefined(frags, 'entrypoint');
  if (!cmd) return false;
  const first = commandTokens(cmd.frag.pdoc, cmd.node)[0]?.value ?? '';
  return path.posix.basename(first) === 'daprd';
}

function environment(frags: Fragment[]): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const f of frags) {
    const node = child(f.map, 'environment', f.pdoc);
    if (isMap(node)) {
      for (const { key, pair, value } of mapEntries(node, f.pdoc)) {
        const text = scalarText(value, f.pdoc);
        env.set(key, { value: text ?? '', passThrough: value === null || value === undefined || (isScalar(value) && value.value === null), pdoc: f.pdoc, node: pair.key, valueNode: value ?? undefined });
      }
    } else {
      for (const item of seqItems(node, f.pdoc)) {
        const v = scalarText(item, f.pdoc);
        if (!v) continue;
        const eq = v.indexOf('=');
        env.set(eq === -1 ? v : v.slice(0, eq), { value: eq === -1 ? '' : v.slice(eq + 1), passThrough: eq === -1, pdoc: f.pdoc, node: item, valueNode: item });
      }
    }
  }
  return env;
}

function envFiles(frags: Fragment[]): Str[] {
  const out: Str[] = [];
  for (const f of frags) {
    const node = child(f.map, 'env_file', f.pdoc);
    const items = isScalar(node) ? [node] : seqItems(node, f.pdoc);
    for (const item of items) {
      const v = isMap(item) ? scalarText(child(item, 'path', f.pdoc), f.pdoc) : scalarText(item, f.pdoc);
      if (v) out.push({ value: v, pdoc: f.pdoc, node: item });
    }
  }
  return out;
}

/** Parses compose's short port syntax `[ip:][host:]container[/proto]` and the long form. */
function publishedPorts(frags: Fragment[], service: string): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const f of frags) {
    for (const item of seqItems(child(f.map, 'ports', f.pdoc), f.pdoc)) {
      if (isMap(item)) {
        const target = Number(scalarText(child(item, 'target', f.pdoc), f.pdoc));
        if (!Number.isInteger(target)) continue;
        const p: PublishedPort = { pdoc: f.pdoc, node: item, containerPort: target, service };
        const hostIp = scalarText(child(item, 'host_ip', f.pdoc), f.pdoc);
        const published = scalarText(child(item, 'published', f.pdoc), f.pdoc);
        if (hostIp) p.hostIp = hostIp;
        if (published) p.hostPort = published;
        out.push(p);
        continue;
      }
      const spec = scalarText(item, f.pdoc);
      if (!spec) continue;
      const m = /^(?:(\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?(\d+)(?:-\d+)?(?:\/\w+)?$/.exec(spec.trim());
      if (!m) continue;
      const p: PublishedPort = { pdoc: f.pdoc, node: item, containerPort: Number(m[3]), service };
      if (m[1] !== undefined) p.hostIp = m[1].replace(/^\[|\]$/g, '');
      if (m[2] !== undefined) p.hostPort = m[2];
      out.push(p);
    }
  }
  return out;
}

/** Container path → host folder (root-relative) through bind mounts. */
function hostPath(frags: Fragment[], containerPath: string, baseDir: string): string | undefined {
  for (let i = frags.length - 1; i >= 0; i--) {
    const f = frags[i];
    for (const v of seqItems(child(f.map, 'volumes', f.pdoc), f.pdoc)) {
      let source: string | undefined;
      let target: string | undefined;
      if (isMap(v)) {
        source = scalarText(child(v, 'source', f.pdoc), f.pdoc);
        target = scalarText(child(v, 'target', f.pdoc), f.pdoc);
      } else {
        const parts = (scalarText(v, f.pdoc) ?? '').split(':');
        if (parts.length >= 2) [source, target] = parts;
      }
      if (!source || !target || !(source.startsWith('.') || source.startsWith('/'))) continue;
      const t = target.replace(/\/+$/, '');
      const c = containerPath.replace(/\/+$/, '');
      if (c !== t && !c.startsWith(t + '/')) continue;
      if (source.startsWith('/')) return undefined; // an absolute host path is outside the repository
      return resolveLocal(baseDir, path.posix.join(source, c.slice(t.length)));
    }
  }
  return undefined;
}

export function composeFragments(pdoc: ParsedDoc): Fragment[] {
  const root = asMap(pdoc.doc.contents, pdoc);
  return mapEntries(child(root, 'services', pdoc), pdoc).map((e) => ({ pdoc, name: e.key, keyNode: e.pair.key, map: e.value }));
}

/** Builds the daprd apps of one compose project from its files' fragments (base first, overrides after). */
export function composeApps(files: ParsedDoc[]): DaprApp[] {
  const byService = new Map<string, Fragment[]>();
  for (const pdoc of files) {
    for (const frag of composeFragments(pdoc)) {
      const list = byService.get(frag.name) ?? [];
      list.push(frag);
      byService.set(frag.name, list);
    }
  }
  const apps: DaprApp[] = [];
  for (const [name, frags] of [...byService.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (!isDaprd(frags)) continue;
    const main = frags[0];
    const baseDir = path.posix.dirname(main.pdoc.file.path) === '.' ? '' : path.posix.dirname(main.pdoc.file.path);
    const cmd = lastDefined(frags, 'command');
    const tokens = cmd ? commandTokens(cmd.frag.pdoc, cmd.node) : [];
    const { settings, resourcePaths } = parseFlags(tokens);
    const appId = settings.get('app-id');
    let ports = publishedPorts(frags, name);
    const netMode = lastDefined(frags, 'network_mode');
    const netModeText = netMode ? scalarText(netMode.node, netMode.frag.pdoc) : undefined;
    const shared = /^service:(.+)$/.exec(netModeText ?? '');
    if (shared && byService.has(shared[1])) ports = ports.concat(publishedPorts(byService.get(shared[1]) ?? [], shared[1]));
    const app: DaprApp = {
      source: 'compose',
      kind: 'ComposeService',
      name,
      enabled: true,
      anchor: { pdoc: main.pdoc, node: main.keyNode },
      settings,
      sourceFile: main.pdoc.file.path,
      environment: environment(frags),
      envFiles: envFiles(frags),
      publishedPorts: ports,
      resourcesPaths: resourcePaths.map((t) => hostPath(frags, t.value, baseDir)).filter((p): p is string => p !== undefined),
    };
    if (appId) app.appId = { value: appId.value, pdoc: appId.pdoc, node: appId.node, ...(appId.offsets ? { offsets: appId.offsets } : {}) };
    if (netMode && netModeText !== undefined) app.networkMode = { value: netModeText, pdoc: netMode.frag.pdoc, node: netMode.node };
    const config = settings.get('config');
    if (config) {
      const host = hostPath(frags, config.value, baseDir);
      if (host !== undefined) app.configFile = { value: host, pdoc: config.pdoc, node: config.node, ...(config.offsets ? { offsets: config.offsets } : {}) };
    }
    apps.push(app);
  }
  return apps;
}
