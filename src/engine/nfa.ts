// A small automaton (Thompson NFA) and its simulation, shared by the glob
// matcher (glob.ts) and the regular expressions of custom rules (regex.ts).
// Both match patterns from the scanned repository's config against strings
// from its files: a backtracking engine (RegExp) can take exponential time on
// such pairs, this one takes at most O(input length × states).

export type CharSet = { negated: boolean; ranges: Array<[number, number]>; /** glob: refuses the dot that starts a path segment (unless `dot`) */ hideDot?: boolean; /** glob: never matches `/` */ noSlash?: boolean };

export type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'lit'; code: number }
  | { t: 'set'; set: CharSet }
  | { t: 'rep'; min: 0 | 1; max: 1 | typeof Infinity; node: Node }
  /** Zero-width: start or end of the input, (not) at a word boundary. */
  | { t: 'assert'; kind: 'bol' | 'eol' | 'wordb' | 'nwordb' };

/** Raised when a pattern would compile to more states than its limit. */
export class TooLarge extends Error {}

/** A pattern the engine refuses, named in the message (quoted, and cut at 80 characters). */
export class PatternError extends Error {
  constructor(
    kind: string,
    readonly pattern: string,
    reason: string,
  ) {
    super(`${kind} ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern)}: ${reason}`);
  }
}

const K_LIT = 0;
const K_SET = 1;
const K_SPLIT = 2;
const K_MATCH = 3;
const K_BOL = 4;
const K_EOL = 5;
const K_WORDB = 6;
const K_NWORDB = 7;

const ASSERT_KIND = { bol: K_BOL, eol: K_EOL, wordb: K_WORDB, nwordb: K_NWORDB } as const;

export interface Program {
  kind: Int8Array;
  arg: Int32Array;
  out: Int32Array;
  out2: Int32Array;
  sets: CharSet[];
  start: number;
  size: number;
}

export function literal(s: string): Node {
  const items: Node[] = [];
  for (let i = 0; i < s.length; i++) items.push({ t: 'lit', code: s.charCodeAt(i) });
  return { t: 'seq', items };
}

/** Builds the program back to front: each node is compiled knowing the state it continues at. */
export function compileProgram(root: Node, maxStates: number): Program {
  const kind: number[] = [];
  const arg: number[] = [];
  const out: number[] = [];
  const out2: number[] = [];
  const sets: CharSet[] = [];
  const add = (k: number, a: number, o: number, o2 = -1): number => {
    if (kind.length >= maxStates) throw new TooLarge(`more than ${maxStates} states`);
    kind.push(k);
    arg.push(a);
    out.push(o);
    out2.push(o2);
    return kind.length - 1;
  };
  const compile = (node: Node, next: number): number => {
    switch (node.t) {
      case 'lit':
        return add(K_LIT, node.code, next);
      case 'set':
        sets.push(node.set);
        return add(K_SET, sets.length - 1, next);
      case 'assert':
        return add(ASSERT_KIND[node.kind], 0, next);
      case 'seq': {
        let at = next;
        for (let i = node.items.length - 1; i >= 0; i--) at = compile(node.items[i], at);
        return at;
      }
      case 'alt': {
        if (node.options.length === 0) return next;
        let at = compile(node.options[node.options.length - 1], next);
        for (let i = node.options.length - 2; i >= 0; i--) at = add(K_SPLIT, 0, compile(node.options[i], next), at);
        return at;
      }
      case 'rep': {
        if (node.max === 1) {
          const body = compile(node.node, next);
          return node.min === 1 ? body : add(K_SPLIT, 0, body, next);
        }
        // A loop: the split goes back into the body, or on.
        const loop = add(K_SPLIT, 0, -1, next);
        const body = compile(node.node, loop);
        out[loop] = body;
        return node.min === 1 ? body : loop;
      }
    }
  };
  const match = add(K_MATCH, 0, -1);
  const start = compile(root, match);
  return { kind: Int8Array.from(kind), arg: Int32Array.from(arg), out: Int32Array.from(out), out2: Int32Array.from(out2), sets, start, size: kind.length };
}

