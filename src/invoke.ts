// What the CLI and the GitHub Action share: turning paths and options into a
// scan (root, folders to walk, files to report on, config, clock) and the
// result into a report input and an exit status.
import fs from 'node:fs';
import path from 'node:path';
import { applyBaseline, type BaselineEntry, readBaseline } from './engine/baseline.js';
import { CONFIG_FILE_NAME, ConfigError, findUp, gitRoot, resolveConfig } from './engine/config.js';
import { type FixPlan, planFixes } from './engine/fix.js';
import { levelRank, type Result } from './engine/policy.js';
import { DEFAULT_CACHE_FILE } from './engine/cache.js';
import { resultsFileOf } from './engine/result-cache.js';
import type { Concurrency } from './engine/parse-pool.js';
import { GitError, isTrackedByGit } from './engine/git.js';
import { grantDiff } from './engine/grant-diff.js';
import type { Model } from './engine/model.js';
import { scan, type ScanOutcome, scanOrReuse } from './engine/run.js';
import type { Level } from './engine/types.js';
import { matrixView } from './report/matrix.js';
import type { ReportInput } from './report/types.js';
import { customRules } from './rules/custom.js';
import { allRules } from './rules/index.js';
import type { Rule } from './rules/types.js';

/** A usage problem: printed without a stack, exit code 2. */
export class UsageError extends Error {}

export const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ScanInvocation {
  paths: string[];
  cwd: string;
  root?: string;
  config?: string;
  now?: string;
  /** A baseline file: findings in it are not reported. */
  baseline?: string;
  /** A git revision to compare grants with (`--base`). */
  baseRef?: string;
  /** `--cache`: the parse cache file, relative to cwd. */
  cache?: string;
  /** `--concurrency`, as given: auto, off or a number of worker threads. */
  concurrency?: string;
  /** Where warnings about the invocation go (stderr). */
  warn?: (message: string) => void;
  /** The caller reads the model (fixes, the access matrix): a full scan, never results from the cache. */
  needsModel?: boolean;
}

/** A folder given as the cache location holds the default file name, as ESLint does. */
function cacheFile(abs: string, shown: string): string {
  return shown.endsWith('/') || shown.endsWith(path.sep) || statOf(abs)?.isDirectory() ? path.join(abs, DEFAULT_CACHE_FILE) : abs;
}

/**
 * A cache file that git tracks came with the repository, so whoever wrote the
 * change could have written it: its parses or results could hide findings.
 * Such a cache is neither read nor written.
 */
function usableCache(abs: string, shown: string, warn: ((message: string) => void) | undefined): string | undefined {
  // The results beside it (result-cache.ts) could hide findings even more directly.
  const tracked = [abs, resultsFileOf(abs)].find(isTrackedByGit);
  if (tracked === undefined) return abs;
  const name = tracked === abs ? shown : resultsFileOf(shown);
  warn?.(`dapr-policy: the cache ${name} is tracked by git, so the cache was neither read nor written (a committed cache could hide findings). Remove it from git and add it to .gitignore.\n`);
  return undefined;
}

export interface Invoked {
  result: ScanOutcome;
  root: string;
  /** True in pre-commit's file mode: only findings in the given files are reported. */
  filesOnly: boolean;
  /** What the baseline hid and which of its entries no longer occur. */
  baseline?: { file: string; matched: number; fixed: BaselineEntry[] };
  /** The `--base` revision compared with. */
  baseRef?: string;
}

export function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Root = `--root`, else the nearest folder at or above the first path holding rules.config.json or .git, else that path. */
export function resolveRoot(paths: string[], explicit: string | undefined, cwd: string): string {
  if (explicit) {
    const r = path.resolve(cwd, explicit);
    if (!statOf(r)?.isDirectory()) throw new UsageError(`--root ${explicit}: not a folder.`);
    return r;
  }
  const first = path.resolve(cwd, paths[0]);
  const start = statOf(first)?.isDirectory() ? first : path.dirname(first);
  const stop = gitRoot(start);
  const cfg = findUp(start, CONFIG_FILE_NAME, stop);
  if (cfg) return path.dirname(cfg);
  return stop ?? start;
}

export function parseNow(now: string | undefined): Date {
  if (now === undefined || now === '') return new Date();
  const d = new Date(now);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(now)) throw new UsageError(`--now ${now}: expected an ISO date such as 2026-11-28 or 2026-11-28T12:00:00Z.`);
  return d;
}

/** The most worker threads `--concurrency` takes: more would only queue for the same cores. */
export const MAX_CONCURRENCY = 64;

export function parseConcurrency(value: string | undefined): Concurrency {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === 'off') return 'off';
  if (!/^\d+$/.test(value) || Number(value) > MAX_CONCURRENCY) throw new UsageError(`--concurrency ${value}: expected auto, off, or a number of worker threads from 0 to ${MAX_CONCURRENCY}.`);
  return Number(value) === 0 ? 'off' : Number(value);
}

