// Baselines: adopt the scanner on a repository with existing findings. A
// baseline records findings by fingerprint (rule, file, resource identity and
// YAML path, never the line), so moving lines, reordering documents or adding
// comments does not break the match. A later scan reports only findings that
// are not in it, and lists baseline entries that no longer occur.
import fs from 'node:fs';
import type { Result } from './policy.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  /** For people reading the file and for "fixed" lists; not used to match. */
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: 'dapr-policy';
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

export function createBaseline(results: readonly Result[]): Baseline {
  const findings = results
    .filter((r) => !r.suppression)
    .map((r) => ({ fingerprint: r.fingerprint, ruleId: r.ruleId, file: r.location.file, message: r.message }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { version: BASELINE_VERSION, tool: 'dapr-policy', findings };
}

export function baselineText(results: readonly Result[]): string {
  return `${JSON.stringify(createBaseline(results), null, 2)}\n`;
}

function isEntry(v: unknown): v is BaselineEntry {
  const e = v as Record<string, unknown>;
  return !!e && typeof e === 'object' && typeof e.fingerprint === 'string' && typeof e.ruleId === 'string' && typeof e.file === 'string' && typeof e.message === 'string';
}

export function parseBaseline(text: string, file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: not valid JSON (${(e as Error).message}).`);
  }
  const b = raw as Record<string, unknown>;
  if (!b || typeof b !== 'object' || b.version !== BASELINE_VERSION) throw new BaselineError(`${file}: /version: expected ${BASELINE_VERSION} (a baseline written by dapr-policy --write-baseline).`);
  if (!Array.isArray(b.findings)) throw new BaselineError(`${file}: /findings: expected an array.`);
  const bad = b.findings.findIndex((f) => !isEntry(f));
  if (bad !== -1) throw new BaselineError(`${file}: /findings/${bad}: expected an object with fingerprint, ruleId, file and message strings.`);
  return { version: BASELINE_VERSION, tool: 'dapr-policy', findings: b.findings as BaselineEntry[] };
}

/** Reads a baseline; errors name it as `shown` (the path the user wrote). */
export function readBaseline(file: string, shown = file): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new BaselineError(`${shown}: cannot read the baseline (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return parseBaseline(text, shown);
}

export interface BaselineOutcome {
  /** Findings not in the baseline. */
  results: Result[];
  /** How many findings the baseline hid. */
  matched: number;
  /** Baseline entries that no longer occur. */
  fixed: BaselineEntry[];
}

export function applyBaseline(results: readonly Result[], baseline: Baseline): BaselineOutcome {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const present = new Set(results.map((r) => r.fingerprint));
  const kept = results.filter((r) => !known.has(r.fingerprint) || r.suppression !== undefined);
  return {
    results: kept,
    matched: results.length - kept.length,
    fixed: baseline.findings.filter((f) => !present.has(f.fingerprint)),
  };
}
