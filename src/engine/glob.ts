// Globs without catastrophic backtracking. The config (rules.config.json) and
// the paths, namespaces and app-ids it is matched against all come from the
// scanned repository, that is from an untrusted pull request. picomatch turns a
// glob into a backtracking RegExp: `*a*a*a*a*b` against a 250-character file
// name, or `(a+)+` against a 30-character namespace, runs for minutes. Here a
// glob is compiled to a small automaton (NFA) run as a DFA built while matching
// (nfa.ts LazyDfa: one lookup per character once a state is known, the NFA
// simulated when the DFA would grow too big), so a match costs at most
// O(input length × pattern length), whatever the glob.
//
// The syntax is picomatch's, which is what the README documents: `*` (not `/`),
// `**` (any number of path segments), `?`, `[a-z]` / `[!a-z]` / `[[:alpha:]]`,
// `{a,b}` and `{1..5}`, extglobs `@(a|b)` `?(a|b)` `*(a|b)` `+(a|b)`, a plain
// `(a|b)` group, `\` escapes, and a leading `!` that negates the glob. Unless
// `dot` is set, a wildcard never matches a `.` that starts a path segment.
// Unsupported (refused with a message): the negated extglob `!(…)`, which no
// automaton of this size can express. One difference: `[!a-c]` negates the
// class, as in the shell; picomatch 4 reads that `!` as a member.

import { compileProgram, LazyDfa, literal, type Node, PatternError, type Program, TooLarge } from './nfa.js';

export interface GlobOptions {
  /** Wildcards may match a segment that starts with a dot (picomatch `dot`). */
  dot?: boolean;
}

/** A glob that cannot be compiled: too long, too large once braces expand, or unsupported. */
export class GlobError extends PatternError {
  constructor(pattern: string, reason: string) {
    super('glob', pattern, reason);
    this.name = 'GlobError';
  }
}

/** Longest glob accepted; the config schema says the same. */
export const MAX_GLOB_LENGTH = 1024;
/** States of one compiled glob (brace ranges expand); bounds the cost of a match. */
const MAX_STATES = 4096;
/** Values of one brace range (`{1..9}`). */
const MAX_RANGE = 256;
/** Nesting of braces, groups and classes; keeps the recursive parser shallow. */
const MAX_NESTING = 32;

/** One character that is not `/` (`?`, and the body of `*`). */
const ONE: Node = { t: 'set', set: { negated: true, ranges: [], noSlash: true, hideDot: true } };
/** One character of any kind (the body of `**`). */
const ANY_CHAR: Node = { t: 'set', set: { negated: true, ranges: [], hideDot: true } };

const SLASH = 0x2f;

const lit = literal;
const star = (): Node => ({ t: 'rep', min: 0, max: Infinity, node: ONE });

