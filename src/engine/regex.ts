// The regular expressions of custom rules (`pattern`, `patternProperties` in
// a customRules schema) run against strings from the scanned files, and both
// come from the pull request. A RegExp backtracks: `^(a+)+$` against thirty
// `a`s and a `!` runs for minutes. ajv is given this engine instead
// (`code.regExp`): the pattern is compiled to an automaton (nfa.ts), so a test
// costs at most O(string length × pattern size).
//
// Supported: the ECMAScript syntax JSON Schema patterns use — alternation,
// groups `(…)` `(?:…)` `(?<name>…)`, quantifiers `* + ? {n} {n,} {n,m}` (lazy
// or not: only whether it matches counts), classes `[a-z]` `[^…]`, `.`, `^`,
// `$`, `\b`, `\B`, `\d \w \s` and their negations, character escapes. Refused
// with a message: lookarounds and backreferences, which an automaton cannot
// run in linear time, and `\p{…}`.
import { compileProgram, type Node, PatternError, type Program, scratchFor, simulate, TooLarge } from './nfa.js';

/** A pattern the engine refuses; custom rules report it as a configuration error. */
export class RegexError extends PatternError {
  constructor(pattern: string, reason: string) {
    super('pattern', pattern, reason);
    this.name = 'RegexError';
  }
}

export const MAX_REGEX_LENGTH = 4096;
const MAX_STATES = 4096;
const MAX_NESTING = 64;

const DIGIT: Array<[number, number]> = [[0x30, 0x39]];
const WORD: Array<[number, number]> = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Array<[number, number]> = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const LINE_TERMINATORS: Array<[number, number]> = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

/** The complement of sorted, possibly overlapping ranges over UTF-16 code units. */
function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

