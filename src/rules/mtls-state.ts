// Which sources decide mTLS for a cluster, and whether the repository turns it
// off. Shared by DAPR401 (mtls-disabled), DAPR402 (weak-mtls-settings) and
// DAPR405 (acl-without-mtls).
//
// Dapr's injector and Sentry read `spec.mtls` from ONE Configuration: the one
// named `daprsystem` in the control-plane namespace (dapr/dapr
// pkg/injector/service/pod_patch.go `mTLSEnabled(controlPlaneNamespace, …)`
// does a Get in that namespace; pkg/sentry/config/config.go reads its own
// namespace). Injectors before that change listed every namespace, which is
// why dapr/dapr's e2e suite applies tests/config/ignore_daprsystem_config.yaml
// (a `daprsystem` in namespace `aa`) to prove it is now ignored. The Helm
// chart renders `global.mtls.*` into that same object (dapr_config sub-chart).
import type { Config } from '../engine/config-types.js';
import type { DaprInstall, ValueRef } from '../engine/extract/helm-values.js';
import { installValue } from '../engine/extract/helm-values.js';
import type { AppInstance, Instance, Model, Placement } from '../engine/model.js';
import { ruleEntry } from '../engine/policy.js';
import type { NodeRef, ResourceOf } from '../engine/resources.js';
import type { Environment } from '../engine/types.js';
import { asScalar, childPath, scalarText, type YNode } from '../engine/yaml.js';
import { isTruthy } from '../knowledge/annotations.js';
import type { ReportInput } from './types.js';

export const SYSTEM_CONFIG_NAME = 'daprsystem';
/** Where `helm install dapr` and `dapr init -k` put the control plane unless told otherwise. */
export const DEFAULT_CONTROL_PLANE_NAMESPACE = 'dapr-system';
export const MTLS_RULE = { id: 'DAPR401', name: 'mtls-disabled' } as const;
export const CONTROL_PLANE_OPTION = 'controlPlaneNamespaces';

export type ConfigurationInstance = Instance<ResourceOf<'configuration'>>;
export type PlacedInstall = DaprInstall & Placement;

/**
 * How Dapr treats a Configuration's `spec.mtls`:
 * - `system`: the `daprsystem` Configuration of the control plane (authoritative);
 * - `misplaced-system`: named `daprsystem` but in a namespace the manifest states and that is not a control-plane namespace (ignored);
 * - `app`: any other Kubernetes Configuration (ignored);
 * - `self-hosted`: in the pseudo-namespace of a Multi-App Run or compose project (see selfHostedAppMtlsOn for who reads its spec.mtls).
 */
export type ConfigurationRole = 'system' | 'misplaced-system' | 'app' | 'self-hosted';

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Control-plane namespaces: `dapr-system`, the namespaces the repository installs the Dapr chart into, and DAPR401's option. */
export function controlPlaneNamespaces(model: Model, config: Config): Set<string> {
  const out = new Set<string>([DEFAULT_CONTROL_PLANE_NAMESPACE]);
  // An install without a stated namespace was placed in defaultNamespace by the model; that says nothing.
  for (const i of model.daprInstalls) if (i.namespace !== config.defaultNamespace) out.add(i.namespace);
  const configured = ruleEntry(config, MTLS_RULE)?.options?.[CONTROL_PLANE_OPTION];
  if (isStringList(configured)) for (const ns of configured) out.add(ns);
  return out;
}

/** Whether the repository says which namespace the object goes to (metadata.namespace, or a kustomization's namespace). */
function namespaceStated(inst: ConfigurationInstance, config: Config): boolean {
  return inst.resource.declaredNamespace !== undefined || inst.namespace !== config.defaultNamespace;
}

export function configurationRole(inst: ConfigurationInstance, controlPlane: ReadonlySet<string>, config: Config): ConfigurationRole {
  if (!inst.kubernetes) return 'self-hosted';
  if (inst.resource.name !== SYSTEM_CONFIG_NAME) return 'app';
  // Without a stated namespace, `kubectl apply -n` or the GitOps tool decides; the name shows the author means the control plane.
  if (!namespaceStated(inst, config) || controlPlane.has(inst.namespace)) return 'system';
  return 'misplaced-system';
}

/** `spec.mtls.<field>` of a Configuration, when written. */
export function mtlsField(inst: ConfigurationInstance, field: string): YNode {
  const r = inst.resource;
  return childPath(r.root, ['spec', 'mtls', field], r.pdoc);
}

/**
 * A boolean written as false: YAML `false` (and YAML 1.1 `off`/`no`), or the
 * text "false" in any case. A quoted "false" is not what the CRD accepts, but
 * it says what the author wants, and Helm renders it unquoted.
 */
export function isFalseValue(node: unknown, pdoc: NodeRef['pdoc']): boolean {
  const s = asScalar(node, pdoc);
  if (!s) return false;
  if (s.value === false) return true;
  return typeof s.value === 'string' && s.value.trim().toLowerCase() === 'false';
}

