// Helpers shared by the sidecar-settings rules (DAPR304–DAPR313): how to name
// a setting the way its author wrote it (pod annotation, Multi-App Run key or
// daprd flag), how to tell the author to write one, and stable fingerprints.
import { DAPRD_FLAGS } from '../engine/extract/compose.js';
import { MULTI_APP_RUN_KEYS } from '../engine/extract/multi-app-run.js';
import type { AppInstance } from '../engine/model.js';
import type { DaprApp, NodeRef, Setting } from '../engine/resources.js';
import { sourcePosition } from '../engine/yaml.js';
import { describeApp } from './helpers.js';

/** Values built at render or run time (Helm, envsubst, shell, Kubernetes `$(VAR)`): the repository does not show the real value. */
export function isTemplated(value: string): boolean {
  return /\{\{|\$\{|\$\(/.test(value);
}

/** Enabled apps: only those get a sidecar. */
export function enabledApps(apps: readonly AppInstance[]): AppInstance[] {
  return apps.filter((a) => a.app.enabled);
}

function invert(map: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [written, name] of Object.entries(map)) if (!out.has(name)) out.set(name, written);
  return out;
}

const TEMPLATE_KEY = invert(MULTI_APP_RUN_KEYS);
const DAPRD_FLAG = invert(DAPRD_FLAGS);

/** How a setting reads in its source: `dapr.io/log-level: "debug"`, `logLevel: debug`, `--log-level debug`. */
export function showSetting(s: Setting): string {
  if (s.source.startsWith('dapr.io/')) return `${s.source}: "${s.value}"`;
  // Go flags take `--flag=value` for any type, and a bare `--flag` for true booleans.
  if (s.source.startsWith('-')) return s.value === 'true' ? s.source : `${s.source}=${s.value}`;
  return `${s.source}: ${s.value}`;
}

/**
 * How to write setting `name` with `value` for this app, in its own vocabulary.
 * Undefined when the source has no way to write it (Multi-App Run has no debug switch).
 */
export function writeSetting(app: DaprApp, name: string, value: string): string | undefined {
  if (app.source === 'kubernetes') return `dapr.io/${name}: "${value}"`;
  if (app.source === 'multi-app-run') {
    const key = TEMPLATE_KEY.get(name);
    return key ? `${key}: ${value}` : undefined;
  }
  const flag = DAPRD_FLAG.get(name);
  if (!flag) return undefined;
  return value === 'true' ? `--${flag}` : `--${flag} ${value}`;
}

/** The name a setting goes by for this app's source (for "is not set" messages). */
export function settingName(app: DaprApp, name: string): string {
  if (app.source === 'kubernetes') return `dapr.io/${name}`;
  if (app.source === 'multi-app-run') return TEMPLATE_KEY.get(name) ?? name;
  const flag = DAPRD_FLAG.get(name);
  return flag ? `--${flag}` : name;
}

/** Stable fingerprint path of a setting: the annotation key, template key or flag, never a line. */
export function settingPath(app: DaprApp, name: string): string {
  return app.source === 'kubernetes' ? `spec.template.metadata.annotations[dapr.io/${name}]` : `settings[${settingName(app, name)}]`;
}

/** (file, line) of a node, for "the later of the two" ordering of pair findings. */
export function positionOf(ref: NodeRef): [string, number] {
  // A rendered node's place is in its template or base file.
  if (ref.pdoc.origin) return sourcePosition(ref.pdoc, ref.node, ref.offsets);
  return [ref.pdoc.file.path, ref.pdoc.lineCounter.linePos(startOf(ref)).line];
}

function startOf(ref: NodeRef): number {
  return ref.offsets?.[0] ?? (ref.node as { range?: number[] } | null | undefined)?.range?.[0] ?? 0;
}

/** (file, line) order, as rules.md asks for pair findings; two values on one line (a flow map) fall back to their column. */
export function isLater(a: NodeRef, b: NodeRef): boolean {
  const [fa, la] = positionOf(a);
  const [fb, lb] = positionOf(b);
  return fa > fb || (fa === fb && (la > lb || (la === lb && startOf(a) > startOf(b))));
}

/** One written setting and every enabled app it applies to (a Multi-App Run `common` key applies to all apps). */
export interface SharedSetting {
  setting: Setting;
  apps: AppInstance[];
}

/** Enabled apps' `name` settings, grouped by the node that writes them, in app order. */
export function settingsByNode(apps: readonly AppInstance[], name: string): SharedSetting[] {
  const byNode = new Map<unknown, SharedSetting>();
  for (const app of enabledApps(apps)) {
    const setting = app.app.settings.get(name);
    if (!setting) continue;
    const key = setting.offsets ? `${setting.pdoc.file.path}:${setting.offsets[0]}` : setting.node;
    const known = byNode.get(key);
    if (known) known.apps.push(app);
    else byNode.set(key, { setting, apps: [app] });
  }
  return [...byNode.values()];
}

/**
 * `Deployment "orders"`, or `Multi-App Run apps "a", "b" (through common)` when
 * one setting serves several apps. One manifest placed by several kustomize
 * overlays is one workload here; the policy stage names its namespaces.
 */
function distinctApps(apps: readonly AppInstance[]): AppInstance[] {
  return [...new Map(apps.map((a) => [a.app.resource ?? a.app, a])).values()];
}

/** The verb that goes with describeApps. */
export function sets(apps: readonly AppInstance[]): string {
  return distinctApps(apps).length > 1 ? 'set' : 'sets';
}

export function describeApps(apps: readonly AppInstance[]): string {
  const distinct = distinctApps(apps);
  if (distinct.length === 1) return describeApp(distinct[0]);
  const names = distinct.map((a) => `"${a.app.name}"`).join(', ');
  return distinct[0].app.source === 'multi-app-run' ? `Multi-App Run apps ${names} (through common)` : `${distinct.length} workloads (${names})`;
}
