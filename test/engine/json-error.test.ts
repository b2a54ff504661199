// The config loader says where a config stops being JSON without quoting it:
// the offset agrees with JSON.parse on what is valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/engine/json-error.js';

const valid = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorOffset', () => {
  it('is undefined exactly when JSON.parse accepts the text', () => {
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\x"', '1', '-0.5e3', '01', 'true', 'nul', ' ', '\n', 'x');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }).map((t) => t.join('')), (s) => (jsonErrorOffset(s) === undefined) === valid(s)),
      { numRuns: 500, seed: 11 },
    );
    fc.assert(fc.property(fc.json(), (s) => jsonErrorOffset(s) === undefined), { numRuns: 500, seed: 12 });
  });

  it('points at the first character that breaks it, or past the end', () => {
    expect(jsonErrorOffset('token=ghp_x')).toBe(0);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": [1, 2')).toBe(11);
    expect(jsonErrorOffset(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });
});
