// From JSON Schema errors back to YAML: ajv reports a JSON pointer into the
// plain data of a document; these helpers walk the same path through the YAML
// tree (aliases and merge keys included) so findings point at the node.
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import { deref, pairOf, type ParsedDoc, type YNode } from './yaml.js';

export type Segments = readonly string[];

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function dataAt(data: unknown, segments: Segments): unknown {
  let cur = data;
  for (const s of segments) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isRecord(cur) && Object.hasOwn(cur, s)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

/** `spec.metadata[0].name`: list indexes in brackets, map keys dotted. */
export function yamlPath(data: unknown, segments: Segments): string {
  let out = '';
  let cur = data;
  for (const s of segments) {
    out += Array.isArray(cur) ? `[${s}]` : out === '' ? s : `.${s}`;
    cur = dataAt(cur, [s]);
  }
  return out;
}

export interface Located {
  node: YNode;
  /** The pair whose value is `node`, when the last step went through a map key. */
  pair?: Pair<unknown, unknown>;
}

/** Walks the YAML tree along a JSON pointer's segments; stops at the deepest node that exists. */
export function locate(pdoc: ParsedDoc, root: YNode, segments: Segments): Located {
  let cur: Located = { node: root };
  for (const seg of segments) {
    const n = deref(cur.node, pdoc);
    if (isMap(n)) {
      const pair = pairOf(n, seg, pdoc);
      if (!pair) return cur;
      cur = { node: deref(pair.value, pdoc), pair };
    } else if (isSeq(n)) {
      const item = n.items[Number(seg)];
      if (!/^\d+$/.test(seg) || item === undefined) return cur;
      cur = { node: deref(item, pdoc) };
    } else return cur;
  }
  return cur;
}

/** Where a finding about a whole value points: the value, or its key when the value is empty. */
export function valueAnchor(at: Located): unknown {
  const s = isScalar(at.node) ? at.node : undefined;
  if (at.pair && (at.node === null || at.node === undefined || (s && s.value === null && !s.source))) return at.pair.key;
  return at.node;
}

/** Data that refers to itself (`a: &x [*x]`): no JSON Schema can walk it. */
class CyclicData extends Error {}

/**
 * Kubernetes prunes null fields before validating; doing the same keeps
 * `value:` (empty) valid. An object reached through several aliases is copied
 * once and shared, as yaml shares it, so aliases never multiply memory; data
 * that contains itself is refused.
 */
export function withoutNullFields(v: unknown, copies = new Map<object, unknown>(), open = new Set<object>()): unknown {
  if (v === null || typeof v !== 'object') return v;
  const done = copies.get(v);
  if (done !== undefined) return done;
  if (open.has(v)) throw new CyclicData('data contains itself');
  open.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => withoutNullFields(x, copies, open));
  else if (!isRecord(v)) out = v;
  else {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // defineProperty, so that a `__proto__` key stays a plain field.
      if (x !== null) Object.defineProperty(o, k, { value: withoutNullFields(x, copies, open), enumerable: true, writable: true, configurable: true });
    }
    out = o;
  }
  open.delete(v);
  copies.set(v, out);
  return out;
}

/**
 * A document as plain data for a JSON Schema, or undefined when it cannot be
 * read safely (aliases that expand too far or contain themselves). Documents
 * reach the rules only once parse has checked their aliases against the
 * configured maxAliasCount, so that limit is not applied a second time here.
 */
export function plainData(pdoc: ParsedDoc): { data: unknown } | undefined {
  try {
    return { data: withoutNullFields(pdoc.doc.toJS({ maxAliasCount: -1 })) };
  } catch {
    return undefined;
  }
}
