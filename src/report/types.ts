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
}

export type Formatter = (input: ReportInput, options: FormatOptions) => string;
