// The `markdown` format: a pull-request comment or job-summary body. Counts by
// level and rule, the most severe findings with file:line links, and the
// access matrix when the caller provides it.
import { escapeControl } from '../engine/escape.js';
import type { Result } from '../engine/policy.js';
import { levelRank } from '../engine/policy.js';
import { renderGrantDiffMarkdown } from './grant-diff.js';
import { renderMatrixMarkdown } from './matrix.js';
import { countResults, plural } from './summary.js';
import type { FormatOptions, ReportInput } from './types.js';

const ICON: Record<Result['level'], string> = { error: '🔴', warning: '🟠', note: '🔵' };

/** Table cells must not break the table, nor carry control characters from the repository (escape.ts). */
export function cell(s: string): string {
  return escapeControl(s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
}

function link(r: Result, base: string | undefined): string {
  const text = `${r.location.file}:${r.location.region.startLine}`;
  return base ? `[${cell(text)}](${base}/${r.location.file.split('/').map(encodeURIComponent).join('/')}#L${r.location.region.startLine})` : `\`${cell(text)}\``;
}

export interface MarkdownOptions extends FormatOptions {
  /** `https://github.com/<owner>/<repo>/blob/<sha>`: turns locations into links. */
  linkBase?: string;
  /** How many findings to list (the most severe first). */
  maxFindings?: number;
  heading?: string;
}

export function formatMarkdown(input: ReportInput, options: MarkdownOptions): string {
  const shown = input.results.filter((r) => !r.suppression);
  const c = countResults(input.results);
  const out: string[] = [`## ${options.heading ?? 'dapr-policy'}`, ''];
  if (shown.length === 0) out.push(`✅ No findings in ${plural(input.filesScanned, 'file')}.`);
  else out.push(`**${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}** in ${plural(input.filesScanned, 'file')} scanned.`);
  if (c.suppressed) out.push('', `${plural(c.suppressed, 'finding')} suppressed inline.`);
  if (shown.length > 0) {
    const byRule = new Map<string, { level: Result['level']; count: number }>();
    for (const r of shown) {
      const e = byRule.get(r.ruleId) ?? { level: r.level, count: 0 };
      e.count++;
      if (levelRank(r.level) > levelRank(e.level)) e.level = r.level;
      byRule.set(r.ruleId, e);
    }
    const names = new Map(input.rules.map((m) => [m.id, m.name]));
    out.push('', '| rule | findings | most severe |', '|---|---:|---|');
    for (const [id, e] of [...byRule.entries()].sort((a, b) => levelRank(b[1].level) - levelRank(a[1].level) || (a[0] < b[0] ? -1 : 1))) {
      out.push(`| ${id} ${cell(names.get(id) ?? '')} | ${e.count} | ${ICON[e.level]} ${e.level} |`);
    }
    const max = options.maxFindings ?? 20;
    const top = [...shown].sort((a, b) => levelRank(b.level) - levelRank(a.level)).slice(0, max);
    out.push('', `### ${shown.length > max ? `The ${max} most severe findings` : 'Findings'}`, '', '| | location | rule | message |', '|---|---|---|---|');
    for (const r of top) out.push(`| ${ICON[r.level]} | ${link(r, options.linkBase)} | ${r.ruleId} | ${cell(r.message)} |`);
    if (shown.length > max) out.push('', `… and ${shown.length - max} more: see the code scanning results or run \`dapr-policy\` locally.`);
  }
  if (input.notifications.length > 0) {
    out.push('', '### Not checked', '');
    for (const n of input.notifications) out.push(`- ${cell(n.message)}`);
  }
  if (input.grantDiff) out.push('', '### Access changes', '', renderGrantDiffMarkdown(input.grantDiff.changes, input.grantDiff.ref));
  if (input.matrix && input.matrix.length > 0) out.push('', '### Access matrix', '', renderMatrixMarkdown(input.matrix));
  return `${out.join('\n')}\n`;
}
