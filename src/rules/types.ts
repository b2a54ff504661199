// The rule contract: every rule module exports `meta` (what it is, its levels
// per environment, its docs) beside `check` (what it finds). Docs pages, the
// SARIF rule table and the config schema are all generated from `meta`.
import type { Config } from '../engine/config-types.js';
import type { AppInstance, Instance, Model, Placement } from '../engine/model.js';
import type { NodeRef, Resource } from '../engine/resources.js';
import type { Environment, LevelSetting, Location } from '../engine/types.js';

/** Levels per environment. `default` applies to unclassified resources; a missing column means "same as default". */
export interface LevelTable {
  default: LevelSetting;
  production?: LevelSetting;
  nonProduction?: LevelSetting;
}

/** A docs example: a small repository (path → content) that the rule must (incorrect) or must not (correct) fire on. */
export interface Example {
  title?: string;
  files: Record<string, string>;
  /** The files at the base revision, for rules that compare with one (`--base`). */
  base?: Record<string, string>;
  /** rules.config.json content for the example, when it matters. */
  config?: Record<string, unknown>;
}

export interface RuleOption {
  name: string;
  description: string;
  /** JSON Schema of the option's value. */
  schema: Record<string, unknown>;
  default: unknown;
}

export interface RuleMeta {
  id: string;
  name: string;
  /** One sentence, shown next to results (≤ 1024 chars). */
  shortDescription: string;
  /** What the rule checks, in full (≤ 1024 chars). */
  fullDescription: string;
  levels: LevelTable;
  /** GitHub security-severity, 0.0–10.0; 0 for rules that are not security findings. */
  securitySeverity: number;
  tags: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  docs: {
    /** Why it matters. */
    why: string;
    /** What to do instead. */
    fix: string;
    incorrect: Example[];
    correct: Example[];
    /** Extra notes: variants, limitations, where the catalog and Dapr's sources differ. */
    notes?: string[];
  };
  options?: RuleOption[];
  /** A rule defined in rules.config.json `customRules`, not one of ours. */
  custom?: boolean;
  /** Where its documentation lives, when not in this repository's docs/rules. */
  helpUri?: string;
}

/**
 * One change to a scanned file's text: replace `[start, end)` with `text`.
 * Offsets count UTF-16 code units of the file's decoded text (a BOM is not
 * part of it), the same text `ParsedDoc.text` holds; `start === end` inserts.
 */
export interface TextEdit {
  /** Root-relative path of the file, as in `Location.file`. */
  file: string;
  start: number;
  end: number;
  text: string;
}

/** A safe autofix (`--fix`): text edits computed from the parser's node ranges, never a re-serialised document. */
export interface Fix {
  /** What the fix does, for SARIF `fixes[].description` ("Quote the value: \"8000\""). */
  description: string;
  /** Non-overlapping edits, applied together or not at all. */
  edits: TextEdit[];
}

/**
 * A fix, or how to compute it. A computed fix may parse its document again
 * (release.ts), so it is computed only for findings some level reports.
 */
export type FixOrLater = Fix | (() => Fix | undefined);

/** A finding as a rule reports it; the policy stage turns it into a result. */
export interface Finding {
  ruleId: string;
  message: string;
  at: NodeRef | Location;
  related: Array<{ at: NodeRef | Location; label: string }>;
  environment: Environment;
  namespace?: string;
  /** Stable identity of the resource (kind/namespace/name) for fingerprints. */
  resourceKey: string;
  /** Stable path inside the resource (`spec.metadata[redisPassword]`) for fingerprints. */
  path: string;
  /** Levels for a variant of the rule (secret stores in DAPR101, …); the rule's own table otherwise. */
  levels?: LevelTable;
  /** security-severity for a variant, when it differs from the rule's. */
  securitySeverity?: number;
  /** Kustomization entry point or self-hosted file the finding was evaluated through. */
  via?: string;
  /** A safe autofix, when the rule can offer one. */
  fix?: FixOrLater;
}

export interface ReportInput {
  message: string;
  at: NodeRef | Location;
  /** The instance the finding is about: gives environment, namespace and identity. */
  on?: Placement & ({ resource: Instance['resource'] } | { app: AppInstance['app'] });
  related?: Array<{ at: NodeRef | Location; label: string }>;
  path?: string;
  environment?: Environment;
  namespace?: string;
  resourceKey?: string;
  levels?: LevelTable;
  securitySeverity?: number;
  /** A safe autofix (only when it is safe: see src/engine/edits.ts). */
  fix?: FixOrLater;
}

export interface RuleContext {
  model: Model;
  config: Config;
  /** This rule's options, defaults filled in. */
  options: Record<string, unknown>;
  /** The scan's clock (`--now`). */
  now: Date;
  /** Ids and names of every rule of this scan (for suppression comments). */
  knownRules: ReadonlySet<string>;
  /** Location of a JSON path in the config file, for findings about the config itself. */
  locateConfig(path: Array<string | number>): Location | undefined;
  /** The model of the `--base` revision, when the scan compares with one. */
  base?: Model;
  report(finding: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * Whether this rule may fix something in the document of a resource, told
   * from what extraction took. The scan then keeps that document's tree
   * (release.ts), so the fix does not parse the document again. It changes
   * only the time a scan takes, never its results.
   */
  keepsTree?(resource: Resource): boolean;
}
