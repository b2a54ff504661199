// parse: bytes → text → YAML documents with a LineCounter, so that every node
// has an exact line and column. A file that does not parse yields one syntax
// problem at the parser's position and the scan goes on.
import fs from 'node:fs';
import { Composer, type CST, type Document, LineCounter, Parser, type Tags, visit } from 'yaml';
import { DEFAULT_CONFIG } from './config-types.js';
import { leanNode } from './lean-yaml.js';
import { type LineIndex, NO_LINES, TextLines } from './lines.js';
import { alwaysRelevant, hasDirective, onlyDocumentsIn, precheck } from './precheck.js';
import { lineBreaksAsLf, type ParsedDoc, samePlace } from './yaml.js';
import type { Notification, Region, SourceFile } from './types.js';

export interface SyntaxProblem {
  file: string;
  region: Region;
  message: string;
}

export interface ParsedFile {
  file: SourceFile;
  text: string;
  /** Positions in `text` (lines.ts). */
  lineCounter: LineIndex;
  docs: ParsedDoc[];
  /** At most one per file: the first problem the parser reports. */
  syntax?: SyntaxProblem;
  /** Limits the file hit (documents, depth, aliases): what was not checked, and where. */
  notifications?: Notification[];
  /** The pre-check found nothing any rule reads: the file was not parsed and its text not kept. */
  skipped?: boolean;
  /** The pre-check blanked some of its documents: they are empty in `docs` (a renderer that needs them parses the file whole). */
  blanked?: boolean;
}

/** Kubernetes reads YAML 1.1 (`yes` is a boolean) but keeps dates as strings. */
const customTags = (tags: Tags): Tags => tags.filter((t) => !(typeof t === 'object' && 'tag' in t && t.tag === 'tag:yaml.org,2002:timestamp'));

// logLevel error: yaml would otherwise print warnings (with text from the file) to the process's stderr.
export const COMPOSER_OPTIONS = { version: '1.1', customTags, prettyErrors: false, uniqueKeys: true, logLevel: 'error' } as const;

type Directives = Document.Parsed['directives'];

let template: Document.Parsed | undefined;

/**
 * A document as the composer gives a plain one (COMPOSER_OPTIONS, no
 * directives): every such document shares its options, schema and
 * directives instead of keeping its own (several hundred bytes each), the
 * restored ones included (parse-transport.ts).
 */
export function plainTemplate(): Document.Parsed {
  template ??= [...new Composer(COMPOSER_OPTIONS).compose(new Parser().parse('a: 1\n'))][0];
  return template;
}

const directivesByMarkers = new Map<string, Directives>();

/** The directives of a plain document, which differ only by its `---` and `...` markers: one frozen copy of each. */
export function plainDirectives(docStart: Directives['docStart'], docEnd: boolean): Directives {
  const key = `${String(docStart)} ${String(docEnd)}`;
  let d = directivesByMarkers.get(key);
  if (!d) {
    d = Object.assign(plainTemplate().directives.clone(), { docStart, docEnd });
    Object.freeze(d.yaml);
    Object.freeze(d.tags);
    directivesByMarkers.set(key, Object.freeze(d));
  }
  return d;
}

/** No errors, no warnings: one frozen empty list for every document that has none. */
export const NO_PROBLEMS: never[] = Object.freeze([]) as unknown as never[];

/** Whether a composed document reads like the template: no %YAML or %TAG directive of its own. */
function isPlainDocument(doc: Document.Parsed): boolean {
  const { yaml, tags } = doc.directives;
  const plain = plainTemplate().directives.tags;
  const names = Object.keys(tags);
  return !yaml.explicit && names.length === Object.keys(plain).length && names.every((n) => tags[n] === plain[n]);
}

/** A plain document made to share the template's parts; any other keeps its own. */
function shareParts(doc: Document.Parsed): void {
  if (!isPlainDocument(doc)) {
    doc.contents = leanNode(doc.contents);
    return;
  }
  const t = plainTemplate();
  doc.options = t.options;
  doc.schema = t.schema;
  doc.directives = plainDirectives(doc.directives.docStart, doc.directives.docEnd);
  if (doc.errors.length === 0) doc.errors = NO_PROBLEMS;
  if (doc.warnings.length === 0) doc.warnings = NO_PROBLEMS;
  doc.contents = leanNode(doc.contents, t.schema);
}

