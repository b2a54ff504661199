// The grants a change adds and removes, for `matrix --base` and job summaries.
import type { GrantChange } from '../engine/grant-diff.js';
import { cell } from './markdown.js';

function what(c: GrantChange): string {
  return `${c.kind} ${c.name}${c.type ? ` (${c.type})` : ''}`;
}

function cause(c: GrantChange): string {
  return `${c.location.file}:${c.location.region.startLine}${c.grantKind === 'unscoped' ? ' (no scopes)' : ''}`;
}

export function renderGrantDiffTable(changes: readonly GrantChange[], ref: string): string {
  if (changes.length === 0) return `No grant added or removed since ${ref}.\n`;
  const rows = changes.map((c) => [c.change === 'added' ? '+ added' : '- removed', c.namespace, c.appId, what(c), cause(c)]);
  const header = ['CHANGE', 'NAMESPACE', 'APP-ID', 'GRANTED', 'CAUSE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return `Grants changed since ${ref}:\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function renderGrantDiffMarkdown(changes: readonly GrantChange[], ref: string): string {
  if (changes.length === 0) return `No grant added or removed since \`${cell(ref)}\`.`;
  return [
    `Grants changed since \`${cell(ref)}\`:`,
    '',
    '| change | namespace | app-id | granted | cause |',
    '|---|---|---|---|---|',
    ...changes.map((c) => `| ${c.change === 'added' ? '➕ added' : '➖ removed'} | ${cell(c.namespace)} | ${cell(c.appId)} | ${cell(what(c))} | \`${cell(cause(c))}\` |`),
  ].join('\n');
}

export function renderGrantDiffJson(changes: readonly GrantChange[], ref: string): string {
  const list = changes.map((c) => ({ change: c.change, namespace: c.namespace, appId: c.appId, kind: c.kind, name: c.name, ...(c.type ? { type: c.type } : {}), grant: c.grantKind, ...c.location }));
  return `${JSON.stringify({ version: 1, base: ref, changes: list }, null, 2)}\n`;
}
