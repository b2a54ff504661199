// edits: how rules build safe autofixes. A fix is a list of text edits on the
// source, computed from the ranges the `yaml` parser gives each node, so that
// everything the fix does not touch (comments, key order, quoting, line
// endings, other documents) stays byte-identical. Nothing is ever
// re-serialised. Before a rule offers a fix, `verifiedFix` applies it to the
// document's text, parses the result and compares its data with the data the
// fix is meant to produce: a layout this module did not foresee (a comment in
// the way, a `|+` block scalar, a flow collection) then means "no fix", never
// a broken file.
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Fix, TextEdit } from '../rules/types.js';
import { DEFAULT_MAX_ALIAS_COUNT, parseText } from './parse.js';
import { lineBreaksAsLf, type ParsedDoc, samePlace } from './yaml.js';
import { isReleased, readingReleased } from './release.js';

/** An edit before it is bound to its file. */
export type Edit = Omit<TextEdit, 'file'>;

/** A key of the plain data a document reads as: map keys as strings, list indexes as numbers. */
export type DataKey = string | number;

/** `[start, valueEnd]` of a parsed node (yaml's `range`), when it has one. */
export function nodeRange(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

// Lines end at LF, CRLF or a lone CR, as the scan counts them (yaml.ts lineBreaksAsLf, same offsets).

/** Offset of the first character of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return lineBreaksAsLf(text).lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line ending of the line holding `offset` (the end of the text when that line has none). */
export function afterLine(text: string, offset: number): number {
  const nl = lineBreaksAsLf(text).indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/**
 * Where a node's block ends: past the line ending of its last line. A block
 * collection's range already ends after its newline (and after the trailing
 * blank lines of a `|+` scalar, which belong to it); a scalar's ends on its line.
 */
export function afterNode(text: string, valueEnd: number): number {
  return valueEnd > 0 && lineBreaksAsLf(text)[valueEnd - 1] === '\n' ? valueEnd : afterLine(text, valueEnd);
}

/** The line ending to write next to `offset`: that line's own, else the file's first, else LF. */
export function eolAt(text: string, offset: number): string {
  const lf = lineBreaksAsLf(text);
  const nl = lf.indexOf('\n', offset);
  const at = nl === -1 ? lf.indexOf('\n') : nl;
  if (at === -1) return '\n';
  if (text[at] === '\r') return '\r'; // a lone CR (lf has LF there)
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/** The spaces before a node that starts its line, or undefined when anything else (`- `, a flow bracket, a key) precedes it. */
export function ownLineIndent(text: string, offset: number): string | undefined {
  const before = text.slice(lineStart(text, offset), offset);
  return /^ *$/.test(before) ? before : undefined;
}

/** Whether the rest of the line from `offset` holds nothing but spaces and a comment. */
export function restIsComment(text: string, offset: number): boolean {
  const end = lineBreaksAsLf(text).indexOf('\n', offset);
  return /^[ \t]*(#.*)?\r?$/.test(text.slice(offset, end === -1 ? text.length : end));
}

/**
 * A scalar whose range is exactly its source text on one line: plain, single-
 * or double-quoted, without an explicit tag (`!!int 8000` stays an int when
 * quoted). Block scalars and multi-line flow scalars are left alone.
 */
export function simpleScalar(node: unknown, text: string): Scalar | undefined {
  if (!isScalar(node) || node.tag !== undefined) return undefined;
  if (node.type !== Scalar.PLAIN && node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return undefined;
  const r = nodeRange(node);
  if (!r || r[1] <= r[0] || /[\r\n]/.test(text.slice(r[0], r[1]))) return undefined;
  return node;
}

/** `value` as a double-quoted YAML scalar (JSON escapes are YAML escapes). */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * `value` written in the quoting style of `like`: a quoted scalar keeps its
 * quotes, a plain one stays plain (the verification then proves the plain
 * text still reads as that string).
 */
export function inStyleOf(like: Scalar, value: string): string {
  if (like.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (like.type === Scalar.QUOTE_DOUBLE) return doubleQuoted(value);
  return value;
}

/** The data key a map key reads as, for scalar keys of a plain type. */
function dataKey(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/**
 * Where a node sits in the document's data (`['spec', 'template', 'metadata',
 * 'annotations']`); a map key's path is its pair's. Undefined for a node
 * reached only through an alias or a merge key (`<<`): an edit there would
 * change every place that shares it.
 */
export function dataPath(pdoc: ParsedDoc, target: unknown): DataKey[] | undefined {
  const same = isReleased(pdoc) ? samePlace : Object.is;
  const walk = (node: unknown, path: DataKey[], depth: number): DataKey[] | undefined => {
    if (same(node, target)) return path;
    if (depth > 64 || isAlias(node)) return undefined;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = dataKey(item.key);
        if (key === undefined || key === '<<') continue;
        if (same(item.key, target)) return [...path, key];
        const found = walk(item.value, [...path, key], depth + 1);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        const found = walk(item, [...path, i], depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return readingReleased(() => walk(pdoc.doc.contents, [], 0));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** The container at `path` inside plain data, when every step exists. */
export function dataAt(data: unknown, path: readonly DataKey[]): Container | undefined {
  let cur: unknown = data;
  for (const k of path) {
    if (!isContainer(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[String(k)];
  }
  return isContainer(cur) ? cur : undefined;
}

/** Sets `path` (whose parent must exist) to `value` in plain data. */
export function setData(data: unknown, path: readonly DataKey[], value: unknown): boolean {
  const parent = dataAt(data, path.slice(0, -1));
  if (!parent || path.length === 0) return false;
  (parent as Record<string, unknown>)[String(path[path.length - 1])] = value;
  return true;
}

/** Applies non-overlapping edits to a text; insertions at one offset keep their given order. */
export function applyTextEdits(text: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { e } of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Whether two edits touch the same text: they overlap, or both write at one offset (which goes first would be a guess). */
export function editsConflict(a: Edit, b: Edit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function plainData(doc: ParsedDoc['doc']): unknown {
  return doc.toJS({ maxAliasCount: DEFAULT_MAX_ALIAS_COUNT });
}

/**
 * The fix, when the edits are safe: inside this document, not overlapping,
 * and giving a document that parses without error and reads as the original
 * data changed by `change` (which mutates the data it is given and returns
 * false when it cannot). Only this document's text is re-parsed.
 */
export function verifiedFix(pdoc: ParsedDoc, description: string, edits: readonly Edit[], change: (data: unknown) => boolean): Fix | undefined {
  // A document helm or kustomize rendered is the renderer's text, not the file's: offsets in it mean nothing on disk.
  if ((pdoc as { origin?: unknown }).origin !== undefined) return undefined;
  const range = pdoc.doc.range;
  if (!range || edits.length === 0) return undefined;
  const [from, to] = [range[0], range[2]];
  if (edits.some((e) => e.start < from || e.end > to || e.end < e.start)) return undefined;
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (editsConflict(edits[i], edits[j])) return undefined;
  let expected: unknown;
  try {
    expected = readingReleased(() => plainData(pdoc.doc));
  } catch {
    return undefined;
  }
  if (!change(expected)) return undefined;
  const shifted = edits.map((e) => ({ start: e.start - from, end: e.end - from, text: e.text }));
  const reparsed = parseText(pdoc.file, applyTextEdits(pdoc.text.slice(from, to), shifted));
  if (reparsed.syntax || reparsed.docs.length !== 1) return undefined;
  let actual: unknown;
  try {
    actual = plainData(reparsed.docs[0].doc);
  } catch {
    return undefined;
  }
  if (!isDeepStrictEqual(actual, expected)) return undefined;
  return { description, edits: edits.map((e) => ({ file: pdoc.file.path, start: e.start, end: e.end, text: e.text })) };
}
