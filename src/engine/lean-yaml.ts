// lean-yaml: a scan keeps the documents of the whole repository at once (the
// model is cross-file), so the size of a yaml node is the size of a scan.
// After composing, each document is made smaller without changing what any
// reader sees: the common scalar, map, list and pair become lean ones,
// collections' item arrays lose their spare capacity, and strings are shared
// (short ones) or flattened (long ones).
import { isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

const NODE_TYPE = Symbol.for('yaml.node.type');

interface Ranged {
  r0: number;
  r1: number;
  r2: number;
}

/**
 * Makes `cls` a lean stand-in for yaml's `base` class: its prototype chains
 * to base's, carries yaml's node type (which yaml sets on every instance),
 * and hands out the range kept in r0, r1, r2 as a new array.
 */
export function standIn(cls: { prototype: object }, base: { prototype: object }, sample: object): void {
  Object.setPrototypeOf(cls.prototype, base.prototype);
  Object.defineProperty(cls.prototype, NODE_TYPE, { value: (sample as Record<symbol, unknown>)[NODE_TYPE] });
  Object.defineProperty(cls.prototype, 'range', {
    get(this: Ranged): [number, number, number] {
      return [this.r0, this.r1, this.r2];
    },
    set(this: Ranged, r: [number, number, number]) {
      [this.r0, this.r1, this.r2] = r;
    },
    configurable: true,
  });
}

/** A scalar's type as the composer gives it, by its code in LeanScalar.tail. */
const SCALAR_TYPES: readonly (Scalar.Type | undefined)[] = [undefined, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'];
/** LeanScalar.tail is (range[2] - range[1]) * 8 + type code: below 2^30, so V8 keeps it as a small integer, never a boxed number. */
const TAIL_LIMIT = 2 ** 27;

/**
 * A yaml Scalar as the composer makes most of them: a value, its type and a
 * range, nothing else. A scan keeps hundreds of thousands of them, so each
 * is four fields: the value, where it starts and ends, and one small integer
 * for the type and the end of what trails it (range[2]). Its source is its
 * value (a string) or the value written out (`8080`, `true`, `null`): a
 * scalar whose source is anything else (`0x1F`, `~`, `yes`) stays a Scalar.
 * It is a Scalar to every reader: `isScalar`, `instanceof Scalar`, the
 * Scalar methods, `toJS` and `toString` all work on it.
 */
export class LeanScalar {
  declare range: [number, number, number];
  declare source: string;
  declare type: Scalar.Type | undefined;
  constructor(
    public value: unknown,
    public r0: number,
    public r1: number,
    /** (range[2] - range[1]) * 8 + the type's index in SCALAR_TYPES. */
    public tail: number,
  ) {}
}
standIn(LeanScalar, Scalar, new Scalar(null));

/** The source a LeanScalar stands for: its value as the composer read it. */
function writtenOut(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return String(value);
  return undefined;
}

/** The tail of a LeanScalar, or undefined when one cannot hold this type and range. */
function tailOf(type: Scalar.Type | undefined, r1: number, r2: number): number | undefined {
  const code = SCALAR_TYPES.indexOf(type);
  const trail = r2 - r1;
  return code >= 0 && Number.isInteger(trail) && trail >= 0 && trail < TAIL_LIMIT ? trail * 8 + code : undefined;
}

/** Gives `node` its own `key` property, with `value`: what a Scalar does when assigned something a LeanScalar cannot hold. */
function ownProperty(node: object, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

Object.defineProperties(LeanScalar.prototype, {
  range: {
    get(this: LeanScalar): [number, number, number] {
      return [this.r0, this.r1, this.r1 + (this.tail >> 3)];
    },
    set(this: LeanScalar, r: [number, number, number]) {
      const tail = tailOf(SCALAR_TYPES[this.tail & 7], r[1], r[2]);
      if (tail === undefined) return ownProperty(this, 'range', r);
      [this.r0, this.r1, this.tail] = [r[0], r[1], tail];
    },
    configurable: true,
  },
  type: {
    get(this: LeanScalar): Scalar.Type | undefined {
      return SCALAR_TYPES[this.tail & 7];
    },
    set(this: LeanScalar, type: Scalar.Type | undefined) {
      const code = SCALAR_TYPES.indexOf(type);
      if (code < 0) return ownProperty(this, 'type', type);
      this.tail = (this.tail & ~7) | code;
    },
    configurable: true,
  },
  source: {
    get(this: LeanScalar): string | undefined {
      return writtenOut(this.value);
    },
    set(this: LeanScalar, source: string) {
      if (source !== writtenOut(this.value)) ownProperty(this, 'source', source);
    },
    configurable: true,
  },
});
/** A block map or list as the composer makes most of them: its items, its range and the document's schema. */
class LeanCollection {
  declare schema: unknown;
  declare range: [number, number, number];
  constructor(
    schema: unknown,
    public items: unknown[],
    public r0: number,
    public r1: number,
    public r2: number,
  ) {
    // Not enumerable, as on the composer's collections.
    Object.defineProperty(this, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  }
}

/** A lean YAMLMap: `isMap`, `instanceof YAMLMap` and every YAMLMap method work on it. */
export class LeanMap extends LeanCollection {}
standIn(LeanMap, YAMLMap, new YAMLMap());

/** A lean YAMLSeq; see LeanMap. */
export class LeanSeq extends LeanCollection {}
standIn(LeanSeq, YAMLSeq, new YAMLSeq());

/** A pair with its node type on the prototype instead of on itself (it has no range). */
export class LeanPair {
  constructor(
    public key: unknown,
    public value: unknown,
  ) {}
}
Object.setPrototypeOf(LeanPair.prototype, Pair.prototype);
Object.defineProperty(LeanPair.prototype, NODE_TYPE, { value: (new Pair(null) as unknown as Record<symbol, unknown>)[NODE_TYPE] });

/** Whether a composed scalar has exactly the own fields a LeanScalar stands for, in the composer's order (no comment, tag, anchor, format…). */
function isPlain(node: Scalar): boolean {
  const keys = Object.keys(node);
  return keys.length === 4 && keys[0] === 'value' && keys[1] === 'range' && keys[2] === 'source' && keys[3] === 'type';
}

/** Distinct short strings seen lately: the same keys and values repeat across a repository's files. Cleared when full, so it stays small. */
const shared = new Map<string, string>();
const SHARED_MAX_ENTRIES = 65_536;
const SHARED_MAX_LENGTH = 64;

function share<T>(v: T): T {
  if (typeof v !== 'string') return v;
  if (v.length > SHARED_MAX_LENGTH) {
    // A block scalar's value is built line by line (`value += line`): a rope of one small string per
    // line, twice the size of its text. Reading a character makes V8 flatten the rope in place.
    v.charCodeAt(0);
    return v;
  }
  const known = shared.get(v);
  if (known !== undefined) return known as T;
  if (shared.size >= SHARED_MAX_ENTRIES) shared.clear();
  const own = ownCopy(v);
  shared.set(own, own);
  return own as T;
}

/**
 * The string with characters of its own. A scalar's value is usually a slice
 * of the file's text, and V8 keeps a slice of 13 characters or more as a
 * pointer into its parent: kept in `shared`, it would keep the whole file's
 * text alive until the map is cleared (a parse worker held the texts of
 * hundreds of files that way). `' ' + v` is a new string, which slicing
 * flattens first: the result points into those few characters, never into
 * the file's text. Copying costs only the first sight of a string: later
 * ones get this copy.
 */
function ownCopy(v: string): string {
  return v.length < 13 ? v : (' ' + v).slice(1);
}

function leanScalar(node: Scalar): Scalar {
  const range = node.range;
  if (!range || !isPlain(node) || node.source !== writtenOut(node.value)) return node;
  const tail = tailOf(node.type, range[1], range[2]);
  if (tail === undefined) return node;
  return new LeanScalar(share(node.value), range[0], range[1], tail) as unknown as Scalar;
}

/** Whether a composed collection has exactly the own fields a lean one stands for: items and range (besides its schema and node type). */
function isPlainCollection(node: YAMLMap | YAMLSeq): boolean {
  const keys = Object.keys(node);
  return keys.length === 2 && keys[0] === 'items' && keys[1] === 'range' && Reflect.ownKeys(node).length === 4 && Array.isArray(node.range);
}

/** The node made lean, children aside: a new node when it is a plain one, the node itself otherwise. */
function leanShallow(x: unknown, schema: unknown): unknown {
  if (isScalar(x)) return leanScalar(x);
  if (isMap(x) || isSeq(x)) {
    if (schema !== undefined) x.schema = schema as typeof x.schema;
    if (!isPlainCollection(x)) return x;
    const [r0, r1, r2] = x.range as [number, number, number];
    const Lean = isMap(x) ? LeanMap : LeanSeq;
    return new Lean(x.schema, x.items as unknown[], r0, r1, r2);
  }
  if (isPair(x) && Reflect.ownKeys(x).length === 3) return new LeanPair(x.key, x.value);
  return x;
}

/**
 * The node, made lean, with all its children. With an explicit stack:
 * documents may nest hundreds of levels (up to config maxDepth). Collections
 * take `schema` when given: the one a document shares with others like it
 * (parse.ts), instead of its own.
 */
export function leanNode<T>(root: T, schema?: unknown): T {
  const top = leanShallow(root, schema);
  const stack: unknown[] = [top];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node) || isSeq(node)) {
      // map() allocates exactly the items there are; the composer's pushes leave room for more.
      const items = (node.items as unknown[]).map((x) => leanShallow(x, schema));
      (node as { items: unknown[] }).items = items;
      for (const x of items) stack.push(x); // not push(...items): a list of 100,000 entries would overflow the arguments
    } else if (isPair(node)) {
      node.key = leanShallow(node.key, schema);
      node.value = leanShallow(node.value, schema);
      stack.push(node.key, node.value);
    }
  }
  return top as T;
}
