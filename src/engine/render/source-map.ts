// render/source-map.ts: where a node of a rendered document comes from.
// A node is named by its path from the document root (keys, and list items
// recognised by their merge key or value, as kustomize merges them); that
// path is then walked in the source: the base resource and the patches for
// kustomize (real YAML), the template text for Helm (Go templates are not
// YAML, so the walk follows keys and indentation line by line, and follows
// `include`s into the partials that define them).
import { isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { Location, Region } from '../types.js';
import { asMap, deref, keyString, lineBreaksAsLf, pairOf, type ParsedDoc, scalarText, seqItems, type YNode } from '../yaml.js';

export type Step = { key: string } | { index: number; item: YNode };

export interface NodePath {
  steps: Step[];
  /** The node is a pair's key (findings about a key), not a value. */
  isKey: boolean;
}

/** The path from a document's root to `target` (a value node or a key node), or undefined when it is not in the document. */
export function nodePath(pdoc: ParsedDoc, target: unknown): NodePath | undefined {
  const root = pdoc.doc.contents;
  if (target === root) return { steps: [], isKey: false };
  const steps: Step[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): NodePath | undefined => {
    const n = deref(node, pdoc);
    if (!n || seen.has(n)) return undefined;
    seen.add(n);
    if (isMap(n)) {
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const key = keyString(item);
        if (key === undefined) continue;
        steps.push({ key });
        if (item.key === target) return { steps: [...steps], isKey: true };
        if (item.value === target || deref(item.value, pdoc) === target) return { steps: [...steps], isKey: false };
        const found = visit(item.value);
        if (found) return found;
        steps.pop();
      }
    } else if (isSeq(n)) {
      for (let i = 0; i < n.items.length; i++) {
        const item = deref(n.items[i], pdoc);
        steps.push({ index: i, item });
        if (n.items[i] === target || item === target) return { steps: [...steps], isKey: false };
        const found = visit(item);
        if (found) return found;
        steps.pop();
      }
    }
    return undefined;
  };
  return visit(root);
}

/** Keys by which kustomize's strategic merge (and people) tell list items apart, most specific first. */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'key', 'appId', 'secretKey', 'ip', 'topologyKey'];

function scalarOf(node: YNode): string | undefined {
  return isScalar(node) ? (scalarText(node) ?? '') : undefined;
}

/** The source list item that corresponds to a rendered one: same merge key, same scalar, else same position. */
function matchItem(items: YNode[], step: { index: number; item: YNode }, pdoc: ParsedDoc): YNode | undefined {
  const rendered = step.item;
  if (isMap(rendered)) {
    for (const k of MERGE_KEYS) {
      const want = scalarOf(deref(pairOf(rendered, k)?.value, undefined));
      if (want === undefined) continue;
      const hit = items.find((i) => scalarOf(deref(pairOf(asMap(i, pdoc), k, pdoc)?.value, pdoc)) === want);
      if (hit) return hit;
      return undefined; // the rendered item has a merge key the source lacks: it was added by someone else
    }
  } else if (isScalar(rendered)) {
    const want = scalarOf(rendered);
    const hit = items.find((i) => scalarOf(i) === want);
    if (hit) return hit;
    return undefined;
  }
  const same = items[step.index];
  return same !== undefined && isMap(same) === isMap(rendered) && isSeq(same) === isSeq(rendered) ? same : undefined;
}

export interface YamlWalk {
  /** The deepest node reached (the matched node itself when `exact`). */
  node: YNode;
  /** The key node of the last key step matched, for findings about a key. */
  keyNode?: unknown;
  /** How many steps matched. */
  matched: number;
  exact: boolean;
}

/** Walks a rendered node's path in a source document (a base resource, a strategic-merge patch). */
export function walkYaml(root: unknown, steps: readonly Step[], pdoc: ParsedDoc): YamlWalk {
  let cur: YNode = deref(root, pdoc);
  let keyNode: unknown;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if ('key' in s) {
      const pair = pairOf(asMap(cur, pdoc), s.key, pdoc);
      if (!pair) return { node: cur, keyNode, matched: i, exact: false };
      keyNode = pair.key;
      cur = deref(pair.value, pdoc);
    } else {
      const next = matchItem(seqItems(cur, pdoc), s, pdoc);
      if (next === undefined || next === null) return { node: cur, keyNode, matched: i, exact: false };
      keyNode = undefined;
      cur = next;
    }
  }
  return { node: cur, keyNode, matched: steps.length, exact: true };
}

