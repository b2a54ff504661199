// The `json` format: a stable, documented shape (see README "JSON output").
// Version 1 fields are only ever added to, never renamed or removed.
import type { Result } from '../engine/policy.js';
import type { Location, Notification } from '../engine/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../meta/project.js';
import type { ReportInput } from './types.js';
import { countResults } from './summary.js';

function flatLocation(l: Location): Record<string, unknown> {
  return { file: l.file, ...l.region, ...(l.label ? { label: l.label } : {}) };
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
    fingerprint: r.fingerprint,
    related: r.related.map(flatLocation),
  };
  if (r.suppression) {
    out.suppressed = { kind: r.suppression.kind, justification: r.suppression.justification, ...(r.suppression.until ? { until: r.suppression.until } : {}), file: r.suppression.location.file, line: r.suppression.location.region.startLine };
  }
  return out;
}

function jsonNotification(n: Notification): Record<string, unknown> {
  return { id: n.id, level: n.level, message: n.message, ...(n.file ? { file: n.file } : {}) };
}

export function formatJson(input: ReportInput): string {
  const counts = countResults(input.results);
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: { errors: counts.error, warnings: counts.warning, notes: counts.note, suppressed: counts.suppressed, filesScanned: input.filesScanned },
    executionSuccessful: input.executionSuccessful,
    results: input.results.map(jsonResult),
    notifications: input.notifications.map(jsonNotification),
    ...(input.baseline ? { baseline: { file: input.baseline.file, matched: input.baseline.matched, fixed: input.baseline.fixed } } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
