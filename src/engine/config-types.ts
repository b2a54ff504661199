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
}

export const DEFAULT_CONFIG: Config = {
  defaultNamespace: 'default',
  environments: {},
  knownAppIds: [],
  allowedSidecarImages: [],
  certificateExpiryDays: 30,
  rules: {},
  maxFileSize: 5 * 1024 * 1024,
};

export interface LoadedConfig {
  config: Config;
  /** Root-relative or absolute path of the file it came from; undefined for built-in defaults. */
  file?: string;
}
