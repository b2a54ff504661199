// The shape of rules.config.json once validated (schema/rules.config.schema.json).
import type { LevelSetting } from './types.js';

export type EnvironmentName = 'production' | 'non-production';

export interface EnvironmentMatcher {
  namespaces?: string[];
  paths?: string[];
}

/** A level in the config; "default" keeps the catalog's levels. */
export type ConfigLevel = LevelSetting | 'default';

export interface RuleEntry {
  level?: ConfigLevel;
  environments?: Partial<Record<'production' | 'non-production' | 'unclassified', ConfigLevel>>;
  options?: Record<string, unknown>;
}

export interface CustomRuleDefinition {
  id: string;
  name?: string;
  description?: string;
  /** First sentence of every finding. */
  message: string;
  level?: LevelSetting;
  environments?: Partial<Record<'production' | 'non-production' | 'unclassified', LevelSetting>>;
  securitySeverity?: number;
  helpUri?: string;
  match: {
    kind?: string | string[];
    /** Glob on apiVersion (`dapr.io/*`). */
    apiVersion?: string;
    /** Glob on a Component's spec.type (`state.*`). */
    type?: string;
    /** Glob on the namespace. */
    namespace?: string;
    environment?: 'production' | 'non-production' | 'unclassified';
  };
  /** JSON Schema the matching resource must satisfy. */
  schema: Record<string, unknown> | boolean;
}

/** Rendering of Helm charts and kustomizations (docs/rendering.md): when a binary is there, required (DAPR007 is an error), or off (static only). */
export type RenderMode = 'auto' | 'required' | 'off';

/** One release of a chart: replaces the automatic values-<env>.yaml variants of that chart. */
export interface HelmChartConfig {
  /** Root-relative chart folder (or its Chart.yaml). */
  path: string;
  releaseName?: string;
  /** Release namespace (default: defaultNamespace). */
  namespace?: string;
  /** Root-relative values files, given to helm in order after the chart's values.yaml. */
  valuesFiles?: string[];
  environment?: 'production' | 'non-production' | 'unclassified';
}

export interface HelmConfig {
  /** Absolute path of helm, or a name looked up on PATH (default "helm"). */
  binary?: string;
  charts?: HelmChartConfig[];
}

export interface KustomizeConfig {
  /** Absolute path of kustomize or kubectl, or a name looked up on PATH (default: kustomize, else kubectl). */
  binary?: string;
}

export interface Config {
  include?: string[];
  exclude?: string[];
  defaultNamespace: string;
  environments: Partial<Record<EnvironmentName, EnvironmentMatcher>>;
  knownAppIds: string[];
  nonProductionAppIds?: string[];
  allowedSidecarImages: string[];
  certificateExpiryDays: number;
  /** namespace glob → app-id → component names */
  accessPolicy?: Record<string, Record<string, string[]>>;
  rules: Record<string, ConfigLevel | RuleEntry>;
  customRules?: CustomRuleDefinition[];
  maxFileSize: number;
  /** Documents read from one file; the rest are reported, not checked. */
  maxDocumentsPerFile: number;
  /** yaml's maxAliasCount: how far aliases may expand before a document counts as an alias bomb. */
  maxAliasCount: number;
  /** Nesting of collections in one document; a deeper document is reported, not checked. */
  maxDepth: number;
  /** Bytes read in one scan; files after the one that would pass it (in path order) are reported, not read. */
  maxTotalBytes: number;
  /** Skip documents no rule can read before parsing them (default true). */
  precheck?: boolean;
  /** Whether charts and kustomizations are rendered (default "auto"). */
  render?: RenderMode;
  helm?: HelmConfig;
  kustomize?: KustomizeConfig;
}

export const DEFAULT_CONFIG: Config = {
  defaultNamespace: 'default',
  environments: {},
  knownAppIds: [],
  allowedSidecarImages: [],
  certificateExpiryDays: 30,
  rules: {},
  maxFileSize: 5 * 1024 * 1024,
  maxDocumentsPerFile: 10_000,
  maxAliasCount: 100,
  maxDepth: 100,
  // A scan holds about 90 bytes of memory per byte of YAML it reads (bench/soak.ts); 32 MiB stays well inside Node's default heap.
  maxTotalBytes: 32 * 1024 * 1024,
};

export interface LoadedConfig {
  config: Config;
  /** Root-relative or absolute path of the file it came from; undefined for built-in defaults. */
  file?: string;
}
