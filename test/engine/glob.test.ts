// src/engine/glob.ts replaces picomatch for every glob of the config: same
// answers as picomatch on the globs people write (checked here against
// picomatch itself, a devDependency kept for this comparison), and a bounded
// cost on the globs and inputs an attacker writes.
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { ALWAYS_EXCLUDED, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../../src/engine/discover.js';
import { compileGlob, GlobError, globProblem, MAX_GLOB_LENGTH } from '../../src/engine/glob.js';
import { compileProgram, LazyDfa, literal, type Node, scratchFor, simulate } from '../../src/engine/nfa.js';

const PATTERNS = [
  ...DEFAULT_INCLUDE,
  ...DEFAULT_EXCLUDE,
  ...ALWAYS_EXCLUDED,
  '*',
  '**',
  '*.yaml',
  'prod-*',
  '*-prod',
  '?ev',
  'k8s/**',
  'k8s/**/prod/**',
  '**/prod/*.yaml',
  'deploy/{prod,staging}/**',
  '{a,b{c,d}}/*.y?(a)ml',
  'ghcr.io/dapr/daprd:1.16.*',
  'docker.io/daprio/*',
  '*test*',
  'e2e-*',
  '[a-c]*',
  '[^a-c]*',
  '[[:digit:]]*',
  'env-{1..3}',
  '@(dev|test)-*',
  '+(a|b)',
  'x/*(a|b)/y',
  'dapr.io/*',
  'state.*',
  '!prod-*',
  './k8s/*.yaml',
  'a\\*b',
];

const INPUTS = [
  'a.yaml',
  'k8s/prod/a.yaml',
  'k8s/a.yml',
  'k8s',
  'k8s/.hidden/x.yaml',
  '.github/workflows/ci.yml',
  'vendor/x.yaml',
  'a/vendor/b/c.json',
  'node_modules/x/package.json',
  'a/.git/config',
  'chart/templates/_helpers.tpl',
  'templates/x.tpl',
  'deploy/prod/x.yaml',
  'deploy/staging',
  'ac/x.yaml',
  'bd/x.yml',
  'prod-eu',
  'eu-prod',
  'dev',
  'devx',
  'ghcr.io/dapr/daprd:1.16.2',
  'ghcr.io/dapr/daprd:1.17.0',
  'docker.io/daprio/daprd',
  'my-test-app',
  'e2e-runner',
  'b',
  'dd',
  '7days',
  'env-2',
  'env-4',
  'dev-api',
  'ababab',
  'x/aab/y',
  'x/y',
  'dapr.io/v1alpha1',
  'state.redis',
  'a*b',
  'axb',
  'k8s/a.yaml',
];

describe('glob: the same answers as picomatch', () => {
  for (const dot of [false, true]) {
    it(`on the globs people write (dot: ${dot})`, () => {
      const differences: string[] = [];
      for (const pattern of PATTERNS) {
        const ours = compileGlob(pattern, { dot });
        const theirs = picomatch(pattern, { dot });
        for (const input of INPUTS) if (ours(input) !== theirs(input)) differences.push(`${pattern} ${input}: ours ${ours(input)}, picomatch ${theirs(input)}`);
      }
      expect(differences).toEqual([]);
    });
  }

  it('on random paths against the default include and exclude globs', () => {
    // Relative paths never have `.` or `..` segments.
    const segment = fc.stringMatching(/^[a-z.\-_]{1,6}$/).filter((s) => s !== '.' && s !== '..');
    const file = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.constantFrom('a.yaml', 'b.yml', 'c.json', 'x.tpl', 'k.pem', 'z.txt', '.hidden.yaml')).map(([dirs, f]) => [...dirs, f].join('/'));
    const ours = compileGlob([...DEFAULT_INCLUDE, ...DEFAULT_EXCLUDE], { dot: true });
    const theirs = picomatch([...DEFAULT_INCLUDE, ...DEFAULT_EXCLUDE], { dot: true });
    fc.assert(fc.property(file, (p) => ours(p) === theirs(p)), { numRuns: 500, seed: 4242 });
  });

  it('on random inputs, also once the automaton has more states than it keeps (it then simulates the NFA)', () => {
    // `*a` then n characters: the matcher must remember the last n+1 characters, 2^n states; 13 is past the cap of 4,096.
    for (const pattern of ['*a???', '*a?????????????', '**/x*/{a,b}*.yaml']) {
      const ours = compileGlob(pattern);
      const theirs = picomatch(pattern);
      // Relative paths: no empty, `.` or `..` segments.
      const segment = fc.stringMatching(/^[abx.]{1,16}$/).filter((x) => x !== '.' && x !== '..');
      const input = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([parts, yaml]) => parts.join('/') + (yaml ? '.yaml' : ''));
      fc.assert(fc.property(input, (p) => ours(p) === theirs(p)), { numRuns: 3000, seed: 7 });
    }
  });

  it('[!a-c] negates the class, as in the shell (picomatch 4 reads the ! as a member)', () => {
    const m = compileGlob('[!a-c]*');
    expect([m('dd'), m('b1')]).toEqual([true, false]);
  });

  it('an array matches when any of its globs does', () => {
    const m = compileGlob(['prod-*', 'live']);
    expect([m('prod-eu'), m('live'), m('dev')]).toEqual([true, true, false]);
  });
});

