// Baselines match findings by fingerprint (rule, file, resource, YAML path),
// so moving lines, reordering documents and adding comments keep matching.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, writeTree } from './helpers.js';

const comp = (name: string, scopes = ''): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n${scopes}`;

describe('baseline', () => {
  it('records findings, then reports only new ones and lists fixed entries, whatever moved', async () => {
    const dir = writeTree({ 'a.yaml': [comp('one'), comp('two'), comp('three')].join('---\n'), 'b.yaml': comp('four') });
    const write = await cli(['.', '--write-baseline', 'baseline.json'], dir);
    expect(write.code).toBe(1);
    expect(write.stderr).toBe('dapr-policy: wrote 4 findings to the baseline baseline.json.\n');
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.version).toBe(1);
    expect(baseline.findings.map((f: { file: string; ruleId: string }) => `${f.file}:${f.ruleId}`)).toEqual(['a.yaml:DAPR101', 'a.yaml:DAPR101', 'a.yaml:DAPR101', 'b.yaml:DAPR101']);
    expect(JSON.stringify(baseline)).not.toMatch(/"(start)?[lL]ine"/);

    // Unchanged: nothing new, exit 0.
    expect((await cli(['.', '--baseline', 'baseline.json'], dir)).code).toBe(0);

    // Reorder documents, add comments and blank lines, fix "four", add a new unscoped "five".
    fs.writeFileSync(path.join(dir, 'a.yaml'), `# moved around\n\n${[comp('three'), `# a comment\n${comp('one')}`, comp('two')].join('---\n')}---\n${comp('five')}`);
    fs.writeFileSync(path.join(dir, 'b.yaml'), comp('four', 'scopes: [task-api]\n'));
    const after = await cli(['.', '--baseline', 'baseline.json', '-f', 'json'], dir);
    const report = JSON.parse(after.stdout);
    expect(report.results.map((r: { message: string; startLine: number }) => [r.startLine, r.message.slice(0, 22)])).toEqual([[37, 'Component "five" (stat']]);
    expect(report.baseline.matched).toBe(3);
    expect(report.baseline.fixed.map((f: { file: string; message: string }) => [f.file, f.message.slice(0, 22)])).toEqual([['b.yaml', 'Component "four" (stat']]);
    expect(after.code).toBe(1);

    const stylish = await cli(['.', '--baseline', 'baseline.json'], dir);
    expect(stylish.stdout).toContain('3 findings hidden by the baseline baseline.json.');
    expect(stylish.stdout).toContain('1 baseline entry no longer occurs (fixed); refresh the baseline with --write-baseline:\n  b.yaml  DAPR101  Component "four"');
  });

  it('rejects a file that is not a baseline, naming the file and the field', async () => {
    const dir = writeTree({ 'a.yaml': comp('one'), 'bad.json': '{"version": 2}' });
    const run = await cli(['.', '--baseline', 'bad.json'], dir);
    expect(run).toMatchObject({ code: 2, stderr: 'dapr-policy: bad.json: /version: expected 1 (a baseline written by dapr-policy --write-baseline).\n' });
    expect((await cli(['.', '--baseline', 'nope.json'], dir)).stderr).toMatch(/nope\.json: cannot read the baseline \(ENOENT\)/);
    expect((await cli(['.', '--baseline', 'bad.json', '--write-baseline', 'x.json'], dir)).code).toBe(2);
  });
});
