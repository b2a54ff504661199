// Which tokens a sidecar gets, whatever wrote them: the token annotations, or
// DAPR_API_TOKEN / APP_API_TOKEN set through `dapr.io/env-from-secret` or
// `dapr.io/env` (the injector turns both into plain env vars on daprd, which
// daprd reads like the annotation-made ones), or a compose `environment`.
// Shared by DAPR302 and DAPR303 (dapr-security-facts.md §2).
import type { AppInstance } from '../engine/model.js';
import type { NodeRef, Setting } from '../engine/resources.js';
import { substringOffsets } from '../engine/yaml.js';

export const API_TOKEN_ENV = 'DAPR_API_TOKEN';
export const APP_TOKEN_ENV = 'APP_API_TOKEN';

/** One `K=secret[:key]` entry of `dapr.io/env-from-secret`. */
export interface EnvFromSecretEntry {
  variable: string;
  secret: string;
  /** The Secret key; the injector uses the Secret's name when none is given. */
  key: string;
  /** Where the entry is in the annotation (the whole scalar when it cannot be pinned down). */
  at: NodeRef;
}

/**
 * Parses `dapr.io/env-from-secret` as the injector does: comma-separated
 * `K=secret` or `K=secret:key` (dapr/dapr pkg/injector/patcher sidecar tests:
 * `SECRET3=NAME3` becomes secretKeyRef NAME3/NAME3).
 */
export function envFromSecretEntries(setting: Setting | undefined): EnvFromSecretEntry[] {
  if (!setting) return [];
  const out: EnvFromSecretEntry[] = [];
  let start = 0;
  for (const raw of setting.value.split(',')) {
    const entryStart = start;
    start += raw.length + 1;
    const eq = raw.indexOf('=');
    if (eq === -1) continue;
    const variable = raw.slice(0, eq).trim();
    const ref = raw.slice(eq + 1).trim();
    const colon = ref.indexOf(':');
    const secret = colon === -1 ? ref : ref.slice(0, colon);
    if (!variable || !secret) continue;
    const lead = raw.length - raw.trimStart().length;
    const offsets = substringOffsets(setting.pdoc, setting.node, entryStart + lead, raw.trim().length);
    const at: NodeRef = offsets ? { pdoc: setting.pdoc, node: setting.node, offsets } : { pdoc: setting.pdoc, node: setting.node };
    out.push({ variable, secret, key: colon === -1 ? secret : ref.slice(colon + 1), at });
  }
  return out;
}

/** Variable names set by `dapr.io/env` (`K=V,K2=V2`). */
function envAnnotationKeys(setting: Setting | undefined): Set<string> {
  const keys = new Set<string>();
  for (const part of setting?.value.split(',') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) keys.add(part.slice(0, eq).trim());
  }
  return keys;
}

/** A token annotation counts when it names something: the injector adds the env var only for a non-empty name. */
export function isSet(setting: Setting | undefined): boolean {
  return setting !== undefined && setting.value.trim() !== '';
}

/**
 * True when daprd gets an API token. Kubernetes: a non-empty
 * `dapr.io/api-token-secret`, or DAPR_API_TOKEN from `env-from-secret` / `env`.
 * Compose: DAPR_API_TOKEN in `environment`, or any `env_file` (its contents are
 * not read, so it may set it). Multi-App Run: unknown (daprd inherits the
 * shell's environment), reported as set so that no rule guesses.
 */
export function hasApiToken(app: AppInstance): boolean {
  return hasToken(app, 'api-token-secret', API_TOKEN_ENV);
}

function hasToken(app: AppInstance, annotation: string, variable: string): boolean {
  const a = app.app;
  if (a.source === 'kubernetes') {
    if (isSet(a.settings.get(annotation))) return true;
    if (envFromSecretEntries(a.settings.get('env-from-secret')).some((e) => e.variable === variable)) return true;
    return envAnnotationKeys(a.settings.get('env')).has(variable);
  }
  if (a.source === 'compose') return (a.environment?.has(variable) ?? false) || (a.envFiles?.length ?? 0) > 0;
  return true;
}