/** Whether two scalars read the same (the source's value is what the rendered one shows). */
export function sameScalar(a: unknown, b: unknown): boolean {
  return isScalar(a) && isScalar(b) && scalarOf(a as Scalar) === scalarOf(b as Scalar);
}

// ------------------------------------------------------------------ Helm templates as text

interface TLine {
  /** Offset of the line in the template text. */
  start: number;
  text: string;
  /** Column of the first character that is not a space (the dash of a list item). */
  indent: number;
  dash: boolean;
  /** Only `{{ }}` actions, blanks or a comment: not YAML structure. */
  structural: boolean;
  key?: string;
  keyCol?: number;
  keyEnd?: number;
  valueCol?: number;
  valueEnd?: number;
  /** Column where the item's content starts after `- `. */
  contentCol: number;
}

const ACTION = /\{\{[\s\S]*?\}\}/g;

function stripActions(line: string): string {
  return line.replace(ACTION, '');
}

const KEY = /^("([^"\\]*)"|'([^']*)'|([^\s:#'"{}[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?))[ \t]*:(?=[ \t]|$)/;

function parseLine(text: string, start: number): TLine {
  const lead = /^(\s*)((?:-[ \t]+|-$)*)/.exec(text) ?? ['', '', ''];
  const indent = lead[1].length;
  const contentCol = lead[0].length;
  const rest = text.slice(contentCol);
  const bare = stripActions(text).trim();
  const line: TLine = { start, text, indent, dash: lead[2].length > 0, structural: bare === '' || bare.startsWith('#'), contentCol };
  const m = KEY.exec(rest);
  if (m) {
    line.key = m[2] ?? m[3] ?? m[4] ?? '';
    line.keyCol = contentCol;
    line.keyEnd = contentCol + m[1].length;
    let v = contentCol + m[0].length;
    while (v < text.length && (text[v] === ' ' || text[v] === '\t')) v++;
    if (v < text.length && text[v] !== '#') {
      line.valueCol = v;
      line.valueEnd = valueEnd(text, v);
    }
  } else if (line.dash && rest.trim() !== '' && !line.structural) {
    // A scalar list item (`- orders`): its value is the rest of the line.
    line.valueCol = contentCol;
    line.valueEnd = valueEnd(text, contentCol);
  }
  return line;
}

