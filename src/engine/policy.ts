// policy: raw findings → results. Levels from rules.config.json and the
// resource's environment, identical findings merged, inline suppressions
// applied, fingerprints computed, and a stable order (file, line, column, rule).
import { createHash } from 'node:crypto';
import type { Finding, Fix, LevelTable, RuleMeta, TextEdit } from '../rules/types.js';
import type { Config, ConfigLevel, RuleEntry } from './config-types.js';
import { escapeControl } from './escape.js';
import type { NodeRef } from './resources.js';
import type { SuppressionComment } from './suppressions.js';
import type { Environment, Level, LevelSetting, Location, Region } from './types.js';
import { regionOf, regionOfOffsets, regionOfText } from './yaml.js';

export interface Suppression {
  kind: 'inSource';
  justification: string;
  /** Where the suppression comment is. */
  location: Location;
  until?: string;
}

/** A text edit of a result's fix, with its region for reports (SARIF `deletedRegion`; empty for an insertion). */
export interface ResultEdit extends TextEdit {
  region: Region;
}

export interface ResultFix {
  description: string;
  edits: ResultEdit[];
}

export interface Result {
  ruleId: string;
  ruleName: string;
  level: Level;
  message: string;
  location: Location;
  related: Location[];
  /** Environments and namespaces of every instance merged into this result. */
  environments: Environment[];
  namespaces: string[];
  fingerprint: string;
  securitySeverity?: number;
  suppression?: Suppression;
  /** A safe autofix (`--fix`), in the result's own file only. */
  fix?: ResultFix;
  /** Values variants / kustomization entry points whose rendered output gave this result (rendered findings only). */
  renderedFrom?: string[];
}

const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export function levelRank(level: Level): number {
  return LEVEL_RANK[level];
}

export function isLocation(at: NodeRef | Location): at is Location {
  return (at as Location).region !== undefined && (at as Location).file !== undefined;
}

export function resolveLocation(at: NodeRef | Location, label?: string): Location {
  if (isLocation(at)) return label && !at.label ? { ...at, label } : at;
  if (at.pdoc.origin) {
    // A rendered document: the node's place in the template or base resource it came from.
    const mapped: Location = { ...at.pdoc.origin.locate(at.node, at.offsets).location };
    if (label) mapped.label = label;
    return mapped;
  }
  const region = at.offsets ? regionOfOffsets(at.pdoc, at.offsets[0], at.offsets[1]) : regionOf(at.pdoc, at.node);
  const loc: Location = { file: at.pdoc.file.path, region };
  if (label) loc.label = label;
  return loc;
}

/** Places a rendered node's origin adds (the partial that writes it, the values file, the patch): related locations. */
function originRelated(at: NodeRef | Location): Location[] {
  if (isLocation(at) || !at.pdoc.origin) return [];
  return (at.pdoc.origin.locate(at.node, at.offsets).related ?? []).map((r) => ({ ...r.location, label: r.label }));
}

/** The values variant or kustomization entry point that rendered the node a finding points at. */
function renderedVia(at: NodeRef | Location): { tool: 'helm' | 'kustomize'; via: string } | undefined {
  const origin = isLocation(at) ? undefined : at.pdoc.origin;
  return origin?.via !== undefined ? { tool: origin.tool, via: origin.via } : undefined;
}

function tableColumn(table: LevelTable, env: Environment): LevelSetting {
  if (env === 'production') return table.production ?? table.default;
  if (env === 'non-production') return table.nonProduction ?? table.default;
  return table.default;
}

export function ruleEntry(config: Config, meta: Pick<RuleMeta, 'id' | 'name'>): RuleEntry | undefined {
  const e = config.rules[meta.id] ?? config.rules[meta.name];
  if (e === undefined) return undefined;
  return typeof e === 'string' ? { level: e } : e;
}

/** Precedence (config.md): entry for the environment, entry level, catalog column, catalog default. */
export function effectiveLevel(meta: RuleMeta, env: Environment, config: Config, variant?: LevelTable): LevelSetting {
  const entry = ruleEntry(config, meta);
  const set = (l: ConfigLevel | undefined): LevelSetting | undefined => (l === 'default' ? undefined : l);
  return set(entry?.environments?.[env]) ?? set(entry?.level) ?? tableColumn(variant ?? meta.levels, env);
}

