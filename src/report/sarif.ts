// The `sarif` format: SARIF 2.1.0 as GitHub code scanning reads it (one run,
// every rule declared, repo-relative URIs under %SRCROOT%, full regions in
// UTF-16 columns, partialFingerprints under our own key, notifications for
// files that were not checked). Pure function of the results.
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Result, ResultFix } from '../engine/policy.js';
import type { Location, Notification } from '../engine/types.js';
import { levelColumns } from '../meta/levels.js';
import { INFORMATION_URI, ruleHelpUri, TOOL_NAME, TOOL_VERSION } from '../meta/project.js';
import { ruleHelpText, ruleMarkdownBody } from '../meta/rule-docs.js';
import type { RuleMeta } from '../rules/types.js';
import type { FormatOptions, ReportInput } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;
export const FINGERPRINT_KEY = 'daprPolicy/v1';
const SRCROOT = '%SRCROOT%';

/** A root-relative POSIX path as an RFC 3986 relative reference. */
export function toUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The most severe level a rule can have: SARIF's default level for it. */
function defaultLevel(meta: RuleMeta): Sarif.ReportingConfiguration.level {
  const c = levelColumns(meta.levels);
  for (const l of ['error', 'warning', 'note'] as const) if (c.default === l || c.production === l || c.nonProduction === l) return l;
  return 'none';
}

function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  const tags = [...new Set(['security', ...meta.tags])].slice(0, 20);
  const properties: Sarif.PropertyBag = { tags, precision: meta.precision, 'security-severity': meta.securitySeverity.toFixed(1) };
  if (meta.securitySeverity <= 0) properties['problem.severity'] = defaultLevel(meta) === 'error' ? 'error' : 'warning';
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: clip(meta.shortDescription, 1024) },
    fullDescription: { text: clip(meta.fullDescription, 1024) },
    help: { text: ruleHelpText(meta), markdown: meta.custom ? `${meta.shortDescription}\n\nA custom rule of this repository's rules.config.json.` : ruleMarkdownBody(meta) },
    ...(meta.custom ? (meta.helpUri ? { helpUri: meta.helpUri } : {}) : { helpUri: ruleHelpUri(meta.id) }),
    defaultConfiguration: { level: defaultLevel(meta) },
    properties,
  };
}

function physical(loc: Location): Sarif.PhysicalLocation {
  return {
    artifactLocation: { uri: toUri(loc.file), uriBaseId: SRCROOT },
    region: { ...loc.region },
  };
}

/**
 * A fix as SARIF `fixes[]`: one artifactChange per file, each edit a
 * replacement of its region (an empty region inserts; no insertedContent
 * deletes). Regions use lines and UTF-16 columns, like every other region.
 */
function sarifFix(fix: ResultFix): Sarif.Fix {
  const byFile = new Map<string, Sarif.Replacement[]>();
  for (const e of fix.edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({ deletedRegion: { ...e.region }, ...(e.text !== '' ? { insertedContent: { text: e.text } } : {}) });
    byFile.set(e.file, list);
  }
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: { uri: toUri(file), uriBaseId: SRCROOT }, replacements })),
  };
}

function sarifResult(r: Result, ruleIndex: number, baselined: boolean): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: r.ruleId,
    ruleIndex,
    level: r.level,
    message: { text: r.message },
    locations: [{ physicalLocation: physical(r.location) }],
    partialFingerprints: { [FINGERPRINT_KEY]: r.fingerprint },
    properties: {
      environments: r.environments,
      ...(r.namespaces.length ? { namespaces: r.namespaces } : {}),
      // Which values variants / kustomize overlays rendered the resource this result is about.
      ...(r.renderedFrom ? { renderedFrom: r.renderedFrom } : {}),
      ...(r.securitySeverity !== undefined ? { 'security-severity': r.securitySeverity.toFixed(1) } : {}),
    },
  };
  if (r.related.length) {
    out.relatedLocations = r.related.map((loc, i) => ({ id: i + 1, physicalLocation: physical(loc), ...(loc.label ? { message: { text: loc.label } } : {}) }));
  }
  // Against a baseline, every reported result is new: baselined ones are not reported.
  if (baselined) out.baselineState = 'new';
  if (r.fix) out.fixes = [sarifFix(r.fix)];
  if (r.suppression) out.suppressions = [{ kind: 'inSource', justification: r.suppression.justification || 'No reason given.', location: { physicalLocation: physical(r.suppression.location) } }];
  return out;
}

function notification(n: Notification): Sarif.Notification {
  const out: Sarif.Notification = { level: n.level, message: { text: n.message }, descriptor: { id: n.id } };
  if (n.file) out.locations = [{ physicalLocation: { artifactLocation: { uri: toUri(n.file), uriBaseId: SRCROOT }, ...(n.region ? { region: { ...n.region } } : {}) } }];
  return out;
}

/** %SRCROOT% names no folder of the scanning machine unless asked for (--absolute-paths): then it is the root's file:// URI. */
function srcRoot(input: ReportInput, options: FormatOptions): Sarif.ArtifactLocation {
  const description = { text: 'The root of the scanned repository.' };
  if (!options.absolutePaths) return { description };
  const uri = pathToFileURL(input.root).href;
  return { uri: uri.endsWith('/') ? uri : `${uri}/`, description };
}

export function buildSarif(input: ReportInput, options: FormatOptions): Sarif.Log {
  const index = new Map(input.rules.map((m, i) => [m.id, i]));
  const kept = input.results.filter((r) => options.includeSuppressed || !r.suppression);
  const notifications = input.notifications.map(notification);
  let shown = kept;
  if (kept.length > MAX_RESULTS) {
    // Keep the most severe; within a level the order stays (file, line, column).
    const rank = { error: 0, warning: 1, note: 2 } as const;
    shown = kept
      .map((r, i) => ({ r, i }))
      .sort((a, b) => rank[a.r.level] - rank[b.r.level] || a.i - b.i)
      .slice(0, MAX_RESULTS)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.r);
    notifications.push({ level: 'warning', message: { text: `${kept.length - MAX_RESULTS} less severe results were left out: GitHub code scanning accepts at most ${MAX_RESULTS} results per run. Use --format json for all of them.` }, descriptor: { id: 'results-truncated' } });
  }
  const results = shown.map((r) => sarifResult(r, index.get(r.ruleId) ?? -1, input.baseline !== undefined));
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        semanticVersion: TOOL_VERSION,
        version: TOOL_VERSION,
        informationUri: INFORMATION_URI,
        rules: input.rules.map(ruleDescriptor),
      },
    },
    invocations: [{ executionSuccessful: input.executionSuccessful, toolExecutionNotifications: notifications }],
    originalUriBaseIds: { [SRCROOT]: srcRoot(input, options) },
    columnKind: 'utf16CodeUnits',
    // YAML breaks lines at a lone CR too (yaml.ts lineBreaksAsLf); SARIF's default is CRLF and LF only.
    newlineSequences: ['\r\n', '\n', '\r'],
    results,
  };
  if (options.category) run.automationDetails = { id: options.category.endsWith('/') ? options.category : `${options.category}/` };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function formatSarif(input: ReportInput, options: FormatOptions): string {
  return `${JSON.stringify(buildSarif(input, options), null, 2)}\n`;
}