/** Where a value written at `from` ends: its closing quote, else before a trailing comment or spaces. */
function valueEnd(text: string, from: number): number {
  const q = text[from];
  if (q === '"' || q === "'") {
    for (let i = from + 1; i < text.length; i++) {
      if (q === '"' && text[i] === '\\') {
        i++;
        continue;
      }
      if (text[i] === q) {
        if (q === "'" && text[i + 1] === "'") {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return text.trimEnd().length;
  }
  let end = text.length;
  const hash = text.slice(from).search(/\s#/);
  if (hash !== -1 && !text.slice(from, from + hash).includes('{{')) end = from + hash;
  while (end > from && /\s/.test(text[end - 1])) end--;
  return end;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

export interface TextSpan {
  line: number; // 0-based
  col: number;
  end: number;
}

export function spanRegion(span: TextSpan): Region {
  return { startLine: span.line + 1, startColumn: span.col + 1, endLine: span.line + 1, endColumn: Math.max(span.col + 1, span.end + 1) };
}

/** A named template (`{{ define "x" }}`) and the lines it spans. */
export interface Define {
  name: string;
  file: string;
  text: TemplateText;
  /** First and last line (0-based) of its body. */
  from: number;
  to: number;
  /** Names it includes. */
  includes: Set<string>;
}

const INCLUDE = /\b(?:include|template)\s+"([^"]+)"/g;
const BLOCK_OPEN = /^\{\{-?\s*(?:if|range|with|define|block)\b/;
const BLOCK_END = /^\{\{-?\s*end\b/;
const DEFINE = /^\{\{-?\s*define\s+"([^"]+)"/;

/** A template file as lines with YAML keys and indentation, its documents, and the partials it defines. */
export class TemplateText {
  readonly lines: TLine[];
  /** Documents as [first, last] line indexes (0-based, inclusive). */
  readonly docs: Array<[number, number]>;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = [];
    let start = 0;
    // Lines as the scan counts them everywhere: a lone CR breaks one too (same offsets).
    for (const raw of lineBreaksAsLf(text).split('\n')) {
      this.lines.push(parseLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, start));
      start += raw.length + 1;
    }
    this.docs = [];
    let from = 0;
    for (let i = 0; i < this.lines.length; i++) {
      if (/^---(\s|$)/.test(this.lines[i].text)) {
        if (i > from) this.docs.push([from, i - 1]);
        from = i + 1;
      }
    }
    if (from < this.lines.length) this.docs.push([from, this.lines.length - 1]);
  }

  /** The first line (for a finding that can be placed nowhere better). */
  firstLine(): Location {
    const first = this.lines.findIndex((l) => l.text.trim() !== '');
    const i = first === -1 ? 0 : first;
    return { file: this.file, region: spanRegion({ line: i, col: this.lines[i]?.indent ?? 0, end: this.lines[i]?.text.length ?? 0 }) };
  }

  /** The first line of a document that is not blank, a comment or only actions. */
  docStart(doc: [number, number]): Location {
    for (let i = doc[0]; i <= doc[1]; i++) if (!this.lines[i].structural) return this.lineLocation(i);
    return this.firstLine();
  }

  lineLocation(i: number, col?: number, end?: number): Location {
    const l = this.lines[i];
    return { file: this.file, region: spanRegion({ line: i, col: col ?? l.indent, end: end ?? l.text.trimEnd().length }) };
  }

  /** Named templates defined in this file. */
  defines(): Define[] {
    const out: Define[] = [];
    let current: { name: string; from: number; depth: number; includes: Set<string> } | undefined;
    for (const m of this.text.matchAll(ACTION)) {
      const action = m[0];
      const lineIdx = this.lineAt(m.index ?? 0);
      if (current) {
        for (const inc of action.matchAll(INCLUDE)) current.includes.add(inc[1]);
        if (BLOCK_OPEN.test(action)) current.depth++;
        else if (BLOCK_END.test(action) && --current.depth === 0) {
          out.push({ name: current.name, file: this.file, text: this, from: current.from, to: lineIdx, includes: current.includes });
          current = undefined;
        }
        continue;
      }
      const d = DEFINE.exec(action);
      if (d) current = { name: d[1], from: lineIdx, depth: 1, includes: new Set() };
    }
    return out;
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The document of the template that most likely rendered a resource of this kind and name. */
  docFor(kind: string | undefined, name: string | undefined): [number, number] {
    let best: [number, number] = this.docs[0] ?? [0, Math.max(0, this.lines.length - 1)];
    let bestScore = -1;
    for (const d of this.docs) {
      let score = 0;
      for (let i = d[0]; i <= d[1]; i++) {
        const l = this.lines[i];
        if (l.key === 'kind' && l.indent === 0 && l.valueCol !== undefined && kind !== undefined && unquote(l.text.slice(l.valueCol, l.valueEnd)) === kind) score += 2;
        if (l.key === 'name' && l.indent === 2 && l.valueCol !== undefined && name !== undefined && unquote(l.text.slice(l.valueCol, l.valueEnd)) === name) score += 1;
      }
      if (score > bestScore) {
        best = d;
        bestScore = score;
      }
    }
    return best;
  }

  /** End (exclusive) of the block that starts below line `i` with deeper indentation than `indent`. */
  private blockEnd(i: number, indent: number, limit: number): number {
    for (let j = i + 1; j <= limit; j++) {
      const l = this.lines[j];
      if (l.structural) continue;
      if (l.indent <= indent) return j;
    }
    return limit + 1;
  }

  /**
   * Walks a rendered node's path through one document of the template:
   * each key is looked for below the previous one, deeper indented and
   * inside its block; a list item is found by its first key and value, else
   * by position among its siblings. Returns the lines matched, one per step
   * that matched.
   */
  walk(steps: readonly Step[], doc: [number, number]): Array<{ line: number; step: Step }> {
    const out: Array<{ line: number; step: Step }> = [];
    let from = doc[0];
    let to = doc[1];
    let parentIndent = -1;
    /** The line of the current list item: its first key sits on that same line. */
    let itemLine: number | undefined;
    for (const step of steps) {
      if ('key' in step) {
        let found: number | undefined;
        if (itemLine !== undefined && this.lines[itemLine].key === step.key) found = itemLine;
        for (let j = itemLine !== undefined ? itemLine + 1 : from; found === undefined && j <= to; j++) {
          const l = this.lines[j];
          if (l.structural && l.key === undefined) continue;
          if (!l.structural && l.indent <= parentIndent && !(itemLine !== undefined && j === itemLine)) break;
          if (l.key === step.key && (l.keyCol ?? 0) > parentIndent) found = j;
        }
        if (found === undefined) return out;
        const l = this.lines[found];
        out.push({ line: found, step });
        parentIndent = l.keyCol ?? l.indent;
        from = found + 1;
        to = this.blockEnd(found, parentIndent, to) - 1;
        itemLine = undefined;
      } else {
        const siblings: number[] = [];
        let siblingIndent: number | undefined;
        for (let j = from; j <= to; j++) {
          const l = this.lines[j];
          if (l.structural || !l.dash) continue;
          if (l.indent < (siblingIndent ?? 0)) break;
          siblingIndent ??= l.indent;
          if (l.indent === siblingIndent) siblings.push(j);
        }
        const found = this.pickItem(siblings, step);
        if (found === undefined) return out;
        out.push({ line: found, step });
        const l = this.lines[found];
        parentIndent = l.indent;
        itemLine = found;
        from = found;
        to = this.blockEnd(found, l.indent, to) - 1;
      }
    }
    return out;
  }

  private pickItem(siblings: number[], step: { index: number; item: YNode }): number | undefined {
    if (siblings.length === 0) return undefined;
    const item = step.item;
    const valueOf = (j: number): string | undefined => {
      const l = this.lines[j];
      return l.valueCol === undefined ? undefined : unquote(l.text.slice(l.valueCol, l.valueEnd));
    };
    if (isMap(item)) {
      const first = item.items.find((p) => isPair(p) && keyString(p) !== undefined);
      const key = first && isPair(first) ? keyString(first) : undefined;
      const value = first && isPair(first) ? scalarOf(deref(first.value, undefined)) : undefined;
      const sameKey = siblings.filter((j) => this.lines[j].key === key);
      const exact = sameKey.find((j) => value !== undefined && valueOf(j) === value);
      if (exact !== undefined) return exact;
      // Items written by a loop have one line for many rendered items: any line with the key is that line.
      if (sameKey.length === 1) return sameKey[0];
    } else if (isScalar(item)) {
      const want = scalarOf(item);
      const exact = siblings.find((j) => this.lines[j].key === undefined && valueOf(j) === want);
      if (exact !== undefined) return exact;
    }
    return siblings[step.index] ?? (siblings.length === 1 ? siblings[0] : undefined);
  }

  /** Lines (in a range) that hold this key. */
  keyLines(key: string, from = 0, to = this.lines.length - 1): number[] {
    const out: number[] = [];
    for (let i = from; i <= to; i++) if (this.lines[i].key === key) out.push(i);
    return out;
  }

  /** Lines (in a range) that include or call a named template, with the action's columns. */
  includeLines(name: string, from = 0, to = this.lines.length - 1): TextSpan[] {
    const out: TextSpan[] = [];
    for (let i = from; i <= to; i++) {
      const text = this.lines[i].text;
      for (const m of text.matchAll(ACTION)) {
        for (const inc of m[0].matchAll(INCLUDE)) {
          if (inc[1] === name) out.push({ line: i, col: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
        }
      }
    }
    return out;
  }

  /** The columns of a line's key, value, or the whole item, for a location. */
  span(i: number, what: 'key' | 'value' | 'item'): TextSpan {
    const l = this.lines[i];
    const end = l.text.trimEnd().length;
    if (what === 'value' && l.valueCol !== undefined) return { line: i, col: l.valueCol, end: l.valueEnd ?? end };
    if ((what === 'key' || what === 'value') && l.keyCol !== undefined) return { line: i, col: l.keyCol, end: l.keyEnd ?? end };
    return { line: i, col: l.contentCol > l.indent && l.dash ? l.contentCol : l.indent, end };
  }

  /** The text of a line's value (quotes kept), if it has one. */
  valueText(i: number): string | undefined {
    const l = this.lines[i];
    return l.valueCol === undefined ? undefined : l.text.slice(l.valueCol, l.valueEnd);
  }
}

/** `.Values.a.b.c` references in a piece of template text, as key paths. */
export function valuesReferences(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g)) out.push(m[1].slice(1).split('.'));
  return out;
}
