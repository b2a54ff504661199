// What every formatter receives: the results and what it needs to describe them.
import type { BaselineEntry } from '../engine/baseline.js';
import type { GrantChange } from '../engine/grant-diff.js';
import type { Result } from '../engine/policy.js';
import type { Notification } from '../engine/types.js';
import type { RuleMeta } from '../rules/types.js';
import type { MatrixNamespace } from './matrix.js';

export interface ReportInput {
  results: readonly Result[];
  notifications: readonly Notification[];
  rules: readonly RuleMeta[];
  filesScanned: number;
  executionSuccessful: boolean;
  /** Absolute scan root: only printed when absolute paths are asked for. */
  root: string;
  /** The access matrix, for formats that show it (markdown). */
  matrix?: MatrixNamespace[];
  /** With `--base`: the grants the change adds and removes. */
  grantDiff?: { ref: string; changes: GrantChange[] };
  /** Present when a baseline was applied: how many findings it hid, and its entries that no longer occur. */
  baseline?: { file: string; matched: number; fixed: BaselineEntry[] };
  /** Present after `--fix`: what was fixed (the results are those of a scan after fixing) and which fixes were not applied. */
  fixed?: FixOutcome;
}

/** What `--fix` did. */
export interface FixOutcome {
  /** Findings fixed. */
  findings: number;
  /** Root-relative files written. */
  files: string[];
  /** Fixes not applied, with why (fingerprints are those of the scan before fixing). */
  skipped: Array<{ ruleId: string; file: string; fingerprint: string; reason: string }>;
}

export interface FormatOptions {
  /** Include suppressed results (SARIF `suppressions`). */
  includeSuppressed?: boolean;
  /** Colour terminal output. */
  color?: boolean;
  /** Folder file paths are shown relative to (stylish). */
  cwd?: string;
  /** SARIF automationDetails.id category. */
  category?: string;
  /** Name the scan root's absolute path (SARIF %SRCROOT% uri, JSON `root`); by default no report holds a path of the scanning machine. */
  absolutePaths?: boolean;
}

export type Formatter = (input: ReportInput, options: FormatOptions) => string;
