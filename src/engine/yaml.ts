// Read-only helpers over `yaml` AST nodes. Rules and extractors work on nodes,
// never on plain JSON copies, so that every finding keeps an exact position.
import { type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { LineIndex } from './lines.js';
import type { Location, Region, SourceFile } from './types.js';

const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;

/**
 * The text with every lone CR as LF: YAML breaks lines at CR, LF and CRLF
 * (as Kubernetes' parser does), the yaml package only at LF and CRLF. The
 * length stays, so every offset does; a scan keeps the text as written.
 */
export function lineBreaksAsLf(text: string): string {
  // Tested first: replace() copies even a text it leaves alone (a CRLF file), and the copy would stay alive in every node's string.
  return text.includes('\r') && LONE_CR.test(text) ? text.replace(LONE_CR_ALL, '\n') : text;
}

/** One YAML document of a scanned file, with what is needed to locate its nodes. */
export interface ParsedDoc {
  file: SourceFile;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  text: string;
  lineCounter: LineIndex;
  /** First and last line (1-based) that belong to this document, comments and `---` included. */
  startLine: number;
  endLine: number;
  /**
   * Set on a document that helm or kustomize rendered: its text is the
   * renderer's output, so positions in it mean nothing to the repository;
   * `locate` gives where a node comes from (the template or base resource).
   */
  origin?: DocOrigin;
}

/** Where a rendered document comes from (see src/engine/render/). */
export interface DocOrigin {
  tool: 'helm' | 'kustomize';
  /** Root-relative template or base resource file. */
  source: string;
  /**
   * The values variant or kustomization entry point that rendered it;
   * undefined for a chart template read as text because no render worked
   * (its positions are the template's own, but it is no YAML to edit).
   */
  via?: string;
  /** The base resource's document, when the rendered one stands for one of the repository's (kustomize). */
  sourceDoc?: ParsedDoc;
  /** The place in the repository of a node of this document (`offsets`: a part of a scalar), with related places (a partial, a values file, a patch). */
  locate(node: unknown, offsets?: [number, number]): { location: Location; related?: Array<{ location: Location; label: string }> };
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

/** A YAML 1.1 merge key (`<<: *base`); the parser gives its key a symbol value. */
export function isMergePair(item: unknown): item is Pair<Scalar, YNode> {
  if (!isPair(item) || !isScalar(item.key)) return false;
  const v = item.key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

/** The key of a pair as a string, when it is a scalar (merge keys are not keys). */
export function keyString(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (!isScalar(k) || k.value === null || k.value === undefined || typeof k.value === 'symbol') return undefined;
  return String(k.value);
}

/** Bound on nested merges, so a cycle of anchors cannot loop. */
const MAX_MERGE_DEPTH = 8;

/** The maps a merge pair brings in, in priority order. */
function mergeSources(pair: Pair<unknown, unknown>, pdoc: ParsedDoc): Array<YAMLMap<unknown, unknown>> {
  const v = deref(pair.value, pdoc);
  if (isMap(v)) return [v];
  if (isSeq(v)) return v.items.map((i) => deref(i, pdoc)).filter((m): m is YAMLMap<unknown, unknown> => isMap(m));
  return [];
}

/**
 * The pair under `key` of a map (first match; duplicate keys are a parse
 * error anyway). With the document given, keys that arrive through merge keys
 * (`<<: *defaults`, common in compose files) are found too; the map's own
 * keys win, as in YAML.
 */
export function pairOf(map: YAMLMap<unknown, unknown> | undefined, key: string, pdoc?: ParsedDoc, depth = 0): Pair<Scalar, YNode> | undefined {
  if (!map) return undefined;
  let merges: Array<Pair<unknown, unknown>> | undefined;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (keyString(item) === key) return item as Pair<Scalar, YNode>;
    if (pdoc && isMergePair(item)) (merges ??= []).push(item);
  }
  if (!merges || !pdoc || depth >= MAX_MERGE_DEPTH) return undefined;
  for (const m of merges) {
    for (const source of mergeSources(m, pdoc)) {
      const found = pairOf(source, key, pdoc, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The value node under `key`, aliases and merge keys resolved. */
export function child(node: unknown, key: string, pdoc?: ParsedDoc): YNode {
  const pair = pairOf(asMap(node, pdoc), key, pdoc);
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

/** Pairs of a map with string keys; with the document given, merged keys follow the map's own. */
export function mapEntries(node: unknown, pdoc?: ParsedDoc, depth = 0): Array<{ key: string; pair: Pair<Scalar, YNode>; value: YNode }> {
  const map = asMap(node, pdoc);
  if (!map) return [];
  const out: Array<{ key: string; pair: Pair<Scalar, YNode>; value: YNode }> = [];
  const seen = new Set<string>();
  const merges: Array<Pair<unknown, unknown>> = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (pdoc && isMergePair(item)) {
      merges.push(item);
      continue;
    }
    const key = keyString(item);
    if (key === undefined) continue;
    seen.add(key);
    out.push({ key, pair: item as Pair<Scalar, YNode>, value: deref(item.value, pdoc) });
  }
  if (pdoc && depth < MAX_MERGE_DEPTH) {
    for (const m of merges) {
      for (const source of mergeSources(m, pdoc)) {
        for (const e of mapEntries(source, pdoc, depth + 1)) {
          if (seen.has(e.key)) continue;
          seen.add(e.key);
          out.push(e);
        }
      }
    }
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

/** Region of a character range of a file, from its line counter. */
export function regionOfText(lineCounter: LineIndex, start: number, end: number): Region {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(start, end));
  return { startLine: a.line, startColumn: a.col, endLine: b.line, endColumn: b.col };
}

/** Region of a character range of the document's file. */
export function regionOfOffsets(pdoc: ParsedDoc, start: number, end: number): Region {
  return regionOfText(pdoc.lineCounter, start, end);
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

/**
 * The root-relative file and 1-based line of a node (or of a part of a
 * scalar), for messages and "the later of the two" ordering: for a rendered
 * document, the place it comes from, never the renderer's output.
 */
export function sourcePosition(pdoc: ParsedDoc, node: unknown, offsets?: [number, number]): [string, number] {
  if (pdoc.origin) {
    const l = pdoc.origin.locate(node, offsets).location;
    return [l.file, l.region.startLine];
  }
  return [pdoc.file.path, pdoc.lineCounter.linePos(offsets?.[0] ?? rangeOf(node)?.[0] ?? 0).line];
}

export function locationOf(pdoc: ParsedDoc, node: unknown, label?: string): Location {
  // A rendered document's own positions are in the renderer's output: ask where the node comes from.
  const loc: Location = pdoc.origin ? { ...pdoc.origin.locate(node).location } : { file: pdoc.file.path, region: regionOf(pdoc, node) };
  if (label) loc.label = label;
  return loc;
}

/**
 * The node of the same kind at the same place: a released document (release.ts)
 * parsed again has new nodes, while the model holds the first parse's.
 */
export function samePlace(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isNode(a) || !isNode(b) || !a.range || !b.range) return false;
  const kind = (n: unknown): number => (isScalar(n) ? 1 : isMap(n) ? 2 : isSeq(n) ? 3 : isAlias(n) ? 4 : 0);
  return kind(a) === kind(b) && a.range[0] === b.range[0] && a.range[1] === b.range[1];
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
  if (s.type === 'BLOCK_LITERAL') return literalBlockOffsets(pdoc, s, start, length);
  const open = s.type === 'PLAIN' ? 0 : s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 1 : -1;
  if (open < 0) return undefined;
  const from = s.range[0] + open + start;
  const want = s.value.slice(start, start + length);
  return pdoc.text.slice(from, from + length) === want && !pdoc.text.slice(s.range[0], from).includes('\n') ? [from, from + length] : undefined;
}

/**
 * Offsets of a range of a literal block scalar's value (`|`): each line of the
 * value is a line of the file minus the block's indentation, so the mapping
 * is exact as long as the range stays on one line.
 */
function literalBlockOffsets(pdoc: ParsedDoc, s: Scalar, start: number, length: number): [number, number] | undefined {
  const value = s.value as string;
  const range = s.range;
  if (!range) return undefined;
  const lineIndex = value.slice(0, start).split('\n').length - 1;
  const col = start - (value.lastIndexOf('\n', start - 1) + 1);
  if (value.slice(start, start + length).includes('\n')) return undefined;
  const text = lineBreaksAsLf(pdoc.text);
  // Content starts on the line after the header (`|`, `|-`, `|2`…).
  let lineStart = text.indexOf('\n', range[0]) + 1;
  if (lineStart === 0) return undefined;
  // Blank lines of the block may be shorter than the indentation; skip to the wanted line.
  for (let i = 0; i < lineIndex; i++) {
    const next = text.indexOf('\n', lineStart);
    if (next === -1 || next >= range[1]) return undefined;
    lineStart = next + 1;
  }
  // The block's indentation is that of its first line with content.
  const firstContent = /^( *)[^ \n\r]/m.exec(text.slice(text.indexOf('\n', range[0]) + 1, range[1]));
  const indent = firstContent ? firstContent[1].length : 0;
  const from = lineStart + indent + col;
  const want = value.slice(start, start + length);
  return text.slice(from, from + length) === want ? [from, from + length] : undefined;
}