const set = (ranges: Array<[number, number]>, negated = false): Node => ({ t: 'set', set: { negated, ranges } });

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  private fail(reason: string): never {
    throw new RegexError(this.src, reason);
  }

  parse(): Node {
    const node = this.alternation(0);
    if (this.i < this.src.length) this.fail(`unmatched ")" at ${this.i}`);
    return node;
  }

  private alternation(depth: number): Node {
    if (depth > MAX_NESTING) this.fail(`groups nested deeper than ${MAX_NESTING} levels`);
    const options: Node[] = [this.sequence(depth)];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence(depth));
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(depth: number): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom(depth);
      items.push(this.quantified(atom));
    }
    return { t: 'seq', items };
  }

  private atom(depth: number): Node {
    const src = this.src;
    const ch = src[this.i];
    switch (ch) {
      case '(': {
        this.i++;
        if (src[this.i] === '?') {
          const kind = src.slice(this.i, this.i + 3);
          if (kind.startsWith('?:')) this.i += 2;
          else if (kind === '?<=' || kind === '?<!' || kind.startsWith('?=') || kind.startsWith('?!')) this.fail('lookarounds are not supported (they cannot be matched in linear time)');
          else if (kind.startsWith('?<')) {
            const end = src.indexOf('>', this.i);
            if (end === -1) this.fail('unterminated group name');
            this.i = end + 1;
          } else this.fail(`unknown group (${kind}`);
        }
        const inner = this.alternation(depth + 1);
        if (src[this.i] !== ')') this.fail('unterminated group');
        this.i++;
        return inner;
      }
      case '[':
        return this.charClass();
      case '.':
        this.i++;
        return set(LINE_TERMINATORS, true);
      case '^':
        this.i++;
        return { t: 'assert', kind: 'bol' };
      case '$':
        this.i++;
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.escape(false) as Node;
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat at ${this.i}`);
      case '{':
        if (this.quantifierAt(this.i)) this.fail(`nothing to repeat at ${this.i}`);
        this.i++;
        return { t: 'lit', code: 0x7b };
      default:
        this.i++;
        return { t: 'lit', code: ch.charCodeAt(0) };
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at `at`, else undefined (then `{` is a character). */
  private quantifierAt(at: number): { min: number; max: number; end: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(at, at + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { min, max, end: at + m[0].length };
  }

  private quantified(atom: Node): Node {
    const src = this.src;
    let min: number;
    let max: number;
    const ch = src[this.i];
    if (ch === '*') [min, max] = [0, Infinity];
    else if (ch === '+') [min, max] = [1, Infinity];
    else if (ch === '?') [min, max] = [0, 1];
    else {
      const q = ch === '{' ? this.quantifierAt(this.i) : undefined;
      if (!q) return atom;
      if (q.max < q.min) this.fail(`numbers out of order in {${q.min},${q.max}}`);
      // Repeats are copies of the atom: the state limit bounds them.
      if (q.min > MAX_STATES || (q.max !== Infinity && q.max > MAX_STATES)) this.fail(`repeat count over ${MAX_STATES}`);
      this.i = q.end - 1;
      [min, max] = [q.min, q.max];
    }
    this.i++;
    if (src[this.i] === '?') this.i++; // lazy: the same language
    if (atom.t === 'assert') return atom;
    if (min <= 1 && (max === 1 || max === Infinity)) {
      if (min === 1 && max === 1) return atom;
      return { t: 'rep', min: min as 0 | 1, max: max as 1 | typeof Infinity, node: atom };
    }
    const items: Node[] = [];
    for (let k = 0; k < min; k++) items.push(atom);
    if (max === Infinity) items.push({ t: 'rep', min: 0, max: Infinity, node: atom });
    else for (let k = min; k < max; k++) items.push({ t: 'rep', min: 0, max: 1, node: atom });
    return { t: 'seq', items };
  }

  /** A `\` escape at `this.i`; in a class, assertions are not allowed and `\b` is a backspace. */
  private escape(inClass: boolean): Node | Array<[number, number]> {
    const src = this.src;
    const c = src[this.i + 1];
    if (c === undefined) this.fail('a trailing backslash');
    this.i += 2;
    switch (c) {
      case 'd':
        return inClass ? DIGIT : set(DIGIT);
      case 'D':
        return inClass ? complement(DIGIT) : set(DIGIT, true);
      case 'w':
        return inClass ? WORD : set(WORD);
      case 'W':
        return inClass ? complement(WORD) : set(WORD, true);
      case 's':
        return inClass ? SPACE : set(SPACE);
      case 'S':
        return inClass ? complement(SPACE) : set(SPACE, true);
      case 'b':
        return inClass ? [[8, 8]] : { t: 'assert', kind: 'wordb' };
      case 'B':
        if (inClass) this.fail('\\B in a class');
        return { t: 'assert', kind: 'nwordb' };
      case 'p':
      case 'P':
        return this.fail('Unicode property escapes (\\p{…}) are not supported');
      case 'k':
        return this.fail('backreferences are not supported (they cannot be matched in linear time)');
      default:
        break;
    }
    if (/[1-9]/.test(c) && !inClass) this.fail('backreferences are not supported (they cannot be matched in linear time)');
    const code = this.escapedChar(c);
    return inClass ? [[code, code]] : { t: 'lit', code };
  }

  /** The code unit of a character escape whose letter (at i - 1) was just read. */
  private escapedChar(c: string): number {
    const src = this.src;
    const hex = (len: number): number => {
      const h = src.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) this.fail(`bad \\${c} escape`);
      this.i += len;
      return parseInt(h, 16);
    };
    switch (c) {
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'v':
        return 0x0b;
      case 'f':
        return 0x0c;
      case '0':
        return 0;
      case 'x':
        return hex(2);
      case 'u': {
        if (src[this.i] === '{') {
          const end = src.indexOf('}', this.i);
          const cp = end === -1 ? NaN : parseInt(src.slice(this.i + 1, end), 16);
          // Astral characters are two code units; only the Basic Multilingual Plane is matched by code point here.
          if (!(cp <= 0xffff)) this.fail('\\u{…} beyond U+FFFF is not supported');
          this.i = end + 1;
          return cp;
        }
        return hex(4);
      }
      case 'c': {
        const letter = src.charCodeAt(this.i);
        this.i++;
        return letter % 32;
      }
      default:
        return c.charCodeAt(0);
    }
  }

  private charClass(): Node {
    const src = this.src;
    this.i++;
    const negated = src[this.i] === '^';
    if (negated) this.i++;
    const ranges: Array<[number, number]> = [];
    const single = (): Array<[number, number]> => {
      if (src[this.i] === '\\') return this.escape(true) as Array<[number, number]>;
      const code = src.charCodeAt(this.i);
      this.i++;
      return [[code, code]];
    };
    while (this.i < src.length && src[this.i] !== ']') {
      const lo = single();
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && this.i + 1 < src.length && lo.length === 1 && lo[0][0] === lo[0][1]) {
        this.i++;
        const hi = single();
        if (hi.length === 1 && hi[0][0] === hi[0][1]) {
          if (hi[0][0] < lo[0][0]) this.fail('range out of order in a class');
          ranges.push([lo[0][0], hi[0][0]]);
          continue;
        }
        ranges.push(...lo, [0x2d, 0x2d], ...hi);
        continue;
      }
      ranges.push(...lo);
    }
    if (src[this.i] !== ']') this.fail('unterminated class');
    this.i++;
    return set(ranges, negated);
  }
}

/** What ajv calls: `new RegExp(pattern, flags)` with only `test`. */
export interface SafeRegExp {
  test(s: string): boolean;
}

const sim = { dot: true, search: true };

export function safeRegExp(pattern: string): SafeRegExp {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RegexError(pattern, `longer than ${MAX_REGEX_LENGTH} characters`);
  const tree = new Parser(pattern).parse();
  let program: Program;
  try {
    program = compileProgram(tree, MAX_STATES);
  } catch (e) {
    if (e instanceof TooLarge) throw new RegexError(pattern, `too large (over ${MAX_STATES} states once repeats are expanded)`);
    throw e;
  }
  const scratch = scratchFor(program.size);
  return { test: (s) => simulate(program, s, sim, scratch) };
}

/** ajv's `code.regExp` option: the engine, and the name standalone code would require (unused here). */
export const ajvRegExp = Object.assign((pattern: string, _flags: string): SafeRegExp => safeRegExp(pattern), { code: 'safeRegExp' });