function inSet(set: CharSet, c: number): boolean {
  let hit = false;
  for (const [lo, hi] of set.ranges) {
    if (c >= lo && c <= hi) {
      hit = true;
      break;
    }
  }
  return hit !== set.negated;
}

const SLASH = 0x2f;
const DOT = 0x2e;

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

export interface SimulateOptions {
  /** glob `dot`: wildcards may match a dot that starts a path segment. */
  dot: boolean;
  /** true: the pattern may match anywhere (RegExp.test); false: the whole input (a glob). */
  search: boolean;
}

/** Scratch memory of a program, reused between runs (JavaScript runs one at a time). */
export interface Scratch {
  marks: Int32Array;
  lists: [Int32Array, Int32Array];
  gen: number;
}

export function scratchFor(size: number): Scratch {
  return { marks: new Int32Array(size), lists: [new Int32Array(size), new Int32Array(size)], gen: 0 };
}

/** Runs the automaton over `input`: every state is entered at most once per position. */
export function simulate(p: Program, input: string, opts: SimulateOptions, scratch: Scratch): boolean {
  const { marks } = scratch;
  let [cur, nxt] = scratch.lists;
  const stack: number[] = [];
  const n = input.length;
  // Follows splits and zero-width assertions from s0 at position `pos`, adding the states that read a character (or accept).
  const addClosure = (list: Int32Array, len: number, s0: number, pos: number): number => {
    stack.push(s0);
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (s < 0 || marks[s] === scratch.gen) continue;
      marks[s] = scratch.gen;
      const k = p.kind[s];
      if (k === K_SPLIT) stack.push(p.out2[s], p.out[s]);
      else if (k === K_BOL) {
        if (pos === 0) stack.push(p.out[s]);
      } else if (k === K_EOL) {
        if (pos === n) stack.push(p.out[s]);
      } else if (k === K_WORDB || k === K_NWORDB) {
        const boundary = (pos > 0 && isWordChar(input.charCodeAt(pos - 1))) !== (pos < n && isWordChar(input.charCodeAt(pos)));
        if (boundary === (k === K_WORDB)) stack.push(p.out[s]);
      } else list[len++] = s;
    }
    return len;
  };
  const accepts = (list: Int32Array, len: number): boolean => {
    for (let k = 0; k < len; k++) if (p.kind[list[k]] === K_MATCH) return true;
    return false;
  };
  if (scratch.gen > 0x3fffffff) {
    marks.fill(0);
    scratch.gen = 0;
  }
  scratch.gen++;
  let curLen = addClosure(cur, 0, p.start, 0);
  for (let i = 0; i < n; i++) {
    if (opts.search && accepts(cur, curLen)) return true;
    const c = input.charCodeAt(i);
    // A glob wildcard never matches the dot that starts a path segment, unless `dot`.
    const hiddenDot = !opts.dot && c === DOT && (i === 0 || input.charCodeAt(i - 1) === SLASH);
    scratch.gen++;
    let nxtLen = 0;
    for (let k = 0; k < curLen; k++) {
      const s = cur[k];
      const kind = p.kind[s];
      let ok = false;
      if (kind === K_LIT) ok = p.arg[s] === c;
      else if (kind === K_SET) {
        const set = p.sets[p.arg[s]];
        ok = !(set.noSlash && c === SLASH) && !(set.hideDot && hiddenDot) && inSet(set, c);
      }
      if (ok) nxtLen = addClosure(nxt, nxtLen, p.out[s], i + 1);
    }
    // Unanchored: a match may also start at the next position.
    if (opts.search) nxtLen = addClosure(nxt, nxtLen, p.start, i + 1);
    // Anchored, no live state means no match; searching, a match may still start further on.
    if (nxtLen === 0 && !opts.search) return false;
    [cur, nxt] = [nxt, cur];
    curLen = nxtLen;
  }
  return accepts(cur, curLen);
}

