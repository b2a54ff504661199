// parse: bytes → text → YAML documents with a LineCounter, so that every node
// has an exact line and column. A file that does not parse yields one syntax
// problem at the parser's position and the scan goes on.
import fs from 'node:fs';
import { type Document, LineCounter, parseAllDocuments, type Tags, visit } from 'yaml';
import type { ParsedDoc } from './yaml.js';
import type { Region, SourceFile } from './types.js';

export interface SyntaxProblem {
  file: string;
  region: Region;
  message: string;
}

export interface ParsedFile {
  file: SourceFile;
  text: string;
  lineCounter: LineCounter;
  docs: ParsedDoc[];
  /** At most one per file: the first problem the parser reports. */
  syntax?: SyntaxProblem;
}

/** Kubernetes reads YAML 1.1 (`yes` is a boolean) but keeps dates as strings. */
const customTags = (tags: Tags): Tags => tags.filter((t) => !(typeof t === 'object' && 'tag' in t && t.tag === 'tag:yaml.org,2002:timestamp'));

export function readSource(file: SourceFile): Buffer {
  return file.content ?? fs.readFileSync(file.absPath);
}

interface Decoded {
  text: string;
  problem?: { offset: number; message: string };
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
    return { text: '', problem: { offset: Buffer.from(body.subarray(0, nul)).toString('utf8').length, message: 'File contains a NUL byte: it is binary, not YAML. It was not checked.' } };
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
  /** Upper bound on documents read from one file. */
  maxDocuments?: number;
  /** yaml's maxAliasCount: how much aliases may expand before a document is treated as an alias bomb. */
  maxAliasCount?: number;
}

export const DEFAULT_MAX_ALIAS_COUNT = 100;

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
 */
function aliasBomb(doc: Document.Parsed, maxAliasCount: number): number | undefined {
  const at = firstAlias(doc);
  if (at === undefined) return undefined;
  try {
    doc.toJS({ maxAliasCount });
    return undefined;
  } catch (e) {
    return e instanceof ReferenceError || /alias/i.test((e as Error).message) ? at : undefined;
  }
}

export function parseText(file: SourceFile, text: string, opts: ParseOptions = {}): ParsedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, version: '1.1', customTags, prettyErrors: false, uniqueKeys: true });
  const out: ParsedFile = { file, text, lineCounter, docs: [] };
  if (!Array.isArray(parsed)) {
    // EmptyStream: a file with only comments or nothing at all.
    return out;
  }
  let nextStart = 1;
  const max = opts.maxDocuments ?? Infinity;
  for (let i = 0; i < parsed.length && i < max; i++) {
    const doc = parsed[i];
    const range = doc.range ?? [0, 0, 0];
    const endOffset = i + 1 < parsed.length ? (parsed[i + 1].range?.[0] ?? range[2]) : text.length;
    const endLine = Math.max(nextStart, lineCounter.linePos(Math.max(0, endOffset - 1)).line);
    const pdoc: ParsedDoc = { file, index: i, doc, text, lineCounter, startLine: nextStart, endLine };
    nextStart = endLine + 1;
    const err = doc.errors[0];
    if (err) {
      if (!out.syntax) {
        const [start, end] = errorOffsets(text, err.message, err.pos);
        out.syntax = { file: file.path, region: regionAt(lineCounter, start, end), message: cleanMessage(err.message) };
      }
      continue; // a document that does not parse is not trusted as a resource
    }
    if (text.includes('*')) {
      const bomb = aliasBomb(doc, opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT);
      if (bomb !== undefined) {
        if (!out.syntax) out.syntax = { file: file.path, region: regionAt(lineCounter, bomb, bomb + 1), message: `Aliases expand beyond the limit of ${opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT} (a "billion laughs" alias bomb?); the document was not checked` };
        continue;
      }
    }
    out.docs.push(pdoc);
  }
  return out;
}

/** JSON files are manifests only when they say so; package.json, tsconfig.json and friends are not parsed. */
function isJsonManifest(buf: Buffer): boolean {
  return buf.includes('"apiVersion"') || buf.includes('"services"') || buf.includes('"apps"');
}

/** A file kept as text only (PEM, Helm template, JSON that is not a manifest): no documents, but positions. */
export function textOnly(file: SourceFile, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  return { file, text, lineCounter, docs: [] };
}

export function parseFile(file: SourceFile, opts: ParseOptions = {}): ParsedFile {
  const buf = readSource(file);
  // Certificates, keys and Helm templates are text for the rules that read text (committed keys), not YAML.
  if (file.kind === 'pem' || file.kind === 'helm-template') return textOnly(file, decode(buf).text);
  if (file.path.endsWith('.json') && !isJsonManifest(buf)) return textOnly(file, decode(buf).text);
  const decoded = decode(buf);
  const parsed = parseText(file, decoded.text, opts);
  if (decoded.problem) {
    parsed.syntax = { file: file.path, region: regionAt(parsed.lineCounter, decoded.problem.offset, decoded.problem.offset + 1), message: decoded.problem.message };
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

function regionAt(lc: LineCounter, start: number, end: number): Region {
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
