// The `json` format: a stable, documented shape (see README "JSON output").
// Version 1 fields are only ever added to, never renamed or removed.
import type { Result, ResultFix } from '../engine/policy.js';
import type { Location, Notification } from '../engine/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../meta/project.js';
import type { FormatOptions, ReportInput } from './types.js';
import { countResults } from './summary.js';

function flatLocation(l: Location): Record<string, unknown> {
  return { file: l.file, ...l.region, ...(l.label ? { label: l.label } : {}) };
}

/**
 * A fix: each edit replaces `[start, end)` of the file's text (UTF-16 code
 * units after any BOM, as JavaScript strings index it) with `text`; the
 * region says the same in lines and columns (end exclusive; empty for an
 * insertion).
 */
function jsonFix(fix: ResultFix): Record<string, unknown> {
  return { description: fix.description, edits: fix.edits.map((e) => ({ file: e.file, ...e.region, start: e.start, end: e.end, text: e.text })) };
}

function jsonResult(r: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: r.ruleId,
    ruleName: r.ruleName,
    level: r.level,
    message: r.message,
    ...flatLocation(r.location),
    environments: r.environments,
    namespaces: r.namespaces,
    ...(r.renderedFrom ? { renderedFrom: r.renderedFrom } : {}),
    fingerprint: r.fingerprint,
    related: r.related.map(flatLocation),
  };
  if (r.fix) out.fix = jsonFix(r.fix);
  if (r.suppression) {
    out.suppressed = { kind: r.suppression.kind, justification: r.suppression.justification, ...(r.suppression.until ? { until: r.suppression.until } : {}), file: r.suppression.location.file, line: r.suppression.location.region.startLine };
  }
  return out;
}

function jsonNotification(n: Notification): Record<string, unknown> {
  return { id: n.id, level: n.level, message: n.message, ...(n.file ? { file: n.file } : {}), ...(n.region ? n.region : {}) };
}

export function formatJson(input: ReportInput, options: FormatOptions = {}): string {
  const counts = countResults(input.results);
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    // The scanning machine's folders stay out of the report unless asked for (--absolute-paths).
    ...(options.absolutePaths ? { root: input.root } : {}),
    summary: { errors: counts.error, warnings: counts.warning, notes: counts.note, suppressed: counts.suppressed, filesScanned: input.filesScanned },
    executionSuccessful: input.executionSuccessful,
    results: input.results.map(jsonResult),
    notifications: input.notifications.map(jsonNotification),
    ...(input.baseline ? { baseline: { file: input.baseline.file, matched: input.baseline.matched, fixed: input.baseline.fixed } } : {}),
    ...(input.fixed ? { fixed: input.fixed } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
