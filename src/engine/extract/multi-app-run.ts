// extract: a Multi-App Run template (`dapr run -f dapr.yaml`): `common` plus
// `apps[]`, app values winning, mapped to the settings vocabulary that pod
// annotations use, so the same rules judge both. Keys and precedence follow
// dapr/cli pkg/runfileconfig (dapr-security-facts.md §6).
import path from 'node:path';
import type { DaprApp, MultiAppRun, Setting, Str } from '../resources.js';
import { asMap, child, mapEntries, pairOf, type ParsedDoc, scalarText, seqItems } from '../yaml.js';
import { text } from './kubernetes.js';
import { resolveLocal } from './kustomize.js';

/** Template key → annotation-style setting name. */
export const MULTI_APP_RUN_KEYS: Readonly<Record<string, string>> = {
  appID: 'app-id',
  appPort: 'app-port',
  appProtocol: 'app-protocol',
  appSSL: 'app-ssl',
  appChannelAddress: 'app-channel-address',
  apiListenAddresses: 'sidecar-listen-addresses',
  enableApiLogging: 'enable-api-logging',
  enableProfiling: 'enable-profiling',
  profilePort: 'profile-port',
  logLevel: 'log-level',
  appMaxConcurrency: 'app-max-concurrency',
  daprHTTPPort: 'http-port',
  daprGRPCPort: 'grpc-port',
  daprInternalGRPCPort: 'internal-grpc-port',
  metricsPort: 'metrics-port',
  placementHostAddress: 'placement-host-address',
  schedulerHostAddress: 'scheduler-host-address',
  unixDomainSocket: 'unix-domain-socket-path',
  maxBodySize: 'max-body-size',
  readBufferSize: 'read-buffer-size',
  enableAppHealthCheck: 'enable-app-health-check',
  appHealthCheckPath: 'app-health-check-path',
  appHealthProbeInterval: 'app-health-probe-interval',
  appHealthProbeTimeout: 'app-health-probe-timeout',
  appHealthThreshold: 'app-health-threshold',
  configFilePath: 'config',
};

/** A Multi-App Run template: `version` plus an `apps` list whose entries name an app folder or id. */
export function isMultiAppRun(pdoc: ParsedDoc): boolean {
  const root = asMap(pdoc.doc.contents, pdoc);
  if (!root || !pairOf(root, 'version', pdoc) || child(root, 'apiVersion', pdoc) !== undefined) return false;
  const apps = seqItems(child(root, 'apps', pdoc), pdoc);
  return apps.length > 0 && apps.some((a) => child(a, 'appDirPath', pdoc) !== undefined || child(a, 'appID', pdoc) !== undefined);
}

export interface RepoIndex {
  /** True when some discovered file lies under this root-relative folder. */
  hasDir(dir: string): boolean;
  hasFile(file: string): boolean;
}

function settingsOf(pdoc: ParsedDoc, node: unknown, into: Map<string, Setting>): void {
  for (const { key, pair, value } of mapEntries(node, pdoc)) {
    const name = MULTI_APP_RUN_KEYS[key];
    if (!name) continue;
    const v = scalarText(value, pdoc);
    if (v === undefined) continue;
    into.set(name, { name, value: v, source: key, pdoc, node: value, keyNode: pair.key });
  }
}

function resourcesPathsOf(pdoc: ParsedDoc, node: unknown, baseDir: string): string[] | undefined {
  const list = child(node, 'resourcesPaths', pdoc);
  const single = child(node, 'resourcesPath', pdoc);
  if (list === undefined && single === undefined) return undefined;
  const refs = [...seqItems(list, pdoc).map((n) => scalarText(n, pdoc)), scalarText(single, pdoc)];
  return refs.filter((r): r is string => !!r).map((r) => resolveLocal(baseDir, r)).filter((r): r is string => r !== undefined);
}

function configOf(pdoc: ParsedDoc, node: unknown, baseDir: string): Str | undefined {
  const s = text(pdoc, child(node, 'configFilePath', pdoc));
  if (!s) return undefined;
  const resolved = resolveLocal(baseDir, s.value);
  return resolved === undefined ? undefined : { ...s, value: resolved };
}

export function multiAppRun(pdoc: ParsedDoc, repo: RepoIndex): MultiAppRun {
  const root = asMap(pdoc.doc.contents, pdoc);
  const fileDir = path.posix.dirname(pdoc.file.path);
  const baseDir = fileDir === '.' ? '' : fileDir;
  const common = child(root, 'common', pdoc);
  const commonResources = resourcesPathsOf(pdoc, common, baseDir);
  const commonConfig = configOf(pdoc, common, baseDir);
  const apps: DaprApp[] = [];
  for (const appNode of seqItems(child(root, 'apps', pdoc), pdoc)) {
    const map = asMap(appNode, pdoc);
    if (!map) continue;
    const settings = new Map<string, Setting>();
    settingsOf(pdoc, common, settings);
    settingsOf(pdoc, map, settings);
    const dirNode = child(map, 'appDirPath', pdoc);
    const dirText = scalarText(dirNode, pdoc);
    const appDir = dirText !== undefined ? resolveLocal(baseDir, dirText) : undefined;
    const idNode = child(map, 'appID', pdoc);
    const appId = text(pdoc, idNode) ?? (dirText ? { value: path.posix.basename(dirText.replace(/\/+$/, '')), pdoc, node: dirNode } : undefined);
    const dotDapr = appDir !== undefined ? path.posix.join(appDir, '.dapr') : undefined;
    // The CLI resolves an app's own paths against its appDirPath, and common ones against the template's folder
    // (dapr/cli pkg/runfileconfig/run_file_config_parser.go).
    const appBase = appDir ?? baseDir;
    const ownResources = resourcesPathsOf(pdoc, map, appBase);
    const resourcesPaths =
      ownResources ?? (dotDapr && repo.hasDir(path.posix.join(dotDapr, 'resources')) ? [path.posix.join(dotDapr, 'resources')] : commonResources ?? []);
    const ownConfig = configOf(pdoc, map, appBase);
    const dotConfig = dotDapr && repo.hasFile(path.posix.join(dotDapr, 'config.yaml')) ? path.posix.join(dotDapr, 'config.yaml') : undefined;
    const configFile = ownConfig ?? (dotConfig ? { value: dotConfig, pdoc, node: dirNode } : commonConfig);
    const app: DaprApp = {
      source: 'multi-app-run',
      kind: 'App',
      name: appId?.value ?? dirText ?? '(unnamed app)',
      enabled: true,
      anchor: { pdoc, node: idNode ?? dirNode ?? map },
      settings,
      sourceFile: pdoc.file.path,
      resourcesPaths,
    };
    if (appId) app.appId = appId;
    if (configFile) app.configFile = configFile;
    apps.push(app);
  }
  return { pdoc, apps };
}
