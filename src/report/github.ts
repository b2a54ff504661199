// The `github` format: GitHub Actions workflow commands, one per finding
// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
// which the runner turns into annotations on the pull request.
import { escapeControl } from '../engine/escape.js';
import type { Result } from '../engine/policy.js';
import type { FormatOptions, ReportInput } from './types.js';

/**
 * Escaping of the actions toolkit (command.ts): data escapes %, CR, LF;
 * properties also : and ,. Other control characters (a terminal escape in a
 * resource name) would reach the job log raw: escapeControl writes them out.
 */
export function escapeData(s: string): string {
  return escapeControl(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<Result['level'], string> = { error: 'error', warning: 'warning', note: 'notice' };

export function workflowCommand(r: Result, ruleName: string, prefix = ''): string {
  const { startLine, startColumn, endLine, endColumn } = r.location.region;
  const props = [`file=${escapeProperty(prefix + r.location.file)}`, `line=${startLine}`, `endLine=${endLine}`];
  // The runner only accepts columns on single-line annotations.
  if (startLine === endLine) props.push(`col=${startColumn}`, `endColumn=${endColumn}`);
  props.push(`title=${escapeProperty(`${r.ruleId} ${ruleName}`)}`);
  return `::${COMMAND[r.level]} ${props.join(',')}::${escapeData(r.message)}`;
}

export function formatGithub(input: ReportInput, _options: FormatOptions): string {
  const names = new Map(input.rules.map((m) => [m.id, m.name]));
  const lines = input.results.filter((r) => !r.suppression).map((r) => workflowCommand(r, names.get(r.ruleId) ?? ''));
  for (const n of input.notifications) lines.push(`::warning${n.file ? ` file=${escapeProperty(n.file)}` : ''}::${escapeData(n.message)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