/** A state of a LazyDfa: the NFA states it stands for, and its transitions as far as they were needed. */
interface DfaState {
  accepts: boolean;
  states: Int32Array;
  /** By character code below 128, and HIDDEN_DOT (128) for a dot that starts a path segment (when `dot` is off). null: no match from there. */
  ascii: Array<DfaState | null | undefined>;
  /** Transitions on other characters. */
  other: Map<number, DfaState | null>;
}

const HIDDEN_DOT = 128;
/** Past this many states a LazyDfa stops growing and the NFA is simulated instead: memory stays bounded whatever the pattern. */
const MAX_DFA_STATES = 4096;

/**
 * A glob program run as a DFA built while matching: each set of NFA states is
 * computed once and its transitions remembered, so matching a repository's
 * paths costs one array lookup per character instead of a walk over every live
 * state. Only for anchored programs without zero-width assertions (globs);
 * the answers are the NFA's (simulate), which it falls back to when too big.
 */
export class LazyDfa {
  private readonly byKey = new Map<string, DfaState>();
  private readonly start: DfaState;
  private readonly scratch: Scratch;

  constructor(
    private readonly p: Program,
    private readonly dot: boolean,
  ) {
    for (let s = 0; s < p.size; s++) if (p.kind[s] !== K_LIT && p.kind[s] !== K_SET && p.kind[s] !== K_SPLIT && p.kind[s] !== K_MATCH) throw new Error('LazyDfa: only for programs without assertions');
    this.scratch = scratchFor(p.size);
    this.start = this.state(this.closure([p.start])) as DfaState;
  }

  matches(input: string): boolean {
    let d = this.start;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      const sym = !this.dot && c === DOT && (i === 0 || input.charCodeAt(i - 1) === SLASH) ? HIDDEN_DOT : c;
      let n = sym <= HIDDEN_DOT ? d.ascii[sym] : d.other.get(sym);
      if (n === undefined) {
        if (this.byKey.size >= MAX_DFA_STATES) return simulate(this.p, input, { dot: this.dot, search: false }, this.scratch);
        n = this.step(d, sym);
        if (sym <= HIDDEN_DOT) d.ascii[sym] = n;
        else d.other.set(sym, n);
      }
      if (n === null) return false;
      d = n;
    }
    return d.accepts;
  }

  /** The states reached from `from` through splits, sorted: the identity of a DFA state. */
  private closure(from: number[]): Int32Array {
    const seen = new Set<number>();
    const stack = [...from];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (s < 0 || seen.has(s)) continue;
      seen.add(s);
      if (this.p.kind[s] === K_SPLIT) stack.push(this.p.out2[s], this.p.out[s]);
    }
    return Int32Array.from([...seen].filter((s) => this.p.kind[s] !== K_SPLIT)).sort();
  }

  private state(states: Int32Array): DfaState | null {
    if (states.length === 0) return null;
    const key = states.join(',');
    let d = this.byKey.get(key);
    if (!d) {
      d = { accepts: states.some((s) => this.p.kind[s] === K_MATCH), states, ascii: new Array<DfaState | null | undefined>(HIDDEN_DOT + 1).fill(undefined), other: new Map() };
      this.byKey.set(key, d);
    }
    return d;
  }

  private step(d: DfaState, sym: number): DfaState | null {
    const c = sym === HIDDEN_DOT ? DOT : sym;
    const outs: number[] = [];
    for (const s of d.states) {
      const kind = this.p.kind[s];
      let ok = false;
      if (kind === K_LIT) ok = this.p.arg[s] === c;
      else if (kind === K_SET) {
        const set = this.p.sets[this.p.arg[s]];
        ok = !(set.noSlash && c === SLASH) && !(set.hideDot && sym === HIDDEN_DOT) && inSet(set, c);
      }
      if (ok) outs.push(this.p.out[s]);
    }
    return this.state(this.closure(outs));
  }
}
