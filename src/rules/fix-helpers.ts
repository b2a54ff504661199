// Autofix building blocks shared by rules (DAPR003, DAPR004, DAPR301, DAPR304):
// edits on pod annotations and on self-hosted template keys. Each returns a
// fix only when `verifiedFix` proves it safe (src/engine/edits.ts).
import { isMap, type Pair, type YAMLMap } from 'yaml';
import {
  afterLine,
  dataAt,
  dataPath,
  doubleQuoted,
  type Edit,
  eolAt,
  inStyleOf,
  lineStart,
  nodeRange,
  restIsComment,
  setData,
  simpleScalar,
  verifiedFix,
} from '../engine/edits.js';
import type { Annotation, PodTemplate } from '../engine/resources.js';
import type { ParsedDoc } from '../engine/yaml.js';
import type { Fix } from './types.js';

/** The pod template's own annotations map: written in place (not an alias). */
export function annotationsMap(pod: PodTemplate | undefined): YAMLMap<unknown, unknown> | undefined {
  const v = pod?.annotationsPair?.value;
  return isMap(v) ? v : undefined;
}

/**
 * Whether an annotation is written in the pod template's own map, not merged
 * in from an anchor (`<<: *common`) that other maps share: a fix must change
 * this workload only.
 */
export function isOwnAnnotation(pod: PodTemplate | undefined, ann: Annotation): boolean {
  return annotationsMap(pod)?.items.includes(ann.pair) ?? false;
}

/** Replaces a one-line scalar with the string `value`: in the scalar's quoting style, or double-quoted when `quote` says so. */
export function replaceScalarFix(pdoc: ParsedDoc, node: unknown, value: string, description: string, quote = false): Fix | undefined {
  const s = simpleScalar(node, pdoc.text);
  const path = s ? dataPath(pdoc, s) : undefined;
  const r = nodeRange(s);
  if (!s || !path || !r) return undefined;
  const written = quote ? doubleQuoted(value) : inStyleOf(s, value);
  return verifiedFix(pdoc, description, [{ start: r[0], end: r[1], text: written }], (data) => setData(data, path, value));
}

/**
 * An edit that writes `line` (`key: value`) as a new line right after a
 * one-line pair of a block map, at the column of that pair's key (a list
 * item's `- ` counts as indentation). Undefined when the pair spans lines,
 * shares its line with something else, or is in a flow map.
 */
export function lineAfterPair(pdoc: ParsedDoc, pair: Pair<unknown, unknown>, line: string): Edit | undefined {
  const text = pdoc.text;
  const key = nodeRange(pair.key);
  if (!key) return undefined;
  const value = nodeRange(pair.value);
  const end = value && value[1] > key[1] ? value[1] : key[1];
  if (/[\r\n]/.test(text.slice(key[0], end)) || !restIsComment(text, end)) return undefined;
  const start = lineStart(text, key[0]);
  if (!/^(?: *- +)* *$/.test(text.slice(start, key[0]))) return undefined;
  const indent = ' '.repeat(key[0] - start);
  const eol = eolAt(text, key[0]);
  const at = afterLine(text, end);
  // The last line of a file without a final newline: the new line goes after a line break, and the file still ends without one.
  const lastLine = at === text.length && !/[\r\n]$/.test(text);
  return { start: at, end: at, text: lastLine ? `${eol}${indent}${line}` : `${indent}${line}${eol}` };
}

/**
 * An edit that adds `key: value` to a flow map (`{a: "1", b: "2"}`) before its
 * closing brace. Undefined for an empty map or anything unexpected.
 */
export function entryInFlowMap(pdoc: ParsedDoc, map: YAMLMap<unknown, unknown>, entry: string): Edit | undefined {
  const r = nodeRange(map);
  if (!map.flow || !r || map.items.length === 0 || pdoc.text[r[1] - 1] !== '}') return undefined;
  let j = r[1] - 2;
  while (j > r[0] && /\s/.test(pdoc.text[j])) j--;
  if (pdoc.text[j] === '{') return undefined;
  const text = pdoc.text[j] === ',' ? ` ${entry}` : `, ${entry}`;
  return { start: j + 1, end: j + 1, text };
}

/** A fix that adds `key: value` (written as `written`) to a map: `change` expects the map's data to gain exactly that key. */
export function addToMapFix(pdoc: ParsedDoc, map: YAMLMap<unknown, unknown>, anchor: Pair<unknown, unknown> | undefined, key: string, value: string, written: string, description: string): Fix | undefined {
  const path = dataPath(pdoc, map);
  if (!path) return undefined;
  const edit = map.flow ? entryInFlowMap(pdoc, map, written) : anchor ? lineAfterPair(pdoc, anchor, written) : undefined;
  if (!edit) return undefined;
  return verifiedFix(pdoc, description, [edit], (data) => {
    const target = dataAt(data, path);
    if (!target || Array.isArray(target) || key in target) return false;
    target[key] = value;
    return true;
  });
}

/** Renames a one-line key of a map, keeping its quoting style; the data must gain `to` and lose `from`. */
export function renameKeyFix(pdoc: ParsedDoc, map: YAMLMap<unknown, unknown>, pair: Pair<unknown, unknown>, from: string, to: string, description: string): Fix | undefined {
  const s = simpleScalar(pair.key, pdoc.text);
  const r = nodeRange(s);
  const path = dataPath(pdoc, map);
  if (!s || !r || !path || !map.items.includes(pair)) return undefined;
  return verifiedFix(pdoc, description, [{ start: r[0], end: r[1], text: inStyleOf(s, to) }], (data) => {
    const target = dataAt(data, path);
    if (!target || Array.isArray(target) || !(from in target) || to in target) return false;
    target[to] = target[from];
    delete target[from];
    return true;
  });
}