export function readSource(file: SourceFile): Buffer {
  return file.content ?? fs.readFileSync(file.absPath);
}

interface Decoded {
  text: string;
  problem?: { offset: number; message: string };
  /** For a binary file (text ''): the text the problem's offset counts in, to place it on its line. */
  located?: string;
}

/** Decodes UTF-8 (BOM stripped) or UTF-16 with a BOM; binary and invalid UTF-8 are reported. */
export function decode(buf: Buffer): Decoded {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const body = start ? buf.subarray(start) : buf;
  const nul = body.indexOf(0);
  const text = body.toString('utf8');
  if (nul !== -1) {
    return { text: '', located: text, problem: { offset: Buffer.from(body.subarray(0, nul)).toString('utf8').length, message: 'File contains a NUL byte: it is binary, not YAML. It was not checked.' } };
  }
  const bad = text.indexOf('\uFFFD');
  if (bad !== -1 && !isValidUtf8(body)) {
    return { text, problem: { offset: bad, message: 'File is not valid UTF-8 (first invalid byte here); Kubernetes rejects it. The rest of the file was read with the invalid bytes replaced.' } };
  }
  return { text };
}

function isValidUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

export interface ParseOptions {
  /** Upper bound on documents read from one file (config maxDocumentsPerFile). */
  maxDocuments?: number;
  /** yaml's maxAliasCount: how much aliases may expand before a document is treated as an alias bomb. */
  maxAliasCount?: number;
  /** Deepest nesting of collections in a document (config maxDepth). */
  maxDepth?: number;
  /** Skip documents no rule can read (see precheck.ts); off when custom rules may read anything. */
  precheck?: boolean;
}

export const DEFAULT_MAX_ALIAS_COUNT = DEFAULT_CONFIG.maxAliasCount;
export const DEFAULT_MAX_DOCUMENTS = DEFAULT_CONFIG.maxDocumentsPerFile;
export const DEFAULT_MAX_DEPTH = DEFAULT_CONFIG.maxDepth;

/**
 * Offset of the first collection nested deeper than `maxDepth` in a document's
 * syntax tree, or undefined. Measured on the parser's tree before anything is
 * composed, with an explicit stack: yaml composes nodes recursively, and a
 * deep enough document (`[[[[…`, a few bytes a level) would otherwise run it
 * out of stack at a place that depends on how deep the caller already was.
 */
export function tooDeepAt(token: CST.Token, maxDepth: number): number | undefined {
  const stack: Array<[CST.Token, number]> = [[token, 0]];
  while (stack.length > 0) {
    const [tok, depth] = stack.pop() as [CST.Token, number];
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth + 1 > maxDepth) return tok.offset;
    // Pushed last to first, so the first too-deep collection in document order is found.
    for (let i = tok.items.length - 1; i >= 0; i--) {
      const item = tok.items[i];
      if (item.value) stack.push([item.value, depth + 1]);
      if (item.key) stack.push([item.key, depth + 1]);
    }
  }
  return undefined;
}

/** Offset of the first alias of a document, or undefined when it has none. */
function firstAlias(doc: Document.Parsed): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return at;
}

/**
 * A document whose aliases expand beyond the limit (a "billion laughs") is not
 * trusted: expanding it would exhaust memory. yaml's own check fails fast.
 * Aliases that nest anchors so deep that expanding them runs out of stack are
 * refused the same way: every later reader (rules, JSON Schemas) expands them.
 */
function aliasBomb(doc: Document.Parsed, maxAliasCount: number): number | undefined {
  const at = firstAlias(doc);
  if (at === undefined) return undefined;
  try {
    doc.toJS({ maxAliasCount });
    return undefined;
  } catch {
    return at;
  }
}

/**
 * The documents of a file, read one at a time: at most `maxDocuments` are
 * composed (the parser stops right after the next one starts), and a document
 * nested deeper than `maxDepth` is composed empty and reported instead.
 */
