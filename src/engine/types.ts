// Types shared by every stage of the pipeline:
// discover → parse → extract → model → rules → policy → report.

/** SARIF result levels. */
export type Level = 'error' | 'warning' | 'note';
/** A level as configured: a SARIF level, or `off` to drop the finding. */
export type LevelSetting = Level | 'off';

export type Environment = 'production' | 'non-production' | 'unclassified';
export const ENVIRONMENTS: readonly Environment[] = ['production', 'non-production', 'unclassified'];

/** 1-based line and column; columns count UTF-16 code units and the end column is exclusive (SARIF). */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A place in a scanned file. `file` is relative to the scan root, with `/` separators. */
export interface Location {
  file: string;
  region: Region;
  /** Shown beside related locations ("the workload that runs task-api"). */
  label?: string;
}

export type SourceKind =
  | 'yaml' // a Kubernetes/Dapr manifest or any other YAML/JSON document
  | 'helm-template' // a file under a chart's templates/ folder: Go template, not YAML
  | 'pem'; // .crt / .pem / .key

/** A file chosen by discovery. */
export interface SourceFile {
  /** Relative to the scan root, `/` separators. */
  path: string;
  /** Absolute path on disk (never printed unless asked for). */
  absPath: string;
  kind: SourceKind;
  size: number;
  /** The bytes, when they do not come from the disk (a git revision). */
  content?: Buffer;
}

export type NotificationLevel = 'error' | 'warning' | 'note';

/** Something the scan could not do: a skipped or unreadable file. Becomes a SARIF toolExecutionNotification. */
export interface Notification {
  level: NotificationLevel;
  message: string;
  /** Stable identifier of the kind of problem, e.g. `file-too-large`. */
  id: string;
  file?: string;
  /** Where in `file`, when the problem has a place (the document over a limit). */
  region?: Region;
}
