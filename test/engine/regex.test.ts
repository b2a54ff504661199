// src/engine/regex.ts runs custom rules' JSON Schema patterns: RegExp's
// answers (checked against RegExp itself), in time linear in the string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegexError, safeRegExp } from '../../src/engine/regex.js';

const PATTERNS = [
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  '^https://',
  'redis(s)?://',
  '^\\d{1,5}$',
  '^(true|false)$',
  '\\bprod\\b',
  '^[^\\s]+$',
  '^.{3,8}$',
  'a{2}b{0,2}c{1,}',
  '^v\\d+(\\.\\d+){0,2}$',
  '[\\w.-]+@[\\w.-]+',
  '^(?:dev|test)-(?<name>\\w+)$',
  '\\x41\\u0042[\\t ]',
  '^$',
  'x|^y$|z$',
  '\\Bab',
  '[-a]',
  '[a\\-z]',
  '^\\S*$',
  '\\.',
];
const INPUTS = ['', 'a', 'abc', 'task-api', '-bad', 'bad-', 'https://x', 'http://x', 'rediss://h', 'redis://h', '8080', '123456', 'true', 'True', 'my prod app', 'production', 'x y', 'aabbc', 'aac', 'ab', 'v1', 'v1.2.3', 'v1.2.3.4', 'me@example.com', 'dev-api', 'test-', 'AB\t', 'AB ', 'y', 'zz', 'xab', 'ab-', 'a-z', '.'];

describe('safeRegExp: the same answers as RegExp', () => {
  it('on the patterns custom rules use', () => {
    const differences: string[] = [];
    for (const p of PATTERNS) {
      const ours = safeRegExp(p);
      const theirs = new RegExp(p, 'u');
      for (const s of INPUTS) if (ours.test(s) !== theirs.test(s)) differences.push(`${p} ${JSON.stringify(s)}: ours ${ours.test(s)}`);
    }
    expect(differences).toEqual([]);
  });

  it('on random patterns and strings', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\w', '(a|b)', '(?:ab)', 'a*', 'b+', 'a?', 'a{1,2}', '^', '$', '\\b');
    const pattern = fc.array(atom, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
    const input = fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '-'), maxLength: 10 });
    fc.assert(
      fc.property(pattern, input, (p, s) => safeRegExp(p).test(s) === new RegExp(p, 'u').test(s)),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('safeRegExp: bounded cost, refusals with a reason', () => {
  for (const [p, s] of [
    ['^(a+)+$', `${'a'.repeat(5000)}!`],
    ['(a|a)*b', 'a'.repeat(5000)],
    ['^(a|aa)+$', `${'a'.repeat(5000)}!`],
    ['(x+x+)+y', 'x'.repeat(5000)],
  ] as const) {
    it(`${p} against ${s.length} characters`, { timeout: 10_000 }, () => {
      expect(safeRegExp(p).test(s)).toBe(false);
    });
  }

  it('refuses lookarounds, backreferences and property escapes', () => {
    for (const p of ['(?=a)b', '(?!a)b', '(?<=a)b', '(?<!a)b', '(a)\\1', '\\k<x>', '\\p{L}']) expect(() => safeRegExp(p), p).toThrow(RegexError);
    expect(() => safeRegExp('a{1,100000}')).toThrow(/repeat count/);
    expect(() => safeRegExp('(a')).toThrow(/unterminated group/);
  });
});