export function regionKey(r: Region): string {
  return `${r.startLine}:${r.startColumn}:${r.endLine}:${r.endColumn}`;
}

interface Pending {
  finding: ResolvedFinding;
  meta: RuleMeta;
  level: Level;
  related: Location[];
  placements: Array<{ namespace?: string; environment: Environment; via?: string; rendered?: { tool: 'helm' | 'kustomize'; via: string } }>;
  fix?: ResultFix;
}

/**
 * A finding with its places resolved: plain data that no longer points into
 * parsed documents. The policy works on these, and the result cache
 * (result-cache.ts) keeps them, so that a scan it answers runs the same policy.
 */
export interface ResolvedFinding extends Omit<Finding, 'at' | 'related' | 'fix'> {
  location: Location;
  /** Related locations, the places the rendered node's origin adds included. */
  related: Location[];
  /** The values variant or kustomization entry point that rendered the node the finding points at. */
  rendered?: { tool: 'helm' | 'kustomize'; via: string };
  fix?: ResultFix;
}

/** The findings some environment's level does not turn off: only they are resolved, kept and reported. */
export function reportable(findings: readonly Finding[], rules: ReadonlyMap<string, RuleMeta>, config: Config): Finding[] {
  return findings.filter((f) => {
    const meta = rules.get(f.ruleId);
    return !meta || effectiveLevel(meta, f.environment, config, f.levels) !== 'off';
  });
}

export function resolveFinding(f: Finding): ResolvedFinding {
  const { at, related, fix, ...rest } = f;
  const location = resolveLocation(at);
  const out: ResolvedFinding = { ...rest, location, related: [...related.map((r) => resolveLocation(r.at, r.label)), ...originRelated(at)] };
  const via = renderedVia(at);
  if (via) out.rendered = via;
  const located = locateFix(typeof fix === 'function' ? fix() : fix, at, location.file);
  if (located) out.fix = located;
  return out;
}

/**
 * A finding's fix with regions. Only edits in the finding's own file, located
 * through its node's line counter, are kept: a fix must never change a file
 * the result is not reported in (pre-commit's file mode reports per file).
 */
function locateFix(fix: Fix | undefined, at: Finding['at'], file: string): ResultFix | undefined {
  if (!fix || fix.edits.length === 0 || isLocation(at) || at.pdoc.file.path !== file) return undefined;
  if (fix.edits.some((e) => e.file !== file || e.start < 0 || e.end < e.start || e.end > at.pdoc.text.length)) return undefined;
  return { description: fix.description, edits: fix.edits.map((e) => ({ ...e, region: regionOfText(at.pdoc.lineCounter, e.start, e.end) })) };
}

function fingerprintOf(f: ResolvedFinding, file: string, rendered: string[] = []): string {
  const h = createHash('sha256');
  // A rendered result is told apart by the variants (values files, overlays) that give it.
  h.update([f.ruleId, file, f.resourceKey, f.path, ...rendered].join('\u0000'));
  return h.digest('hex').slice(0, 32);
}

function describePlacements(p: Pending['placements']): string {
  const parts = [...new Set(p.map((x) => (x.namespace && !x.namespace.startsWith('self-hosted:') ? `namespace "${x.namespace}"` : 'self-hosted') + (x.environment === 'unclassified' ? '' : ` (${x.environment})`)))];
  return parts.join(', ');
}

function suppressionFor(result: Pick<Result, 'ruleId' | 'ruleName' | 'location'>, comments: SuppressionComment[]): SuppressionComment | undefined {
  const line = result.location.region.startLine;
  return comments.find((c) => c.file === result.location.file && c.fromLine <= line && line <= c.toLine && c.rules.some((r) => r === result.ruleId || r === result.ruleName));
}

export interface PolicyInput {
  findings: ResolvedFinding[];
  rules: Map<string, RuleMeta>;
  config: Config;
  suppressions: SuppressionComment[];
  now: Date;
  /** Report only findings located in files this accepts (pre-commit). */
  reportOnly?: (file: string) => boolean;
}

