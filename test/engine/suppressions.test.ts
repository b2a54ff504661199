// Inline suppressions: next-line and whole-document forms, reasons, expiry,
// and the difference between a comment and text that looks like one.
import { describe, expect, it } from 'vitest';
import { hits, scanFiles } from '../helpers.js';

const comp = (name: string, extra = ''): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: state.redis\n  version: v1\n  metadata: []\n`;

describe('suppressions', () => {
  it('next-line covers the next line that is not blank or a comment, by id or by name', () => {
    const result = scanFiles({
      'a.yaml': `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line DAPR101 -- shared cache, every app needs it\n\n  # another comment\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n`,
      'b.yaml': `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line component-unscoped -- by name\n  name: b\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n`,
    });
    const d101 = result.results.filter((r) => r.ruleId === 'DAPR101');
    expect(d101.map((r) => [r.location.file, r.suppression?.justification])).toEqual([
      ['a.yaml', 'shared cache, every app needs it'],
      ['b.yaml', 'by name'],
    ]);
    expect(result.results.filter((r) => r.ruleId === 'DAPR006')).toEqual([]);
  });

  it('disable covers the whole document it is in, and only that document', () => {
    const result = scanFiles({
      'multi.yaml': `# dapr-policy-disable DAPR101 -- legacy file, tracked in TICKET-9\n${comp('first')}---\n${comp('second')}`,
    });
    const d101 = result.results.filter((r) => r.ruleId === 'DAPR101');
    expect(d101.map((r) => [r.location.region.startLine, !!r.suppression])).toEqual([
      [5, true],
      [14, false],
    ]);
  });

  it('a suppression without a reason still suppresses and is reported as DAPR006 at the comment', () => {
    const result = scanFiles({ 'a.yaml': `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n    # dapr-policy-disable-next-line DAPR101\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n` });
    expect(result.results.find((r) => r.ruleId === 'DAPR101')?.suppression).toMatchObject({ kind: 'inSource', justification: '' });
    expect(hits(result.results, 'DAPR006')).toEqual([{ rule: 'DAPR006', file: 'a.yaml', line: 4, column: 5 }]);
  });

  it('an expired suppression stops suppressing and says so; a current one keeps working', () => {
    const text = (until: string): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line DAPR101 until=${until} -- until the split\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n`;
    const expired = scanFiles({ 'a.yaml': text('2026-11-27') }).results.find((r) => r.ruleId === 'DAPR101');
    expect(expired?.suppression).toBeUndefined();
    expect(expired?.message).toMatch(/The suppression on line 4 expired on 2026-11-27\.\)$/);
    const current = scanFiles({ 'a.yaml': text('2026-11-28') }).results.find((r) => r.ruleId === 'DAPR101');
    expect(current?.suppression).toMatchObject({ until: '2026-11-28', justification: 'until the split' });
  });

  it('text inside a block scalar that looks like a directive is not a comment', () => {
    const result = scanFiles({
      'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  readme: |\n    # dapr-policy-disable DAPR101 -- not a comment\n---\n${comp('a')}`,
    });
    expect(result.results.find((r) => r.ruleId === 'DAPR101')?.suppression).toBeUndefined();
    expect(result.model.suppressions).toEqual([]);
  });

  it('a suppression of another rule does not hide this one', () => {
    const result = scanFiles({ 'a.yaml': `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line DAPR103 -- not this one\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n` });
    expect(result.results.find((r) => r.ruleId === 'DAPR101')?.suppression).toBeUndefined();
  });
});

describe('suppressions that cannot work', () => {
  it('an until= that is not a date does not suppress (failing closed) and says why', () => {
    const result = scanFiles({ 'a.yaml': `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line DAPR101 until=31/01/2027 -- later\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n` });
    const d101 = result.results.find((r) => r.ruleId === 'DAPR101');
    expect(d101?.suppression).toBeUndefined();
    expect(d101?.message).toMatch(/The suppression on line 4 has an invalid until= date, so it does not apply\.\)$/);
    expect(result.results.find((r) => r.ruleId === 'DAPR006')?.message).toMatch(/"until=31\/01\/2027" is not a date/);
  });
});
