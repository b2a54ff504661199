// DAPR006 suppression-without-reason: a suppression comment without a reason
// (it still suppresses), and comments that cannot work as written (no rule,
// an unknown rule, a bad until= date). Points at the comment.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { rule } from '../../src/rules/DAPR006-suppression-without-reason.js';
import { hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR006';

function at(r: Result): string {
  return `${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn}`;
}

describe('DAPR006 suppression-without-reason', () => {
  const fires = scanFixture('rules/DAPR006/fires');
  const results = of(fires, ID);

  it('points at the comment', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'components/pubsub.yaml', line: 1, column: 1 },
      { rule: ID, file: 'components/secrets.yaml', line: 4, column: 3 },
      { rule: ID, file: 'components/statestore.yaml', line: 4, column: 3 },
      // one comment, two problems: an unknown rule name and no reason
      { rule: ID, file: 'deploy/orders.yaml', line: 17, column: 9 },
      { rule: ID, file: 'deploy/orders.yaml', line: 17, column: 9 },
      { rule: ID, file: 'production/nightly.yaml', line: 4, column: 3 },
    ]);
    expect(results.every((r) => r.level === 'warning')).toBe(true);
  });

  it('says what is wrong with each comment', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Suppression comment cannot work as written: "DAPR999" is not a rule, so nothing is suppressed for it.',
      'Suppression comment cannot work as written: it names no rule, so it suppresses nothing.',
      'Suppression comment gives no reason after "--". It still suppresses; say why so reviewers can judge the accepted risk.',
      'Suppression comment cannot work as written: "unknown-annotation" is not a rule, so nothing is suppressed for it.',
      'Suppression comment gives no reason after "--". It still suppresses; say why so reviewers can judge the accepted risk.',
      'Suppression comment cannot work as written: "until=31/01/2027" is not a date of the form until=YYYY-MM-DD, so the suppression does not apply. (production)',
    ]);
  });

  it('still suppresses when the reason is missing', () => {
    const statestore = fires.results.find((r) => r.ruleId === 'DAPR101' && r.location.file === 'components/statestore.yaml');
    expect(statestore && at(statestore)).toBe('components/statestore.yaml:5:9');
    expect(statestore?.suppression).toEqual({
      kind: 'inSource',
      justification: '',
      location: { file: 'components/statestore.yaml', region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 42 } },
    });
    // a document-wide suppression applies to the rule it names despite the unknown one beside it
    const pubsub = fires.results.find((r) => r.ruleId === 'DAPR101' && r.location.file === 'components/pubsub.yaml');
    expect(pubsub?.suppression?.justification).toBe('shared broker until the split (TICKET-42)');
    // no rule named, a rule name that does not exist, or an until= that is not a date: nothing is suppressed
    expect(of(fires, 'DAPR101').map(at)).toEqual(['components/secrets.yaml:5:9', 'production/nightly.yaml:5:9']);
    expect(of(fires, 'DAPR004').map(at)).toEqual(['deploy/orders.yaml:18:9']);
  });

  it('does not fire on suppressions with a reason, or on text in a block scalar', () => {
    const passes = scanFixture('rules/DAPR006/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.suppressions.map((s) => `${s.file}:${s.region.startLine}`)).toEqual([
      'components/statestore.yaml:4',
      'components/statestore.yaml:14',
      'components/statestore.yaml:30',
    ]);
    // an expired suppression with a reason is fine for DAPR006; the finding it covered comes back
    expect(of(passes, 'DAPR101').map((r) => [at(r), r.message.endsWith('(The suppression on line 30 expired on 2020-01-31.)')])).toEqual([
      ['components/statestore.yaml:31:9', true],
    ]);
  });

  it('has docs examples whose suppression really applies', () => {
    // examples/test only checks DAPR006 itself; a docs page must not teach a comment that suppresses nothing
    for (const ex of [...rule.meta.docs.incorrect, ...rule.meta.docs.correct]) {
      const result = scanFiles(ex.files, ex.config);
      expect(result.results.filter((r) => r.ruleId === 'DAPR101').length).toBe(1);
      expect(of(result, 'DAPR101')).toEqual([]);
    }
  });
});
