// lean-yaml: a scan keeps the documents of the whole repository at once (the
// model is cross-file), so the size of a yaml node is the size of a scan.
// After composing, each document is made smaller without changing what any
// reader sees: the common scalar becomes a LeanScalar, collections' item
// arrays lose their spare capacity, and short strings are shared.
import { isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';

const NODE_TYPE = Symbol.for('yaml.node.type');

/**
 * A yaml Scalar as the composer makes most of them: a value, its source, its
 * type and a range, nothing else. The range is kept as three numbers and
 * handed out as a new array, and the node type sits on the prototype, so a
 * LeanScalar takes about half the memory of a Scalar with its range array.
 * It is a Scalar to every reader: `isScalar`, `instanceof Scalar`, the
 * Scalar methods, `toJS` and `toString` all work on it.
 */
export class LeanScalar {
  constructor(
    public value: unknown,
    public source: string | undefined,
    public type: Scalar.Type | undefined,
    public r0: number,
    public r1: number,
    public r2: number,
  ) {}

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  set range(r: [number, number, number]) {
    [this.r0, this.r1, this.r2] = r;
  }
}
Object.setPrototypeOf(LeanScalar.prototype, Scalar.prototype);
Object.defineProperty(LeanScalar.prototype, NODE_TYPE, { value: (new Scalar(null) as unknown as Record<symbol, unknown>)[NODE_TYPE] });

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
  if (typeof v !== 'string' || v.length > SHARED_MAX_LENGTH) return v;
  const known = shared.get(v);
  if (known !== undefined) return known as T;
  if (shared.size >= SHARED_MAX_ENTRIES) shared.clear();
  shared.set(v, v);
  return v;
}

function leanScalar(node: Scalar): Scalar {
  const range = node.range;
  if (!range || !isPlain(node)) return node;
  const value = share(node.value);
  // A string scalar's source is its value: one string, shared or not.
  const source = node.source === node.value ? (value as string) : share(node.source);
  return new LeanScalar(value, source, node.type, range[0], range[1], range[2]) as unknown as Scalar;
}

/**
 * The node, made lean: a new node for a plain scalar, the same node with its
 * children made lean otherwise. With an explicit stack: documents may nest
 * hundreds of levels (up to config maxDepth).
 */
export function leanNode<T>(root: T): T {
  const lean = (x: unknown): unknown => (isScalar(x) ? leanScalar(x) : x);
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node) || isSeq(node)) {
      // map() allocates exactly the items there are; the composer's pushes leave room for more.
      const items = (node.items as unknown[]).map(lean);
      (node as { items: unknown[] }).items = items;
      for (const x of items) stack.push(x); // not push(...items): a list of 100,000 entries would overflow the arguments
    } else if (isPair(node)) {
      node.key = lean(node.key);
      node.value = lean(node.value);
      stack.push(node.key, node.value);
    }
  }
  return lean(root) as T;
}
