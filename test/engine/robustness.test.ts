// One bad file never stops a scan: each case below is reported where it is,
// and a valid Component beside it is still checked (DAPR101 still fires).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hits, scanDir, writeTree } from '../helpers.js';

const GOOD = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n';

function billionLaughs(): string {
  const names = 'abcdefghi'.split('');
  const lines = [`a: &a [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  // The comment makes the pre-check read the document: an alias bomb aimed at the parser has to get past it.
  return `${lines.join('\n')}\n# dapr\n`;
}

function deep(levels: number): string {
  let out = '';
  for (let i = 0; i < levels; i++) out += `${'  '.repeat(i)}k${i}:\n`;
  return `${out}${'  '.repeat(levels)}leaf: 1\n`;
}

/** Scans the bad file next to a good Component and checks nothing else was lost. */
function scanWithGood(bad: Record<string, string | Buffer>, config?: Record<string, unknown>) {
  const dir = writeTree({ 'good/statestore.yaml': GOOD, ...bad }, config);
  const result = scanDir(dir);
  expect(hits(result.results, 'DAPR101')).toEqual([{ rule: 'DAPR101', file: 'good/statestore.yaml', line: 4, column: 9 }]);
  return { dir, result };
}

describe('robustness: the scan finishes, reports the bad input, and loses nothing else', () => {
  it('invalid YAML is one DAPR001 at the parser position', () => {
    const { result } = scanWithGood({ 'bad/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dapr-env\ndata:\n  a: "unclosed\n' });
    expect(hits(result.results, 'DAPR001')).toEqual([{ rule: 'DAPR001', file: 'bad/broken.yaml', line: 6, column: 6 }]);
  });

  it('a binary file with a .yaml name is one DAPR001', () => {
    const { result } = scanWithGood({ 'bad/blob.yaml': Buffer.from([0x61, 0x3a, 0x20, 0x00, 0xff, 0x10, 0x00]) });
    const d = result.results.filter((r) => r.ruleId === 'DAPR001');
    expect(hits(d)).toEqual([{ rule: 'DAPR001', file: 'bad/blob.yaml', line: 1, column: 4 }]);
    expect(d[0].message).toMatch(/binary/);
  });

  it('an empty file and a comment-only file are fine and produce nothing', () => {
    const { result } = scanWithGood({ 'empty.yaml': '', 'comments.yaml': '# nothing here\n# at all\n' });
    expect(result.results.filter((r) => r.location.file === 'empty.yaml' || r.location.file === 'comments.yaml')).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('a YAML alias bomb is reported without being expanded', () => {
    const { result } = scanWithGood({ 'bad/bomb.yaml': billionLaughs() });
    const d = result.results.filter((r) => r.ruleId === 'DAPR001');
    expect(hits(d)).toEqual([{ rule: 'DAPR001', file: 'bad/bomb.yaml', line: 2, column: 8 }]);
    expect(d[0].message).toMatch(/alias/i);
  });

  it('a file over the size cap is a notification, not silently dropped', () => {
    const big = `# ${'x'.repeat(2048)}\n${GOOD.replace('statestore', 'big')}`;
    const { result } = scanWithGood({ 'bad/big.yaml': big }, { maxFileSize: 1024 });
    expect(result.notifications).toEqual([expect.objectContaining({ id: 'file-too-large', level: 'warning', file: 'bad/big.yaml' })]);
    expect(result.notifications[0].message).toMatch(/over the 1\.0 KB limit/);
  });

  it('a symlink loop and a link leaving the root are notifications', () => {
    const dir = writeTree({ 'good/statestore.yaml': GOOD });
    fs.symlinkSync(path.join(dir, 'loop-b.yaml'), path.join(dir, 'loop-a.yaml'));
    fs.symlinkSync(path.join(dir, 'loop-a.yaml'), path.join(dir, 'loop-b.yaml'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.symlinkSync(dir, path.join(dir, 'nested', 'back-to-root'));
    fs.symlinkSync('/etc/hostname', path.join(dir, 'outside.yaml'));
    const result = scanDir(dir);
    expect(hits(result.results, 'DAPR101')).toEqual([{ rule: 'DAPR101', file: 'good/statestore.yaml', line: 4, column: 9 }]);
    const ids = result.notifications.map((n) => `${n.id} ${n.file}`).sort();
    expect(ids).toEqual(['symlink-loop loop-a.yaml', 'symlink-loop loop-b.yaml', 'symlink-outside-root outside.yaml']);
  });

  it('a symlinked file inside the root is read once, at its real path', () => {
    const dir = writeTree({ 'real/statestore.yaml': GOOD });
    fs.symlinkSync(path.join(dir, 'real/statestore.yaml'), path.join(dir, 'alias.yaml'));
    const result = scanDir(dir);
    expect(hits(result.results, 'DAPR101')).toEqual([{ rule: 'DAPR101', file: 'real/statestore.yaml', line: 4, column: 9 }]);
    expect(result.notifications).toEqual([]);
  });

  it('a 50-level-deep document is read without trouble', () => {
    const { result } = scanWithGood({ 'deep.yaml': deep(50) });
    expect(result.results.filter((r) => r.location.file === 'deep.yaml')).toEqual([]);
  });

  it('a document with an error does not hide the valid documents of the same file', () => {
    const dir = writeTree({ 'multi.yaml': `${GOOD}---\ndapr: [unclosed\n---\n${GOOD.replace('statestore', 'second')}` });
    const result = scanDir(dir);
    expect(hits(result.results)).toEqual([
      { rule: 'DAPR101', file: 'multi.yaml', line: 4, column: 9 },
      { rule: 'DAPR001', file: 'multi.yaml', line: 11, column: 1 },
      { rule: 'DAPR101', file: 'multi.yaml', line: 15, column: 9 },
    ]);
  });

  it('does not parse a document that no rule reads, so its syntax is not judged (the pre-check)', () => {
    const { result } = scanWithGood({ 'dashboards/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana\ndata:\n  a: "unclosed\n' });
    expect(hits(result.results, 'DAPR001')).toEqual([]);
    expect(result.model.parsed.find((p) => p.file.path === 'dashboards/broken.yaml')?.skipped).toBe(true);
  });
});