const posix = (p: string): string => p.split(path.sep).join('/');

export function invokeScan(inv: ScanInvocation): Invoked {
  const paths = inv.paths.length > 0 ? inv.paths : ['.'];
  for (const p of paths) if (!statOf(path.resolve(inv.cwd, p))) throw new UsageError(`${p}: no such file or folder.`);
  const root = resolveRoot(paths, inv.root, inv.cwd);
  const abs = paths.map((p) => path.resolve(inv.cwd, p));
  for (const [i, a] of abs.entries()) {
    const rel = path.relative(root, a);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UsageError(`${paths[i]}: outside the scan root ${path.relative(inv.cwd, root) || '.'} (set --root).`);
  }
  const files = abs.filter((a) => statOf(a)?.isFile());
  const dirs = abs.filter((a) => statOf(a)?.isDirectory());
  const config = resolveConfig({ explicit: inv.config ? path.resolve(inv.cwd, inv.config) : undefined, root });
  const now = parseNow(inv.now);
  const concurrency = parseConcurrency(inv.concurrency);
  // Given files (pre-commit), the model is the whole repository and only their findings are reported.
  const reportOnly = files.length > 0 ? { files: files.map((f) => posix(path.relative(root, f))), dirs: dirs.map((d) => posix(path.relative(root, d))) } : undefined;
  const baseline = inv.baseline ? readBaseline(path.resolve(inv.cwd, inv.baseline), inv.baseline) : undefined;
  const rules = [...allRules, ...customRules(config.config.customRules, config.file)];
  checkCustomIds(rules);
  let result: ScanOutcome;
  try {
    const cache = inv.cache !== undefined ? usableCache(cacheFile(path.resolve(inv.cwd, inv.cache), inv.cache), inv.cache, inv.warn) : undefined;
    const request = { root, dirs: reportOnly ? undefined : dirs, config, now, reportOnly, rules, ...(inv.baseRef ? { baseRef: inv.baseRef } : {}), ...(cache !== undefined ? { cache } : {}), concurrency };
    result = inv.needsModel ? scan(request) : scanOrReuse(request);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--base ${inv.baseRef}: ${e.message.split('\n')[0] || 'not a revision of this git repository'}`);
    throw e;
  }
  const invoked: Invoked = { result, root, filesOnly: reportOnly !== undefined, ...(inv.baseRef ? { baseRef: inv.baseRef } : {}) };
  if (!baseline || !inv.baseline) return invoked;
  const outcome = applyBaseline(result.results, baseline);
  return { ...invoked, result: { ...result, results: outcome.results }, baseline: { file: inv.baseline, matched: outcome.matched, fixed: outcome.fixed } };
}

/** A custom rule may not reuse an id or name, built-in or custom. */
function checkCustomIds(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const r of rules) {
    for (const key of new Set([r.meta.id, r.meta.name])) {
      if (seen.has(key)) throw new ConfigError(`rules.config.json: /customRules: the id or name "${key}" is already used by another rule.`);
      seen.add(key);
    }
  }
}

export function reportInput(invoked: Invoked, results: readonly Result[] = invoked.result.results, withMatrix = false): ReportInput {
  const r = invoked.result;
  const input: ReportInput = { results, notifications: r.notifications, rules: r.rules, filesScanned: r.filesScanned, executionSuccessful: r.executionSuccessful, root: invoked.root };
  if (withMatrix) input.matrix = matrixView(scanModel(r).accessMatrix());
  if (invoked.baseline) input.baseline = invoked.baseline;
  if (r.base && invoked.baseRef) input.grantDiff = { ref: invoked.baseRef, changes: grantDiff(r.base, scanModel(r)) };
  return input;
}

/**
 * The safe fixes of these results (`--fix`, `--fix-dry-run`), file by file;
 * nothing is written here. Only the results given (those shown: after
 * `--quiet`, a baseline and pre-commit's file list) are fixed, only in files
 * under the scan root. The GitHub Action never fixes.
 */
export function fixPlan(invoked: Invoked, results: readonly Result[]): FixPlan {
  return planFixes({ root: invoked.root, results, parsed: scanModel(invoked.result).parsed });
}

/** Exit status of a scan: 2 when a rule failed, 1 when a finding is at or above `failOn`, else 0. */
/** The model of a scan that was asked for one (ScanInvocation.needsModel, or no cache). */
export function scanModel(result: ScanOutcome): Model {
  if (!result.model) throw new Error('internal error: the model of a scan answered from the result cache was read');
  return result.model;
}

export function exitStatus(result: ScanOutcome, failOn: FailOn): number {
  if (!result.executionSuccessful) return 2;
  if (failOn === 'none') return 0;
  const threshold = levelRank(failOn as Level);
  return result.results.some((r) => !r.suppression && levelRank(r.level) >= threshold) ? 1 : 0;
}