export function isFalseText(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'false';
}

/** A place that turns mTLS off for a whole cluster. */
export interface MtlsOffSource {
  /** The `enabled: false` value. */
  at: NodeRef;
  environment: Environment;
  /** For messages: `Configuration "daprsystem" in namespace "dapr-system"`, `HelmRelease "dapr" of chart dapr`. */
  description: string;
  /** The file that holds the value. */
  file: string;
  configuration?: ConfigurationInstance;
  install?: PlacedInstall;
  /** The Helm value, with the dotted path as written. */
  value?: ValueRef;
}

/** Environment, namespace and identity of a finding about a chart install (it is no resource instance). */
export function installReportBase(install: PlacedInstall, config: Config): Pick<ReportInput, 'environment' | 'namespace' | 'resourceKey'> {
  return {
    environment: install.environment,
    // The model places an install without a stated namespace in the default one: that is no placement to print.
    ...(install.namespace !== config.defaultNamespace ? { namespace: install.namespace } : {}),
    resourceKey: `${install.source}/${install.description}`,
  };
}

/** Values of the `dapr_config` sub-chart that stop `global.mtls.*` from reaching a `daprsystem` Configuration. */
export function helmMtlsReachesCluster(install: PlacedInstall): boolean {
  return !isFalseText(installValue(install, 'dapr_config.dapr_config_chart_included')?.value);
}

function configurationSources(model: Model, config: Config, controlPlane: ReadonlySet<string>): MtlsOffSource[] {
  const out: MtlsOffSource[] = [];
  for (const inst of model.ofType('configuration')) {
    if (configurationRole(inst, controlPlane, config) !== 'system') continue;
    const enabled = mtlsField(inst, 'enabled');
    if (!isFalseValue(enabled, inst.resource.pdoc)) continue;
    out.push({
      at: { pdoc: inst.resource.pdoc, node: enabled },
      environment: inst.environment,
      description: `Configuration "${SYSTEM_CONFIG_NAME}"${namespaceStated(inst, config) ? ` in namespace "${inst.namespace}"` : ''}`,
      file: inst.resource.pdoc.file.path,
      configuration: inst,
    });
  }
  return out;
}

function helmSources(model: Model): MtlsOffSource[] {
  const out: MtlsOffSource[] = [];
  for (const install of model.daprInstalls) {
    const value = installValue(install, 'global.mtls.enabled');
    if (!value || !isFalseText(value.value) || !helmMtlsReachesCluster(install)) continue;
    out.push({ at: value, environment: install.environment, description: install.description, file: value.pdoc.file.path, install, value });
  }
  return out;
}

/** Every authoritative source in the repository that disables mTLS cluster-wide (what DAPR401 reports at its own levels). */
export function clusterMtlsDisabled(model: Model, config: Config): MtlsOffSource[] {
  const controlPlane = controlPlaneNamespaces(model, config);
  return [...configurationSources(model, config, controlPlane), ...helmSources(model)];
}

/**
 * Whether a source can speak for a resource: same environment, or either side
 * unclassified (a dev cluster's values must not condemn a production Configuration).
 */
export function appliesTo(source: { environment: Environment }, target: { environment: Environment }): boolean {
  return source.environment === 'unclassified' || target.environment === 'unclassified' || source.environment === target.environment;
}

/** The value's text for messages (`false`, `"false"`). */
export function valueText(node: unknown, pdoc: NodeRef['pdoc']): string {
  return scalarText(node, pdoc) ?? '';
}

/** Multi-App Run apps / compose services that load this Configuration as their config file. */
export function selfHostedUsers(model: Model, inst: ConfigurationInstance): AppInstance[] {
  if (inst.kubernetes) return [];
  const file = inst.resource.pdoc.file.path;
  return model.apps.filter((a) => !a.kubernetes && a.namespace === inst.namespace && a.app.configFile?.value === file);
}

/**
 * Whether a Multi-App Run config file turns mTLS on for its daprd: only a real
 * boolean true does, since the CLI decodes `spec.mtls.enabled` into a Go bool
 * and adds `--enable-mtls` only when that works and is true (dapr/cli
 * pkg/standalone/run.go `mtlsEndpoint`).
 */
export function selfHostedMtlsOn(inst: ConfigurationInstance): boolean {
  return asScalar(mtlsField(inst, 'enabled'), inst.resource.pdoc)?.value === true;
}

/**
 * Whether a self-hosted app's daprd runs with mTLS: a compose daprd only with
 * its own `--enable-mtls` flag (no CLI reads the config file for it); a
 * Multi-App Run app when its config file says so.
 */
export function selfHostedAppMtlsOn(app: AppInstance, configFile: ConfigurationInstance): boolean {
  if (app.app.source === 'compose') return isTruthy(app.app.settings.get('enable-mtls')?.value);
  return selfHostedMtlsOn(configFile);
}
