// The `stylish` format, ESLint's default layout: results grouped by file,
// `line:col  level  message  rule`, and a summary line. Every text that comes
// from the repository (paths, messages, baseline entries) goes through
// escapeControl (`t`): the terminal sees our colours and nothing else.
import path from 'node:path';
import { styleText } from 'node:util';
import { escapeControl as t } from '../engine/escape.js';
import type { Result } from '../engine/policy.js';
import type { FormatOptions, ReportInput } from './types.js';
import { countResults, plural } from './summary.js';

type Style = Parameters<typeof styleText>[0];

export function formatStylish(input: ReportInput, options: FormatOptions): string {
  const paint = (style: Style, s: string): string => (options.color ? styleText(style, s) : s);
  const shown = input.results.filter((r) => !r.suppression);
  const byFile = new Map<string, Result[]>();
  for (const r of shown) {
    const list = byFile.get(r.location.file) ?? [];
    list.push(r);
    byFile.set(r.location.file, list);
  }
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [];
  for (const [file, results] of byFile) {
    const rel = path.relative(cwd, path.join(input.root, file)).split(path.sep).join('/') || file;
    lines.push('', paint('underline', t(rel)));
    const posWidth = Math.max(...results.map((r) => `${r.location.region.startLine}:${r.location.region.startColumn}`.length));
    for (const r of results) {
      const pos = `${r.location.region.startLine}:${r.location.region.startColumn}`.padEnd(posWidth);
      const level = r.level.padEnd(7);
      const levelText = r.level === 'error' ? paint('red', level) : r.level === 'warning' ? paint('yellow', level) : paint('cyan', level);
      lines.push(`  ${paint('dim', pos)}  ${levelText}  ${t(r.message).replace(/\.$/, '')}  ${paint('dim', t(r.ruleId))}`);
    }
  }
  const c = countResults(input.results);
  const total = c.error + c.warning + c.note;
  if (input.fixed && input.fixed.findings > 0) {
    const f = input.fixed;
    lines.push('', paint(['bold', 'green'], `✔ ${plural(f.findings, 'problem')} fixed${f.files.length > 0 ? ` in ${plural(f.files.length, 'file')}` : ''}`));
  }
  if (total > 0) {
    lines.push('');
    const summary = `✖ ${plural(total, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')})`;
    lines.push(paint(['bold', c.error > 0 ? 'red' : 'yellow'], summary));
    // As ESLint says it: what --fix would change.
    const fixable = shown.filter((r) => r.fix).length;
    if (fixable > 0) lines.push(paint(['bold', c.error > 0 ? 'red' : 'yellow'], `  ${plural(fixable, 'problem')} potentially fixable with the \`--fix\` option.`));
  }
  if (input.fixed && input.fixed.skipped.length > 0) {
    lines.push('', paint('yellow', `${plural(input.fixed.skipped.length, 'fix', 'fixes')} not applied:`));
    for (const s of input.fixed.skipped) lines.push(`  ${t(s.file)}  ${t(s.ruleId)}  ${t(s.reason)}`);
  }
  if (c.suppressed > 0) lines.push(paint('dim', `${plural(c.suppressed, 'finding')} suppressed by inline comments (see --format json).`));
  if (input.baseline) {
    const b = input.baseline;
    lines.push(paint('dim', `${plural(b.matched, 'finding')} hidden by the baseline ${t(b.file)}.`));
    if (b.fixed.length > 0) {
      lines.push('', paint('green', `${plural(b.fixed.length, 'baseline entry', 'baseline entries')} no longer ${b.fixed.length === 1 ? 'occurs' : 'occur'} (fixed); refresh the baseline with --write-baseline:`));
      for (const f of b.fixed) lines.push(`  ${t(f.file)}  ${t(f.ruleId)}  ${t(f.message).replace(/\.$/, '')}`);
    }
  }
  if (input.notifications.length > 0) {
    lines.push('', paint('bold', 'Not checked:'));
    for (const n of input.notifications) lines.push(`  ${n.level === 'error' ? paint('red', n.level) : paint('yellow', n.level)}  ${t(n.message)}`);
  }
  if (!input.executionSuccessful) lines.push('', paint('red', 'The scan did not complete: some rules failed (see above).'));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
