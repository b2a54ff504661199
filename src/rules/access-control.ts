// A Configuration's `spec.accessControl`, read the way daprd's
// acl.ParseAccessControlSpec reads it (dapr/dapr pkg/acl/acl.go). Shared by
// DAPR405, DAPR406 and DAPR408.
import type { Pair, Scalar } from 'yaml';
import type { NodeRef } from '../engine/resources.js';
import { asMap, asSeq, child, pairOf, type ParsedDoc, scalarText, seqItems, type YNode } from '../engine/yaml.js';
import type { ConfigurationInstance } from './mtls-state.js';

export interface AccessControlView {
  pdoc: ParsedDoc;
  /** The `accessControl` pair under `spec`. */
  pair: Pair<Scalar, YNode>;
  defaultAction?: { text: string; node: YNode };
  trustDomain?: string;
  /** The `policies` pair, when written. */
  policiesPair?: Pair<Scalar, YNode>;
  policies: YNode[];
}

function text(node: YNode, pdoc: ParsedDoc): { text: string; node: YNode } | undefined {
  const t = scalarText(node, pdoc);
  return t === undefined ? undefined : { text: t, node };
}

export function accessControlOf(inst: ConfigurationInstance): AccessControlView | undefined {
  const { pdoc, spec } = inst.resource;
  const pair = pairOf(spec, 'accessControl');
  if (!pair) return undefined;
  const acl = asMap(pair.value, pdoc);
  const view: AccessControlView = { pdoc, pair, policies: [] };
  const da = text(child(acl, 'defaultAction', pdoc), pdoc);
  if (da && da.text !== '') view.defaultAction = da;
  const td = scalarText(child(acl, 'trustDomain', pdoc), pdoc);
  if (td) view.trustDomain = td;
  const policiesPair = pairOf(acl, 'policies');
  if (policiesPair) {
    view.policiesPair = policiesPair;
    view.policies = seqItems(policiesPair.value, pdoc);
  }
  return view;
}

/** Where findings about the `accessControl` section as a whole point: its key. */
export function accessControlKey(view: AccessControlView): NodeRef {
  return { pdoc: view.pdoc, node: view.pair.key };
}

/** daprd compares actions case-insensitively with "allow"; everything else denies (acl.go `isActionAllowed`). */
export function isAllow(action: string): boolean {
  return action.toLowerCase() === 'allow';
}

export type EffectiveDefault =
  /** No ACL at all: every call is allowed. */
  | { kind: 'none' }
  /** `defaultAction` written: allow only when it says allow. */
  | { kind: 'explicit'; allow: boolean; node: YNode }
  /** No `defaultAction`, and `policies: []`: acl.go takes an explicitly empty list as "allow". */
  | { kind: 'empty-policies'; node: YNode }
  /** No `defaultAction`, and policies are missing or non-empty: acl.go defaults to deny. */
  | { kind: 'implicit-deny' };

/**
 * The global default action daprd ends up with. Mirrors acl.go: nothing set
 * → no ACL; otherwise the written defaultAction, else deny unless `policies`
 * is an empty list (a nil list and a non-empty one both mean deny there).
 */
export function effectiveDefault(view: AccessControlView | undefined): EffectiveDefault {
  if (!view) return { kind: 'none' };
  const emptyList = view.policiesPair !== undefined && asSeq(view.policiesPair.value, view.pdoc) !== undefined && view.policies.length === 0;
  if (!view.defaultAction && !view.trustDomain && (view.policies.length === 0)) return { kind: 'none' };
  if (view.defaultAction) return { kind: 'explicit', allow: isAllow(view.defaultAction.text), node: view.defaultAction.node };
  if (emptyList && view.policiesPair) return { kind: 'empty-policies', node: view.policiesPair.value };
  return { kind: 'implicit-deny' };
}

export function describeDefault(d: EffectiveDefault): string {
  if (d.kind === 'none' || d.kind === 'empty-policies' || (d.kind === 'explicit' && d.allow)) return 'allow';
  return 'deny';
}
