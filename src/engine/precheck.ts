// A cheap text pre-check: most of a real repository (dashboards, CRDs, big
// ConfigMaps, RBAC) cannot hold anything a rule reads. Each YAML document is
// tested for the few markers that every rule needs in its input; a document
// without any is blanked before parsing (newlines kept, so positions do not
// move) and a file without any relevant document is not parsed at all. The
// markers are over-inclusive on purpose: a document kept for nothing costs a
// parse, a document dropped by mistake would cost a finding. A test compares
// findings with and without the pre-check on whole corpora.
import path from 'node:path';
import type { ParsedDoc } from './yaml.js';

/** Substrings that make a document relevant by themselves. */
const MARKERS = [
  // Dapr resources, dapr.io annotations, daprd, the Dapr chart and its values, suppression comments.
  'dapr',
  'Dapr',
  'DAPR',
  // Multi-App Run templates that do not say "dapr" anywhere.
  'appID',
  'appDirPath',
];

/** PEM blocks (DAPR207, DAPR403, DAPR404), plain and base64 at its three alignments. */
const PEM_MARKERS = ['-----BEGIN', 'LS0tLS1CRUdJ', 'LS0tQkVHSU', 'LS0tLUJFR0lO'];

/** The escapes of a double-quoted scalar that can write a marker's characters, and the escaped line break that joins two lines. */
const ESCAPE = /\\[xuU]|\\\r?\n/;
/** A line that is only base64: a wrapped base64 value, whose marker may straddle two lines. */
const BASE64_LINE = /^[ \t]*[A-Za-z0-9+/]{8,}={0,2}[ \t]*\r?$/m;

/**
 * Whether a document's text may hold a PEM block in some value, for the
 * rules that look at every scalar, and for the pre-check. Besides the markers:
 * an escape in a double-quoted scalar (`\x2D`, or a line continuation inside
 * base64, can hide a marker from the text) and a wrapped base64 value (its
 * marker can be split across lines; base64 is read with its whitespace
 * removed).
 */
export function mayHoldPem(text: string): boolean {
  for (const m of PEM_MARKERS) if (text.includes(m)) return true;
  return ESCAPE.test(text) || BASE64_LINE.test(text);
}

/**
 * mayHoldPem on one parsed document's own text. The PEM rules search the
 * scalars of exactly these documents, so their trees are never released
 * (release.ts).
 */
export function documentMayHoldPem(pdoc: ParsedDoc): boolean {
  const range = pdoc.doc.range;
  return mayHoldPem(range ? pdoc.text.slice(range[0], range[2]) : pdoc.text);
}

/** Kinds rules read even without a Dapr marker: Services route to sidecars, Secrets are committed or referenced. */
const KINDS = /\bkind["']?\s*:\s*["']?(?:Service|Ingress|HTTPRoute|Secret|SealedSecret|ExternalSecret)\b/;

/** Files whose every document matters: structure files that rules and the model read whatever they contain. */
export function alwaysRelevant(file: string): boolean {
  const name = path.posix.basename(file);
  return (
    name === 'kustomization.yaml' ||
    name === 'kustomization.yml' ||
    name === 'Kustomization' ||
    name === 'Chart.yaml' ||
    /^values([-.].+)?\.ya?ml$/.test(name) ||
    /(^|[-.])compose([-.].+)?\.ya?ml$/.test(name)
  );
}

export function relevantDocument(text: string): boolean {
  for (const m of MARKERS) if (text.includes(m)) return true;
  return KINDS.test(text) || mayHoldPem(text);
}

export interface Prechecked {
  /** The text to parse: irrelevant documents blanked, everything else byte for byte. */
  text: string;
  /** No document is relevant: nothing needs parsing. */
  empty: boolean;
}

/** Whether a line starting at `i` is a document marker: `---` or `...` alone or followed by a space or tab. */
function isMarkerAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if ((c !== 0x2d && c !== 0x2e) || text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return false;
  const next = text.charCodeAt(i + 3);
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d;
}

/** Offsets where documents start: 0, then every marker line. */
function documentStarts(text: string): number[] {
  const starts = [0];
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) if (isMarkerAt(text, nl + 1)) starts.push(nl + 1);
  return starts;
}

/** Spaces in place of every character but line breaks: same length, same lines. */
function blank(chunk: string): string {
  return chunk
    .split('\n')
    .map((line) => ' '.repeat(line.length))
    .join('\n');
}

/** Whether a line of `text` starts with `%`: a directive, or (rarely) a block scalar's line that looks like one. */
export function hasDirective(text: string): boolean {
  return /^%/m.test(text);
}

/**
 * `text` with every document blanked but those overlapping `[from, to)`, the
 * same way as `precheck` blanks (line breaks and `---` lines kept, so offsets
 * do not move): one document of a many-document file parses alone.
 */
export function onlyDocumentsIn(text: string, from: number, to: number): string {
  return keepDocuments(text, documentStarts(text), (_chunk, start, end) => start < to && end > from);
}

/**
 * `text` with every document chunk (from one start to the next) that `keep`
 * refuses blanked, its own `---` line kept so that the documents keep their
 * count and positions (`text` itself when none is).
 */
function keepDocuments(text: string, starts: number[], keep: (chunk: string, start: number, end: number) => boolean): string {
  const bounds = [...starts, text.length];
  let changed = false;
  const parts: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const chunk = text.slice(bounds[i], bounds[i + 1]);
    if (keep(chunk, bounds[i], bounds[i + 1])) {
      parts.push(chunk);
      continue;
    }
    changed = true;
    const eol = isMarkerAt(chunk, 0) ? chunk.indexOf('\n') : 0;
    const head = eol > 0 ? chunk.slice(0, eol) : eol === -1 ? chunk : '';
    parts.push(head + blank(chunk.slice(head.length)));
  }
  return changed ? parts.join('') : text;
}

/** Blanks every document of `text` that no rule can read. */
export function precheck(text: string): Prechecked {
  // Most files are decided whole: nothing relevant anywhere, or one relevant document.
  if (!relevantDocument(text)) return { text: '', empty: true };
  const starts = documentStarts(text);
  // A directive (`%TAG`, `%YAML`) changes how the document after it reads, and sits in the chunk before it: keep them all.
  if (starts.length === 1 || hasDirective(text)) return { text, empty: false };
  return { text: keepDocuments(text, starts, relevantDocument), empty: false };
}
