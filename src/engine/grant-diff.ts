// Which accesses a change grants or removes: the access matrix of the base
// revision against the working tree's, keyed by namespace, app-id and the
// resource granted (Component, Subscription or HTTPEndpoint).
import type { Grant, GrantKind, Model } from './model.js';
import { resolveLocation } from './policy.js';
import type { NodeRef } from './resources.js';
import type { Location } from './types.js';

export interface GrantChange {
  change: 'added' | 'removed';
  namespace: string;
  appId: string;
  /** Component, Subscription or HTTPEndpoint. */
  kind: string;
  name: string;
  /** spec.type of a Component. */
  type?: string;
  grantKind: GrantKind;
  /** What causes the grant: the scope entry, or the resource's name when it has no scopes (in the head for added grants, in the base for removed ones). */
  at: NodeRef;
  location: Location;
}

function key(ns: string, g: Grant): string {
  return [ns, g.appId, g.resource.resource.kind, g.resource.resource.name ?? ''].join('\u0000');
}

function causeOf(g: Grant): NodeRef {
  const r = g.resource.resource;
  return g.scopeEntry ?? { pdoc: r.pdoc, node: r.nameNode ?? r.root };
}

function grantsOf(model: Model): Map<string, { ns: string; grant: Grant }> {
  const out = new Map<string, { ns: string; grant: Grant }>();
  for (const ns of model.accessMatrix()) for (const grant of ns.grants) out.set(key(ns.namespace, grant), { ns: ns.namespace, grant });
  return out;
}

function change(kind: GrantChange['change'], ns: string, g: Grant): GrantChange {
  const r = g.resource.resource;
  const at = causeOf(g);
  const c: GrantChange = { change: kind, namespace: ns, appId: g.appId, kind: r.kind, name: r.name ?? '', grantKind: g.kind, at, location: resolveLocation(at) };
  if (r.type === 'component' && r.specType) c.type = r.specType.value;
  return c;
}

export function grantDiff(base: Model, head: Model): GrantChange[] {
  const before = grantsOf(base);
  const after = grantsOf(head);
  const out: GrantChange[] = [];
  for (const [k, v] of after) if (!before.has(k)) out.push(change('added', v.ns, v.grant));
  for (const [k, v] of before) if (!after.has(k)) out.push(change('removed', v.ns, v.grant));
  const order = (c: GrantChange): string => [c.change === 'added' ? 0 : 1, c.namespace, c.kind, c.name, c.appId].join('\u0000');
  return out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
