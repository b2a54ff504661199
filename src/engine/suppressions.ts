// Inline suppressions in YAML comments:
//   # dapr-policy-disable-next-line DAPR101[,DAPR301] [until=YYYY-MM-DD] -- reason
//   # dapr-policy-disable DAPR101 [until=YYYY-MM-DD] -- reason   (whole document)
// Comments are found with the YAML parser's concrete syntax tree, so text in a
// block scalar that merely looks like a comment is never taken for one. In a
// Helm template, the `{{ }}` actions are blanked first: what is left reads as
// YAML, and findings on what the chart renders point at template lines.
import { Parser } from 'yaml';
import type { ParsedFile } from './parse.js';
import { withoutActions } from './render/template-static.js';
import type { Region } from './types.js';
import { lineBreaksAsLf } from './yaml.js';

export type SuppressionScope = 'next-line' | 'document';

export interface SuppressionComment {
  file: string;
  /** The comment's own position (for DAPR006). */
  region: Region;
  scope: SuppressionScope;
  /** Rule ids or names as written. */
  rules: string[];
  reason?: string;
  /** ISO date (YYYY-MM-DD) after which the suppression stops applying. */
  until?: string;
  /** An `until=` that is not a date: the suppression does not apply (failing closed). */
  untilInvalid?: boolean;
  /** Problems with the comment itself (bad date, no rule). */
  problems: string[];
  /** Lines the suppression covers. */
  fromLine: number;
  toLine: number;
}

const MARKER = 'dapr-policy-disable';
const DIRECTIVE = /^#\s*dapr-policy-(disable-next-line|disable)(?=\s|$)(.*)$/;

interface CommentToken {
  offset: number;
  source: string;
}

/** Every comment token of the CST, wherever it hangs, and where each `---` starts a document. */
function commentTokens(text: string): { comments: CommentToken[]; docStarts: number[] } {
  const comments: CommentToken[] = [];
  const docStarts: number[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const t = v as { type?: unknown; offset?: unknown; source?: unknown };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      comments.push({ offset: t.offset, source: t.source });
      return;
    }
    if (t.type === 'doc-start' && typeof t.offset === 'number') docStarts.push(t.offset);
    for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key]);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return { comments: comments.sort((a, b) => a.offset - b.offset), docStarts: docStarts.sort((a, b) => a - b) };
}

function parseDirective(body: string): Pick<SuppressionComment, 'rules' | 'reason' | 'until' | 'untilInvalid' | 'problems'> {
  const problems: string[] = [];
  const sep = body.search(/(^|\s)--(\s|$)/);
  const head = sep === -1 ? body : body.slice(0, sep);
  const reasonText = sep === -1 ? undefined : body.slice(sep).replace(/^\s*--/, '').trim();
  const rules: string[] = [];
  let until: string | undefined;
  let untilInvalid = false;
  for (const tok of head.trim().split(/[\s,]+/).filter(Boolean)) {
    if (tok.startsWith('until=')) {
      const date = tok.slice('until='.length);
      if (/^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`))) until = date;
      else {
        untilInvalid = true;
        problems.push(`"${tok}" is not a date of the form until=YYYY-MM-DD, so the suppression does not apply`);
      }
    } else {
      rules.push(tok);
    }
  }
  if (rules.length === 0) problems.push('it names no rule, so it suppresses nothing');
  const out: Pick<SuppressionComment, 'rules' | 'reason' | 'until' | 'untilInvalid' | 'problems'> = { rules, problems };
  if (reasonText) out.reason = reasonText;
  if (until) out.until = until;
  if (untilInvalid) out.untilInvalid = true;
  return out;
}

/** Line numbers (1-based) that hold only whitespace or a comment. */
function isBlankOrComment(line: string | undefined): boolean {
  if (line === undefined) return false;
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** The lines of the document a line is in: from its `---` (or the file's start) to the line before the next `---` (or the file's end). */
type DocumentLines = (line: number) => [number, number];

export function findSuppressions(file: ParsedFile): SuppressionComment[] {
  if (!file.text.includes(MARKER)) return [];
  if (file.file.kind === 'yaml') {
    const { comments } = commentTokens(lineBreaksAsLf(file.text));
    return fromComments(file, file.text, comments, (line) => {
      const doc = file.docs.find((d) => d.startLine <= line && line <= d.endLine);
      return doc ? [doc.startLine, doc.endLine] : [line, line];
    });
  }
  if (file.file.kind === 'helm-template') {
    // A line of actions only (`{{- if … }}`) is blank here, so next-line skips it as it skips blank lines.
    const yaml = withoutActions(lineBreaksAsLf(file.text));
    const { comments, docStarts } = commentTokens(yaml);
    const lastLine = file.lineCounter.lineStarts.length;
    const startLines = docStarts.map((o) => file.lineCounter.linePos(o).line);
    return fromComments(file, yaml, comments, (line) => {
      const from = startLines.filter((l) => l <= line).pop() ?? 1;
      const next = startLines.find((l) => l > line);
      return [from, next === undefined ? lastLine : next - 1];
    });
  }
  return [];
}

/** Suppressions from the comments of `text` (the file's text, or a template's with its actions blanked: same offsets). */
function fromComments(file: ParsedFile, text: string, comments: CommentToken[], documentLines: DocumentLines): SuppressionComment[] {
  const lines = text.split(/\r?\n|\r/);
  const out: SuppressionComment[] = [];
  for (const tok of comments) {
    const m = DIRECTIVE.exec(tok.source);
    if (!m) continue;
    const pos = file.lineCounter.linePos(tok.offset);
    const end = file.lineCounter.linePos(tok.offset + tok.source.length);
    const region: Region = { startLine: pos.line, startColumn: pos.col, endLine: end.line, endColumn: end.col };
    const scope: SuppressionScope = m[1] === 'disable-next-line' ? 'next-line' : 'document';
    let fromLine: number;
    let toLine: number;
    if (scope === 'next-line') {
      let next = pos.line + 1;
      while (next <= lines.length && isBlankOrComment(lines[next - 1])) next++;
      fromLine = toLine = next;
    } else {
      [fromLine, toLine] = documentLines(pos.line);
    }
    out.push({ file: file.file.path, region, scope, fromLine, toLine, ...parseDirective(m[2]) });
  }
  return out;
}
