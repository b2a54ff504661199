// Read-only helpers over `yaml` AST nodes. Rules and extractors work on nodes,
// never on plain JSON copies, so that every finding keeps an exact position.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Location, Region, SourceFile } from './types.js';

/** One YAML document of a scanned file, with what is needed to locate its nodes. */
export interface ParsedDoc {
  file: SourceFile;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  text: string;
  lineCounter: LineCounter;
  /** First and last line (1-based) that belong to this document, comments and `---` included. */
  startLine: number;
  endLine: number;
}

export type YNode = Node | null | undefined;

/** Resolves an alias to the node it names; other nodes are returned unchanged. */
export function deref(node: unknown, pdoc: ParsedDoc | undefined): YNode {
  if (isAlias(node)) return pdoc ? (node.resolve(pdoc.doc) as Node | undefined) : undefined;
  return node as YNode;
}

export function asMap(node: unknown, pdoc?: ParsedDoc): YAMLMap<unknown, unknown> | undefined {
  const n = deref(node, pdoc);
  return isMap(n) ? n : undefined;
}

export function asSeq(node: unknown, pdoc?: ParsedDoc): YAMLSeq<unknown> | undefined {
  const n = deref(node, pdoc);
  return isSeq(n) ? n : undefined;
}

export function asScalar(node: unknown, pdoc?: ParsedDoc): Scalar | undefined {
  const n = deref(node, pdoc);
  return isScalar(n) ? n : undefined;
}

/** The key of a pair as a string, when it is a scalar. */
export function keyString(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null || k.value === undefined ? undefined : String(k.value);
  return undefined;
}

/** The pair under `key` of a map (first match; duplicate keys are a parse error anyway). */
export function pairOf(map: YAMLMap<unknown, unknown> | undefined, key: string): Pair<Scalar, YNode> | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    if (isPair(item) && keyString(item) === key) return item as Pair<Scalar, YNode>;
  }
  return undefined;
}

/** The value node under `key`, aliases resolved. */
export function child(node: unknown, key: string, pdoc?: ParsedDoc): YNode {
  const pair = pairOf(asMap(node, pdoc), key);
  return pair ? deref(pair.value, pdoc) : undefined;
}

/** Follows a path of map keys. */
export function childPath(node: unknown, path: readonly string[], pdoc?: ParsedDoc): YNode {
  let cur: YNode = deref(node, pdoc);
  for (const key of path) {
    cur = child(cur, key, pdoc);
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

/** The value of a scalar when it is a YAML string. */
export function stringValue(node: unknown, pdoc?: ParsedDoc): string | undefined {
  const s = asScalar(node, pdoc);
  return s && typeof s.value === 'string' ? s.value : undefined;
}

/**
 * The text of any scalar as a program would read it after quoting it:
 * strings as they are, `true`/`8000` by their source text. Kubernetes tools
 * read unquoted annotation values this way.
 */
export function scalarText(node: unknown, pdoc?: ParsedDoc): string | undefined {
  const s = asScalar(node, pdoc);
  if (!s) return undefined;
  if (typeof s.value === 'string') return s.value;
  if (s.source !== undefined) return s.source;
  if (s.value === null || s.value === undefined) return '';
  return String(s.value);
}

/** Items of a sequence, aliases resolved. */
export function seqItems(node: unknown, pdoc?: ParsedDoc): YNode[] {
  const seq = asSeq(node, pdoc);
  return seq ? seq.items.map((i) => deref(i, pdoc)) : [];
}

/** Pairs of a map with string keys. */
export function mapEntries(node: unknown, pdoc?: ParsedDoc): Array<{ key: string; pair: Pair<Scalar, YNode>; value: YNode }> {
  const map = asMap(node, pdoc);
  if (!map) return [];
  const out: Array<{ key: string; pair: Pair<Scalar, YNode>; value: YNode }> = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const key = keyString(item);
    if (key === undefined) continue;
    out.push({ key, pair: item as Pair<Scalar, YNode>, value: deref(item.value, pdoc) });
  }
  return out;
}

/** True for an unquoted or quoted scalar whose YAML type is string. */
export function isStringScalar(node: unknown): boolean {
  return isScalar(node) && typeof node.value === 'string';
}

function rangeOf(node: unknown): [number, number] | undefined {
  const n = node as { range?: [number, number, number] | null } | null | undefined;
  if (!n || !n.range) return undefined;
  return [n.range[0], n.range[1]];
}

/** Region of a character range of the document's file. */
export function regionOfOffsets(pdoc: ParsedDoc, start: number, end: number): Region {
  const a = pdoc.lineCounter.linePos(start);
  const b = pdoc.lineCounter.linePos(Math.max(start, end));
  return { startLine: a.line, startColumn: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * Region of a node. A node without a range (an empty value) falls back to the
 * document's first line, which never happens for nodes read from source.
 */
export function regionOf(pdoc: ParsedDoc, node: unknown): Region {
  const r = rangeOf(node);
  if (!r) return { startLine: pdoc.startLine, startColumn: 1, endLine: pdoc.startLine, endColumn: 1 };
  let [start, end] = r;
  // A multi-line block or collection ends after its trailing newline; keep the region on its last character.
  while (end > start && (pdoc.text[end - 1] === '\n' || pdoc.text[end - 1] === '\r')) end--;
  return regionOfOffsets(pdoc, start, end);
}

export function locationOf(pdoc: ParsedDoc, node: unknown, label?: string): Location {
  const loc: Location = { file: pdoc.file.path, region: regionOf(pdoc, node) };
  if (label) loc.label = label;
  return loc;
}

/** The key node of a pair, for findings about a key. */
export function keyNode(pair: Pair<unknown, unknown>): unknown {
  return pair.key;
}

/**
 * Character range of `value.slice(start, start + length)` inside the source of
 * a one-line scalar, so a finding can point at one entry of a list written as
 * a string (`app1=t1;app2=t2`). Undefined when the scalar spans lines or uses
 * escapes: then the whole scalar is the location.
 */
export function substringOffsets(pdoc: ParsedDoc, node: unknown, start: number, length: number): [number, number] | undefined {
  const s = asScalar(node, pdoc);
  if (!s || !s.range || typeof s.value !== 'string') return undefined;
  const open = s.type === 'PLAIN' ? 0 : s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 1 : -1;
  if (open < 0) return undefined;
  const from = s.range[0] + open + start;
  const want = s.value.slice(start, start + length);
  return pdoc.text.slice(from, from + length) === want && !pdoc.text.slice(s.range[0], from).includes('\n') ? [from, from + length] : undefined;
}
