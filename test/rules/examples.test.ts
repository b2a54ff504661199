// Every docs example is a test: an incorrect example must make its rule fire,
// a correct one must not (ESLint's check-rule-examples, applied to YAML).
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/index.js';
import type { Example } from '../../src/rules/types.js';
import { gitTree, of, scanDir, scanFiles } from '../helpers.js';

/** Scans an example; one with a base revision runs as `--base HEAD` in a git repository. */
function scanExample(ex: Example) {
  return ex.base ? scanDir(gitTree(ex.base, ex.files, ex.config), { baseRef: 'HEAD' }) : scanFiles(ex.files, ex.config);
}

describe.each(allRules.map((r) => [r.meta.id, r] as const))('%s docs examples', (id, rule) => {
  it('has at least one incorrect and one correct example', () => {
    expect(rule.meta.docs.incorrect.length).toBeGreaterThan(0);
    expect(rule.meta.docs.correct.length).toBeGreaterThan(0);
  });
  rule.meta.docs.incorrect.forEach((ex, i) => {
    it(`incorrect example ${i + 1} fires ${id}`, () => {
      const result = scanExample(ex);
      expect(of(result, id).length).toBeGreaterThan(0);
    });
  });
  rule.meta.docs.correct.forEach((ex, i) => {
    it(`correct example ${i + 1} does not fire ${id}`, () => {
      const result = scanExample(ex);
      expect(of(result, id)).toEqual([]);
    });
  });
});