const POSIX: Record<string, Array<[number, number]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  digit: [[0x30, 0x39]],
  lower: [[0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
};

/** Parses one glob (without its leading `!`) into a tree. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.sequence(new Set(), 0);
    return node;
  }

  private fail(reason: string): never {
    throw new GlobError(this.src, reason);
  }

  /** A sequence up to one of `stops` (not consumed) or the end. */
  private sequence(stops: ReadonlySet<string>, depth: number): Node {
    if (depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`);
    const items: Node[] = [];
    const src = this.src;
    while (this.i < src.length) {
      const ch = src[this.i];
      if (stops.has(ch)) break;
      const next = src[this.i + 1];
      if (ch === '\\') {
        this.i += 2;
        items.push(lit(next ?? '\\'));
      } else if (ch === '*' && next === '*') {
        this.globstar(items);
      } else if ((ch === '*' || ch === '?' || ch === '+' || ch === '@' || ch === '!') && next === '(') {
        if (ch === '!') this.fail('the negated extglob !(…) is not supported; list what to match instead');
        const group = this.group(depth);
        if (!group) items.push(lit(ch));
        else items.push(ch === '@' ? group : { t: 'rep', min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : Infinity, node: group });
        if (!group) this.i++;
      } else if (ch === '*') {
        this.i++;
        items.push(star());
      } else if (ch === '?') {
        this.i++;
        items.push(ONE);
      } else if (ch === '(') {
        const group = this.group(depth, true);
        if (group) items.push(group);
        else {
          items.push(lit('('));
          this.i++;
        }
      } else if (ch === '[') {
        const cls = this.bracket();
        if (cls) items.push(cls);
        else {
          items.push(lit('['));
          this.i++;
        }
      } else if (ch === '{') {
        const brace = this.brace(depth);
        if (brace) items.push(brace);
        else {
          items.push(lit('{'));
          this.i++;
        }
      } else {
        this.i++;
        items.push(lit(ch));
      }
    }
    return { t: 'seq', items };
  }

  /**
   * `**` as a whole path segment matches any number of segments (picomatch):
   * `**\/x` also matches `x`, `a/**` also matches `a`, `a/**\/b` also `a/b`.
   * Elsewhere it is a `*`.
   */
  private globstar(items: Node[]): void {
    const src = this.src;
    const start = this.i;
    while (src[this.i] === '*') this.i++;
    const before = start === 0 ? '/' : src[start - 1];
    const after = this.i >= src.length ? '/' : src[this.i];
    if (before !== '/' || after !== '/') {
      items.push(star());
      return;
    }
    const anyChars: Node = { t: 'rep', min: 1, max: Infinity, node: ANY_CHAR };
    if (this.i < src.length) {
      // `**/`: nothing, or one or more segments each followed by a slash.
      this.i++;
      items.push({ t: 'rep', min: 0, max: 1, node: { t: 'seq', items: [anyChars, lit('/')] } });
      return;
    }
    const last = items[items.length - 1];
    const prevSlash = last && last.t === 'seq' && last.items.length === 1 && last.items[0].t === 'lit' && last.items[0].code === SLASH;
    if (prevSlash) {
      // `a/**`: `a`, or `a/` followed by anything.
      items.pop();
      items.push({ t: 'rep', min: 0, max: 1, node: { t: 'seq', items: [lit('/'), { t: 'rep', min: 0, max: Infinity, node: ANY_CHAR }] } });
    } else items.push({ t: 'rep', min: 0, max: Infinity, node: ANY_CHAR });
  }

  /** Index of the bracket that closes the one at `open`, or -1. */
  private closing(open: number, openCh: string, closeCh: string): number {
    let depth = 0;
    const src = this.src;
    for (let j = open; j < src.length; j++) {
      const c = src[j];
      if (c === '\\') j++;
      else if (c === openCh) depth++;
      else if (c === closeCh && --depth === 0) return j;
    }
    return -1;
  }

  /** `(a|b)` at `this.i` (or at `this.i + 1` after an extglob prefix); undefined when unclosed. */
  private group(depth: number, plain = false): Node | undefined {
    const open = plain ? this.i : this.i + 1;
    const close = this.closing(open, '(', ')');
    if (close === -1) return undefined;
    this.i = open + 1;
    const options: Node[] = [];
    for (;;) {
      options.push(this.sequence(new Set(['|', ')']), depth + 1));
      if (this.src[this.i] === '|') this.i++;
      else break;
    }
    this.i = close + 1;
    return { t: 'alt', options };
  }

  /** `[...]`; undefined when unclosed (then `[` is literal). */
  private bracket(): Node | undefined {
    const src = this.src;
    let j = this.i + 1;
    const negated = src[j] === '!' || src[j] === '^';
    if (negated) j++;
    const ranges: Array<[number, number]> = [];
    let first = true;
    while (j < src.length) {
      let c = src[j];
      if (c === ']' && !first) {
        this.i = j + 1;
        return { t: 'set', set: { negated, ranges, noSlash: true, hideDot: true } };
      }
      first = false;
      if (c === '[' && src[j + 1] === ':') {
        const end = src.indexOf(':]', j + 2);
        const name = end === -1 ? undefined : src.slice(j + 2, end);
        if (name !== undefined && POSIX[name]) {
          ranges.push(...POSIX[name]);
          j = end + 2;
          continue;
        }
      }
      if (c === '\\' && j + 1 < src.length) c = src[++j];
      const lo = c.charCodeAt(0);
      if (src[j + 1] === '-' && j + 2 < src.length && src[j + 2] !== ']') {
        let hiCh = src[j + 2];
        let step = 3;
        if (hiCh === '\\' && j + 3 < src.length) {
          hiCh = src[j + 3];
          step = 4;
        }
        const hi = hiCh.charCodeAt(0);
        ranges.push(lo <= hi ? [lo, hi] : [hi, lo]);
        j += step;
      } else {
        ranges.push([lo, lo]);
        j++;
      }
    }
    return undefined;
  }

  /** `{a,b}` or `{1..9}`; undefined when it is neither (then `{` is literal). */
  private brace(depth: number): Node | undefined {
    const close = this.closing(this.i, '{', '}');
    if (close === -1) return undefined;
    const body = this.src.slice(this.i + 1, close);
    const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
    if (range) {
      const values = expandRange(range[1], range[2], range[3]);
      if (!values) this.fail(`the range {${body}} mixes letters and numbers or has more than ${MAX_RANGE} values`);
      this.i = close + 1;
      return { t: 'alt', options: values.map(lit) };
    }
    // Only a top-level comma makes an alternation; `{a}` is literal.
    let hasComma = false;
    let level = 0;
    for (let j = 0; j < body.length; j++) {
      const c = body[j];
      if (c === '\\') j++;
      else if (c === '{' || c === '(' || c === '[') level++;
      else if (c === '}' || c === ')' || c === ']') level--;
      else if (c === ',' && level === 0) hasComma = true;
    }
    if (!hasComma) return undefined;
    this.i++;
    const options: Node[] = [];
    for (;;) {
      options.push(this.sequence(new Set([',', '}']), depth + 1));
      if (this.src[this.i] === ',') this.i++;
      else break;
    }
    this.i = close + 1;
    return { t: 'alt', options };
  }
}

function expandRange(a: string, b: string, stepText: string | undefined): string[] | undefined {
  const step = Math.abs(Number(stepText ?? 1)) || 1;
  const numeric = /\d/.test(a);
  const from = numeric ? Number(a) : a.charCodeAt(0);
  const to = numeric ? Number(b) : b.charCodeAt(0);
  if (!numeric && /\d/.test(b)) return undefined;
  if (Math.abs(to - from) / step >= MAX_RANGE) return undefined;
  const out: string[] = [];
  const dir = from <= to ? 1 : -1;
  for (let v = from; dir > 0 ? v <= to : v >= to; v += dir * step) out.push(numeric ? String(v) : String.fromCharCode(v));
  return out;
}

function compileOne(pattern: string): { program: Program; negated: boolean; literal?: string } {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(pattern, `longer than ${MAX_GLOB_LENGTH} characters`);
  let body = pattern;
  let negated = false;
  while (body.startsWith('!') && body[1] !== '(') {
    negated = !negated;
    body = body.slice(1);
  }
  if (body.startsWith('./')) body = body.slice(2);
  const tree = new Parser(body).parse();
  let program: Program;
  try {
    program = compileProgram(tree, MAX_STATES);
  } catch (e) {
    if (e instanceof TooLarge) throw new GlobError(pattern, `too large (over ${MAX_STATES} states once braces are expanded)`);
    throw e;
  }
  // A glob without wildcards is compared as a string.
  return { program, negated, ...(/^[^*?[\]{}()!+@\\]*$/.test(body) ? { literal: body } : {}) };
}

export type Matcher = (input: string) => boolean;

/**
 * A matcher for one glob or any of several (picomatch's array semantics: a
 * string matches when one of the globs does). Throws GlobError for a glob it
 * refuses; the config loader checks every glob first, so a scan never does.
 */
export function compileGlob(patterns: string | readonly string[], opts: GlobOptions = {}): Matcher {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  const dot = opts.dot === true;
  const compiled = list.map(compileOne).map((c) => ({ ...c, dfa: c.literal === undefined ? new LazyDfa(c.program, dot) : undefined }));
  return (input) => {
    for (const c of compiled) {
      const hit = c.dfa ? c.dfa.matches(input) : c.literal === input;
      if (hit !== c.negated) return true;
    }
    return false;
  };
}

/** Undefined when the glob compiles, else why it does not (for the config loader). */
export function globProblem(pattern: string): string | undefined {
  try {
    compileOne(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}