export function applyPolicy(input: PolicyInput): Result[] {
  const merged = new Map<string, Pending>();
  for (const finding of input.findings) {
    const meta = input.rules.get(finding.ruleId);
    if (!meta) throw new Error(`finding for unknown rule ${finding.ruleId}`);
    const level = effectiveLevel(meta, finding.environment, input.config, finding.levels);
    if (level === 'off') continue;
    const { location } = finding;
    if (input.reportOnly && !input.reportOnly(location.file)) continue;
    // One source node judged through several instances (kustomize overlays) is one result.
    const key = [finding.ruleId, location.file, regionKey(location.region), finding.path].join('\u0000');
    const placement = { namespace: finding.namespace, environment: finding.environment, via: finding.via, ...(finding.rendered !== undefined ? { rendered: finding.rendered } : {}) };
    const existing = merged.get(key);
    if (existing) {
      existing.placements.push(placement);
      // Each instance may relate to its own counterpart (the overlay's workload): keep them all.
      existing.related.push(...finding.related);
      // Every copy of one node offers the same edits: keep the first fix found.
      existing.fix ??= finding.fix;
      if (LEVEL_RANK[level] > LEVEL_RANK[existing.level]) {
        // The message of the most severe instance speaks for the result.
        existing.level = level;
        existing.finding = finding;
      }
      continue;
    }
    merged.set(key, { finding, meta, level, related: [...finding.related], placements: [placement], ...(finding.fix ? { fix: finding.fix } : {}) });
  }

  const results: Result[] = [];
  const today = input.now.toISOString().slice(0, 10);
  for (const p of merged.values()) {
    let message = p.finding.message;
    const renderedFrom = [...new Set(p.placements.flatMap((x) => (x.rendered !== undefined ? [x.rendered.via] : [])))].sort();
    // Namespaces tell kustomize overlays apart; only the values files tell Helm variants apart.
    const valuesFiles = [...new Set(p.placements.flatMap((x) => (x.rendered?.tool === 'helm' ? [x.rendered.via] : [])))].sort();
    if (valuesFiles.length > 0) message += ` Rendered with ${valuesFiles.join(', ')}.`;
    const distinct = new Set(p.placements.map((x) => `${x.namespace}\u0000${x.environment}`));
    if (distinct.size > 1) message += ` Applies to ${describePlacements(p.placements)}.`;
    else if (p.finding.environment !== 'unclassified') message += ` (${p.finding.environment})`;
    const result: Result = {
      ruleId: p.meta.id,
      ruleName: p.meta.name,
      level: p.level,
      // Messages quote names and keys from the files: control characters are escaped once here, for every format.
      message: escapeControl(message),
      location: p.finding.location,
      related: dedupeLocations(p.related).map((l) => (l.label ? { ...l, label: escapeControl(l.label) } : l)),
      environments: [...new Set(p.placements.map((x) => x.environment))].sort(),
      namespaces: [...new Set(p.placements.map((x) => x.namespace ?? ''))].filter(Boolean).sort(),
      fingerprint: fingerprintOf(p.finding, p.finding.location.file, renderedFrom),
    };
    if (p.finding.securitySeverity !== undefined) result.securitySeverity = p.finding.securitySeverity;
    if (renderedFrom.length > 0) result.renderedFrom = renderedFrom;
    if (p.fix) result.fix = p.fix;
    const comment = suppressionFor(result, input.suppressions);
    if (comment) {
      if (comment.untilInvalid) {
        result.message += ` (The suppression on line ${comment.region.startLine} has an invalid until= date, so it does not apply.)`;
      } else if (comment.until && comment.until < today) {
        result.message += ` (The suppression on line ${comment.region.startLine} expired on ${comment.until}.)`;
      } else {
        const s: Suppression = {
          kind: 'inSource',
          justification: escapeControl(comment.reason ?? ''),
          location: { file: comment.file, region: comment.region },
        };
        if (comment.until) s.until = comment.until;
        result.suppression = s;
      }
    }
    results.push(result);
  }
  results.sort(compareResults);
  // Two results of one rule on one resource path (two bad scope entries) must still be told apart.
  const seen = new Map<string, number>();
  for (const r of results) {
    const n = seen.get(r.fingerprint) ?? 0;
    seen.set(r.fingerprint, n + 1);
    if (n > 0) r.fingerprint = `${r.fingerprint}:${n}`;
  }
  return results;
}

function dedupeLocations(locs: Location[]): Location[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const k = `${l.file}\u0000${regionKey(l.region)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareResults(a: Result, b: Result): number {
  return (
    cmp(a.location.file, b.location.file) ||
    cmp(a.location.region.startLine, b.location.region.startLine) ||
    cmp(a.location.region.startColumn, b.location.region.startColumn) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}
