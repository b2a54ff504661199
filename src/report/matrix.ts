// The access matrix as data and as text: per namespace, which app-id can load
// which component, and whether the grant comes from explicit scopes or from
// having no scopes at all.
import type { Grantable, GrantKind, NamespaceMatrix } from '../engine/model.js';
import { escapeControl } from '../engine/escape.js';
import type { Environment } from '../engine/types.js';

export interface MatrixColumn {
  kind: string;
  name: string;
  type: string;
  file: string;
  line: number;
}

export interface MatrixNamespace {
  namespace: string;
  /** False for a self-hosted project's pseudo-namespace. */
  kubernetes: boolean;
  environments: Environment[];
  apps: string[];
  columns: MatrixColumn[];
  /** cells[app][column index]: how the app reaches the column, or null. */
  cells: Record<string, Array<GrantKind | null>>;
}

/** The column's type: a Component's spec.type, a Subscription's pub/sub and topic, an HTTPEndpoint's kind. */
function columnType(c: Grantable): string {
  const r = c.resource;
  if (r.type === 'component') return r.specType?.value ?? '';
  if (r.type === 'subscription') return `subscription ${r.pubsubname?.value ?? '?'}/${r.topic?.value ?? '?'}`;
  return 'HTTPEndpoint';
}

export function matrixView(matrix: readonly NamespaceMatrix[]): MatrixNamespace[] {
  return matrix.map((ns) => {
    const columns = ns.resources.map((c) => ({
      kind: c.resource.kind,
      name: c.resource.name ?? '',
      type: columnType(c),
      file: c.resource.pdoc.file.path,
      line: c.resource.pdoc.lineCounter.linePos((c.resource.nameNode as { range?: number[] } | undefined)?.range?.[0] ?? 0).line,
    }));
    const cells: Record<string, Array<GrantKind | null>> = {};
    for (const app of ns.appIds) cells[app] = ns.resources.map((c) => ns.grants.find((g) => g.appId === app && g.resource === c)?.kind ?? null);
    return { namespace: ns.namespace, kubernetes: ns.kubernetes, environments: [...new Set(ns.resources.map((c) => c.environment))].sort(), apps: ns.appIds, columns, cells };
  });
}

const SYMBOL: Record<GrantKind, string> = { explicit: '✓ scoped', unscoped: '⚠ unscoped' };

function title(ns: MatrixNamespace): string {
  const env = ns.environments.filter((e) => e !== 'unclassified');
  const where = ns.namespace.startsWith('self-hosted:') ? `self-hosted (${ns.namespace.slice('self-hosted:'.length)})` : `namespace ${ns.namespace}`;
  return escapeControl(env.length ? `${where} (${env.join(', ')})` : where);
}

/** App-ids and names come from the repository: control characters are written out (escape.ts) before they reach a terminal. */
function grid(ns: MatrixNamespace): string[][] {
  const header = ['app-id', ...ns.columns.map((c) => escapeControl(`${c.name} (${c.type || c.kind})`))];
  const rows = ns.apps.map((a) => [escapeControl(a), ...ns.cells[a].map((k) => (k ? SYMBOL[k] : '—'))]);
  return [header, ...rows];
}

export function renderMatrixMarkdown(matrix: readonly MatrixNamespace[]): string {
  const out: string[] = [];
  for (const ns of matrix) {
    if (ns.columns.length === 0) continue;
    const [header, ...rows] = grid(ns);
    out.push(`**${title(ns)}**`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), '');
  }
  return out.join('\n').trimEnd();
}

export function renderMatrixTable(matrix: readonly MatrixNamespace[]): string {
  const out: string[] = [];
  for (const ns of matrix) {
    if (ns.columns.length === 0) continue;
    const rows = grid(ns);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
    out.push(title(ns));
    for (const [i, r] of rows.entries()) {
      out.push(`  ${r.map((c, j) => c + ' '.repeat(widths[j] - [...c].length)).join('  ').trimEnd()}`);
      if (i === 0) out.push(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderMatrixCsv(matrix: readonly MatrixNamespace[]): string {
  const lines = ['namespace,app_id,kind,component,type,access'];
  for (const ns of matrix) {
    for (const app of ns.apps) {
      ns.columns.forEach((c, i) => lines.push([ns.namespace, app, c.kind, c.name, c.type, ns.cells[app][i] ?? 'none'].map(csvField).join(',')));
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderMatrixJson(matrix: readonly MatrixNamespace[]): string {
  return `${JSON.stringify({ version: 1, namespaces: matrix }, null, 2)}\n`;
}

/**
 * The current matrix in the shape of rules.config.json `accessPolicy`
 * (DAPR107): namespace → app-id → components it can load. Adopting it as is
 * freezes today's grants; review before committing it.
 */
export function matrixPolicy(matrix: readonly MatrixNamespace[]): Record<string, Record<string, string[]>> {
  const policy: Record<string, Record<string, string[]>> = {};
  for (const ns of matrix) {
    if (!ns.kubernetes) continue;
    const apps: Record<string, string[]> = {};
    for (const app of ns.apps) {
      const comps = ns.columns.filter((c, i) => c.kind === 'Component' && ns.cells[app][i] !== null).map((c) => c.name);
      if (comps.length) apps[app] = [...new Set(comps)].sort();
    }
    if (Object.keys(apps).length) policy[ns.namespace] = apps;
  }
  return policy;
}

export function renderMatrixPolicy(matrix: readonly MatrixNamespace[]): string {
  return `${JSON.stringify({ accessPolicy: matrixPolicy(matrix) }, null, 2)}\n`;
}

export const MATRIX_FORMATS = {
  table: renderMatrixTable,
  markdown: (m: readonly MatrixNamespace[]) => `${renderMatrixMarkdown(m)}\n`,
  json: renderMatrixJson,
  csv: renderMatrixCsv,
  policy: renderMatrixPolicy,
} satisfies Record<string, (m: readonly MatrixNamespace[]) => string>;

export type MatrixFormat = keyof typeof MATRIX_FORMATS;
export const MATRIX_FORMAT_NAMES = Object.keys(MATRIX_FORMATS) as MatrixFormat[];