function composeDocuments(text: string, lineCounter: LineCounter, maxDocuments: number, maxDepth: number): { docs: Document.Parsed[]; tooDeep: Map<number, number>; firstUnread?: number } {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(COMPOSER_OPTIONS);
  // Document start offset → offset of its first too-deep collection.
  const tooDeep = new Map<number, number>();
  function* tokens(): Generator<CST.Token> {
    for (const token of parser.parse(text)) {
      if (token.type === 'document' && token.value) {
        const deep = tooDeepAt(token.value, maxDepth);
        if (deep !== undefined) {
          tooDeep.set(token.offset, deep);
          yield { ...token, value: undefined };
          continue;
        }
      }
      yield token;
    }
  }
  const docs: Document.Parsed[] = [];
  let firstUnread: number | undefined;
  for (const doc of composer.compose(tokens())) {
    if (docs.length >= maxDocuments) {
      firstUnread = doc.range?.[0] ?? text.length;
      break;
    }
    docs.push(doc);
  }
  if (firstUnread !== undefined) {
    // The parser stopped early: count the remaining lines, so positions past it (comments, suppressions) stay right.
    const starts = lineCounter.lineStarts;
    for (let i = text.indexOf('\n', starts[starts.length - 1] ?? 0); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  }
  return { docs, tooDeep, ...(firstUnread !== undefined ? { firstUnread } : {}) };
}

export function parseText(file: SourceFile, text: string, opts: ParseOptions = {}): ParsedFile {
  const lineCounter = new LineCounter();
  const maxDocuments = opts.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxAliasCount = opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const lf = lineBreaksAsLf(text);
  let toParse = lf;
  if (opts.precheck && !alwaysRelevant(file.path)) {
    const pre = precheck(lf);
    // Nothing any rule reads: the text is not even kept, which is most of the memory of a big repository.
    if (pre.empty) return { file, text: '', lineCounter: NO_LINES, docs: [], skipped: true };
    toParse = pre.text;
  }
  const { docs: parsed, tooDeep, firstUnread } = composeDocuments(toParse, lineCounter, maxDocuments, maxDepth);
  // The parser's count serves while parsing; what the scan keeps counts again only when asked (lines.ts).
  const lines = new TextLines(text);
  const out: ParsedFile = { file, text, lineCounter: lines, docs: [] };
  if (toParse !== lf) out.blanked = true;
  const notifications: Notification[] = [];
  const notify = (id: string, offset: number, message: string): void => {
    notifications.push({ id, level: 'warning', file: file.path, region: regionAt(lineCounter, offset, offset + 1), message });
  };
  let nextStart = 1;
  for (let i = 0; i < parsed.length; i++) {
    const doc = parsed[i];
    const range = doc.range ?? [0, 0, 0];
    const endOffset = i + 1 < parsed.length ? (parsed[i + 1].range?.[0] ?? range[2]) : (firstUnread ?? text.length);
    const endLine = Math.max(nextStart, lineCounter.linePos(Math.max(0, endOffset - 1)).line);
    const pdoc: ParsedDoc = { file, index: i, doc, text, lineCounter: lines, startLine: nextStart, endLine };
    nextStart = endLine + 1;
    const deep = tooDeep.get(range[0]);
    if (deep !== undefined) {
      const line = lineCounter.linePos(deep).line;
      notify('depth-limit', deep, `Document ${i + 1} of ${file.path} nests collections deeper than ${maxDepth} levels (config "maxDepth"), here on line ${line}; the document was not checked.`);
      continue;
    }
    const err = doc.errors[0];
    if (err) {
      if (!out.syntax) {
        const [start, end] = errorOffsets(text, err.message, err.pos);
        out.syntax = { file: file.path, region: regionAt(lineCounter, start, end), message: cleanMessage(err.message) };
      }
      continue; // a document that does not parse is not trusted as a resource
    }
    if (toParse.includes('*')) {
      const bomb = aliasBomb(doc, maxAliasCount);
      if (bomb !== undefined) {
        // Kubernetes' YAML reader refuses such documents too: a DAPR001 finding, and the notification that it was not checked.
        if (!out.syntax) out.syntax = { file: file.path, region: regionAt(lineCounter, bomb, bomb + 1), message: `Aliases expand beyond the limit of ${maxAliasCount} (a "billion laughs" alias bomb?); the document was not checked` };
        notify('alias-limit', bomb, `Document ${i + 1} of ${file.path}: its aliases expand beyond the limit of ${maxAliasCount} (config "maxAliasCount"); the document was not checked.`);
        continue;
      }
    }
    shareParts(doc);
    out.docs.push(pdoc);
  }
  if (firstUnread !== undefined) {
    notify('documents-limit', firstUnread, `${file.path} has more than ${maxDocuments} documents (config "maxDocumentsPerFile"): the documents from line ${lineCounter.linePos(firstUnread).line} on were not checked.`);
  }
  if (notifications.length > 0) out.notifications = notifications;
  return out;
}

/** JSON files are manifests only when they say so; package.json, tsconfig.json and friends are not parsed. */
function isJsonManifest(buf: Buffer): boolean {
  return buf.includes('"apiVersion"') || buf.includes('"services"') || buf.includes('"apps"');
}

/** A file kept as text only (PEM, Helm template, JSON that is not a manifest): no documents, but positions. */
export function textOnly(file: SourceFile, text: string): ParsedFile {
  return { file, text, lineCounter: new TextLines(text), docs: [] };
}

export function parseFile(file: SourceFile, opts: ParseOptions = {}, buf: Buffer = readSource(file)): ParsedFile {
  // Certificates, keys and Helm templates are text for the rules that read text (committed keys), not YAML.
  if (file.kind === 'pem' || file.kind === 'helm-template') return textOnly(file, decode(buf).text);
  if (file.path.endsWith('.json') && !isJsonManifest(buf)) {
    // Only a private key pasted into it makes such a file matter (DAPR207); dashboards are most of a big repository's bytes.
    const { text } = decode(buf);
    if (opts.precheck && !text.includes('PRIVATE KEY')) return { file, text: '', lineCounter: NO_LINES, docs: [], skipped: true };
    return textOnly(file, text);
  }
  const decoded = decode(buf);
  const parsed = parseText(file, decoded.text, opts);
  if (decoded.problem) {
    // A binary file is not parsed, but its NUL byte is still placed on its line.
    // A skipped file keeps no line counter of its own: count the lines of the decoded text here.
    const lines = decoded.located !== undefined ? textOnly(file, decoded.located).lineCounter : parsed.skipped ? textOnly(file, decoded.text).lineCounter : parsed.lineCounter;
    parsed.syntax = { file: file.path, region: regionAt(lines, decoded.problem.offset, decoded.problem.offset + 1), message: decoded.problem.message };
    if (!decoded.text) parsed.docs = [];
  }
  return parsed;
}

/**
 * Where to point for a parse error. The parser reports where it noticed the
 * problem; an unclosed quote is noticed at the end of the file, so point at the
 * opening quote instead, and never past the last character.
 */
function errorOffsets(text: string, message: string, pos: [number, number]): [number, number] {
  const quote = /^Missing closing (["'])quote/.exec(message);
  if (quote) {
    const open = text.lastIndexOf(quote[1], Math.min(pos[0], text.length) - 1);
    if (open !== -1) return [open, open + 1];
  }
  if (pos[0] < text.length) return pos;
  let last = text.length - 1;
  while (last > 0 && /\s/.test(text[last])) last--;
  return [Math.max(0, last), Math.max(0, last) + 1];
}

function regionAt(lc: LineIndex, start: number, end: number): Region {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start + 1, end));
  // A position past the last newline still belongs to a real line for SARIF.
  const startLine = Math.max(1, a.line);
  const endLine = Math.max(startLine, b.line);
  return { startLine, startColumn: Math.max(1, a.col), endLine, endColumn: endLine === startLine ? Math.max(a.col + 1, b.col) : Math.max(1, b.col) };
}

function cleanMessage(msg: string): string {
  // The parser appends " at line L, column C" and a code frame when pretty; keep the first line only.
  return msg.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * A document's contents parsed again from its text (a released document's,
 * release.ts). Only the document is parsed, the file's others blanked, unless
 * the file has directives (`%YAML` and `%TAG` lines change how the documents
 * after them read) or that does not give back a map at the same place: then
 * the whole file is.
 */
export function contentsAgain(pdoc: ParsedDoc, opts: ParseOptions): unknown {
  const doc = pdoc.doc.range;
  if (doc && !hasDirective(pdoc.text)) {
    const alone = parseText(pdoc.file, onlyDocumentsIn(pdoc.text, doc[0], doc[2]), opts).docs;
    const same = alone.find((d) => samePlace(d.doc.contents, pdoc.doc.contents));
    if (same) return same.doc.contents;
  }
  return parseText(pdoc.file, pdoc.text, opts).docs.find((d) => d.index === pdoc.index)?.doc.contents ?? null;
}