describe('glob: bounded cost on hostile globs and inputs', () => {
  // Each of these runs for minutes in a backtracking RegExp (picomatch); the
  // per-test timeout is the hang guard, not a timed assertion.
  const a = (n: number): string => 'a'.repeat(n);
  const cases: Array<[string, string]> = [
    ['*a*a*a*a*a*a*a*a*a*a*a*a*b', a(250)],
    ['(a+)+', `${a(40)}!`],
    ['(a|a)*b', `${a(40)}!`],
    ['+(a|aa)b', `${a(4000)}!`],
    ['**/a/**/a/**/a/**/a/**/b', `${'a/'.repeat(1000)}c`],
    ['*(*(*(a)))b', a(4000)],
    [`${'{a,b}'.repeat(100)}!`, 'ab'.repeat(100)],
  ];
  for (const [pattern, input] of cases) {
    it(`${pattern.slice(0, 30)} against ${input.length} characters`, { timeout: 10_000 }, () => {
      expect(compileGlob(pattern)(input)).toBe(false);
    });
  }

  it('refuses what it cannot bound or express, with a reason', () => {
    expect(globProblem('x'.repeat(MAX_GLOB_LENGTH + 1))).toMatch(/longer than 1024 characters/);
    expect(globProblem('{1..100000}')).toMatch(/more than 256 values/);
    expect(globProblem('{100..354}'.repeat(5))).toMatch(/too large/);
    expect(globProblem('!(a|b)')).toMatch(/negated extglob/);
    expect(globProblem(`${'{a,'.repeat(40)}b${'}'.repeat(40)}`)).toMatch(/nested deeper/);
    expect(() => compileGlob('!(x)')).toThrow(GlobError);
    expect(globProblem('**/*.{yaml,yml}')).toBeUndefined();
  });

  it('never throws anything but GlobError, and never hangs, on random globs', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '?', '(', ')', '|', '{', '}', ',', '[', ']', '!', '+', '@', '\\', '/', '.', 'a', 'b', '-', ':'), maxLength: 40 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '-'), maxLength: 60 }), (pattern, input) => {
        let m: ((s: string) => boolean) | undefined;
        try {
          m = compileGlob(pattern);
        } catch (e) {
          expect(e).toBeInstanceOf(GlobError);
          return;
        }
        expect(typeof m(input)).toBe('boolean');
      }),
      { numRuns: 500, seed: 99 },
    );
  });
});

describe('LazyDfa', () => {
  // It remembers transitions by character alone, which a zero-width assertion (^, $, \b) would make wrong.
  it('refuses a program with an assertion, and answers as the NFA for one without', () => {
    const withAssertion: Node = { t: 'seq', items: [{ t: 'assert', kind: 'wordb' }, literal('ab')] };
    expect(() => new LazyDfa(compileProgram(withAssertion, 100), true)).toThrow(/only for programs without assertions/);
    const plain: Node = { t: 'seq', items: [literal('a'), { t: 'rep', min: 0, max: Infinity, node: literal('b') }] };
    const program = compileProgram(plain, 100);
    const dfa = new LazyDfa(program, true);
    for (const input of ['a', 'ab', 'abbb', 'b', 'aba', '']) expect(dfa.matches(input), input).toBe(simulate(program, input, { dot: true, search: false }, scratchFor(program.size)));
  });
});
