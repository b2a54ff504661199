// parse-transport: a file's parse as JSON and back. The cache keeps parses on
// disk in this form (cache.ts), and parse workers send theirs to the main
// thread in it (parse-pool.ts). A restored parse is the parse: every node has
// the class, the own fields and the ranges the composer gave it.
import { Alias, Document, Pair, Scalar, type Schema, YAMLMap, YAMLSeq } from 'yaml';
import { LeanMap, LeanPair, LeanScalar, LeanSeq } from './lean-yaml.js';
import { NO_LINES, TextLines } from './lines.js';
import { NO_PROBLEMS, type ParsedFile, plainDirectives, plainTemplate } from './parse.js';
import type { ParsedDoc } from './yaml.js';
import type { Notification, SourceFile } from './types.js';

const NODE_TYPE = Symbol.for('yaml.node.type');

/**
 * A yaml node as JSON: `[shape, ...values]`, where the shape (an index into
 * a table of shapes) names the class and the node's own fields in order.
 * Children are encoded nodes; a scalar's `source` equal to its value is 1.
 */
type Encoded = [number, ...unknown[]];
type Code = 'S' | 'L' | 'M' | 'm' | 'Q' | 'q' | 'P' | 'p' | 'A';

interface EncodedDoc {
  index: number;
  startLine: number;
  endLine: number;
  range: number[];
  commentBefore: string | null;
  comment: string | null;
  /** The document's `---` and `...` markers (the rest of its directives is the template's). */
  docStart: true | null;
  docEnd: boolean;
  contents: Encoded | null;
}

/** What a file parsed to, without the file itself and its text (both come from the bytes). */
export interface Entry {
  docs: EncodedDoc[];
  syntax?: ParsedFile['syntax'];
  notifications?: Notification[];
  skipped?: boolean;
  blanked?: boolean;
}

/** A parse that this form cannot carry exactly (see `encode`), or an entry that is not one. */
export class Unencodable extends Error {}

// Only the classes the composer makes for Kubernetes YAML; a file with anything else (!!set, !!omap) is parsed where it is needed.
const CODES = new Map<object, Code>([
  [Scalar.prototype, 'S'],
  [LeanScalar.prototype, 'L'],
  [YAMLMap.prototype, 'M'],
  [LeanMap.prototype, 'm'],
  [YAMLSeq.prototype, 'Q'],
  [LeanSeq.prototype, 'q'],
  [Pair.prototype, 'P'],
  [LeanPair.prototype, 'p'],
  [Alias.prototype, 'A'],
]);

/** JSON keeps these exactly; anything else (a merge key's symbol, NaN, -0, binary, undefined) is not encoded. */
function jsonSafe(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    default:
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  }
}

/**
 * The shapes of nearly every node of Kubernetes YAML, first in every shapes
 * table: an entry that uses only these reads the same in every table, so a
 * worker's entry goes into the cache as it was sent (parse-pool.ts).
 */
export const COMMON_SHAPES: readonly (readonly string[])[] = [
  ['m', 'items', 'r0', 'r1', 'r2'],
  ['p', 'key', 'value'],
  ['L', 'value', 'r0', 'r1', 'tail'],
  ['q', 'items', 'r0', 'r1', 'r2'],
  ['M', 'items', 'flow', 'range'],
  ['Q', 'items', 'flow', 'range'],
  ['S', 'value', 'range', 'source', 'type', 'commentBefore'],
  ['S', 'value', 'range', 'source', 'type', 'spaceBefore'],
  ['S', 'value', 'range', 'source', 'type', 'comment'],
];

/** A new shapes table: the common shapes, to which encoders add others as they meet them. */
export function newShapesTable(): string[][] {
  return COMMON_SHAPES.map((s) => [...s]);
}

/** Whether a shapes table starts with the common shapes (a cache written by another build may not). */
export function startsWithCommonShapes(shapes: unknown): boolean {
  return Array.isArray(shapes) && COMMON_SHAPES.every((c, i) => Array.isArray(shapes[i]) && shapes[i].join(',') === c.join(','));
}

class NodeEncoder {
  private readonly ids = new Map<string, number>();
  /** The highest shape index the last entry used. */
  maxUsed = -1;
  constructor(readonly shapes: string[][]) {
    shapes.forEach((s, i) => this.ids.set(s.join(','), i));
  }

  private shapeOf(code: Code, keys: string[]): number {
    const id = `${code},${keys.join(',')}`;
    let n = this.ids.get(id);
    if (n === undefined) {
      n = this.shapes.length;
      this.shapes.push([code, ...keys]);
      this.ids.set(id, n);
    }
    if (n > this.maxUsed) this.maxUsed = n;
    return n;
  }

  encode(node: unknown): Encoded | null {
    if (node === null) return null;
    const code = typeof node === 'object' ? CODES.get(Object.getPrototypeOf(node) as object) : undefined;
    if (!code) throw new Unencodable();
    const fields = Object.entries(node as object);
    const out: Encoded = [this.shapeOf(code, fields.map(([k]) => k))];
    const record = node as Record<string, unknown>;
    for (const [k, v] of fields) {
      if (k === 'items') out.push((v as unknown[]).map((x) => this.encode(x)));
      else if (code === 'P' || code === 'p') out.push(this.encode(v));
      else if (k === 'source' && (code === 'S' || code === 'L') && v === record.value) out.push(1);
      else if (jsonSafe(v)) out.push(v);
      else throw new Unencodable();
    }
    return out;
  }
}

interface Shape {
  code: Code;
  keys: string[];
  /** Where the scalar's value or the alias's source is, for the constructor. */
  arg: number;
}

class NodeDecoder {
  private readonly cooked: Shape[] = [];
  constructor(
    /** The shapes table; it may grow between two decodes (a worker sends new shapes with its entries). */
    private readonly shapes: unknown,
    private readonly schema: Schema,
  ) {
    if (!Array.isArray(shapes)) throw new Unencodable();
  }

  private shape(n: unknown): Shape | undefined {
    if (typeof n !== 'number') return undefined;
    const cooked = this.cooked[n];
    if (cooked) return cooked;
    const s = (this.shapes as unknown[])[n];
    if (!Array.isArray(s) || !s.every((k) => typeof k === 'string')) return undefined;
    return (this.cooked[n] = { code: s[0] as Code, keys: s as string[], arg: s.indexOf(s[0] === 'A' ? 'source' : 'value') });
  }

  decode(enc: unknown): unknown {
    if (enc === null) return null;
    if (!Array.isArray(enc)) throw new Unencodable();
    const shape = this.shape(enc[0]);
    if (!shape || shape.keys.length !== enc.length) throw new Unencodable();
    const node = this.create(shape.code, shape.arg === -1 ? null : enc[shape.arg]);
    const record = node as unknown as Record<string, unknown>;
    const pair = shape.code === 'P' || shape.code === 'p';
    for (let i = 1; i < enc.length; i++) {
      const k = shape.keys[i];
      const v = enc[i];
      if (k === 'items') {
        if (!Array.isArray(v)) throw new Unencodable();
        record.items = v.map((x) => this.decode(x));
      } else if (pair) record[k] = this.decode(v);
      else if (k === 'source' && v === 1) record.source = record.value;
      else record[k] = v;
    }
    return node;
  }

  /** Through the constructors: each node gets its identity and (collections) the document's schema as the composer gives them. */
  private create(code: Code, arg: unknown): object {
    switch (code) {
      case 'S':
        return new Scalar(arg);
      case 'L':
        return new LeanScalar(arg, 0, 0, 0);
      case 'M':
        return new YAMLMap(this.schema);
      case 'm':
        return new LeanMap(this.schema, [], 0, 0, 0);
      case 'Q':
        return new YAMLSeq(this.schema);
      case 'q':
        return new LeanSeq(this.schema, [], 0, 0, 0);
      case 'P':
        return new Pair(null);
      case 'p':
        return new LeanPair(null, null);
      case 'A':
        return new Alias(String(arg));
      default:
        throw new Unencodable();
    }
  }
}

/** Encodes parses into entries; the shapes table grows with them and goes wherever the entries go. */
export class EntryEncoder {
  private readonly nodes: NodeEncoder;
  constructor(readonly shapes: string[][] = newShapesTable()) {
    this.nodes = new NodeEncoder(shapes);
  }

  /** The last entry encoded uses only the common shapes (and so reads the same in any table that starts with them). */
  get lastWasCommon(): boolean {
    return this.nodes.maxUsed < COMMON_SHAPES.length;
  }

  /** Throws Unencodable for a parse a restored one would not equal: a %YAML directive changes the schema, warnings are not kept. */
  encode(parsed: ParsedFile): Entry {
    if (parsed.docs.some((d) => d.doc.directives.yaml.explicit || d.doc.warnings.length > 0)) throw new Unencodable();
    this.nodes.maxUsed = -1;
    const docs: EncodedDoc[] = parsed.docs.map((d) => ({
      index: d.index,
      startLine: d.startLine,
      endLine: d.endLine,
      range: d.doc.range,
      commentBefore: d.doc.commentBefore ?? null,
      comment: d.doc.comment ?? null,
      docStart: d.doc.directives.docStart,
      docEnd: d.doc.directives.docEnd,
      contents: this.nodes.encode(d.doc.contents),
    }));
    const entry: Entry = { docs };
    if (parsed.syntax) entry.syntax = parsed.syntax;
    if (parsed.notifications) entry.notifications = parsed.notifications;
    if (parsed.skipped) entry.skipped = true;
    if (parsed.blanked) entry.blanked = true;
    return entry;
  }
}

/** Restores parses from entries encoded with the same shapes table. */
export class EntryDecoder {
  private readonly template = plainTemplate();
  private readonly nodes: NodeDecoder;
  constructor(shapes: unknown) {
    this.nodes = new NodeDecoder(shapes, this.template.schema);
  }

  /** The parse of `file` (whose decoded text `text` gives) that `entry` holds; throws Unencodable when it holds none. */
  restore(file: SourceFile, entry: Entry, text: () => string): ParsedFile {
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.docs)) throw new Unencodable();
    const source = entry.skipped ? '' : text();
    const lineCounter = entry.skipped ? NO_LINES : new TextLines(source);
    const template = this.template;
    const docs: ParsedDoc[] = entry.docs.map((d) => {
      const doc = Object.create(Document.prototype) as Document.Parsed;
      Object.defineProperty(doc, NODE_TYPE, { value: (template as unknown as Record<symbol, unknown>)[NODE_TYPE] });
      Object.assign(doc, {
        commentBefore: d.commentBefore,
        comment: d.comment,
        errors: NO_PROBLEMS,
        warnings: NO_PROBLEMS,
        options: template.options,
        directives: plainDirectives(d.docStart, d.docEnd),
        schema: template.schema,
        contents: this.nodes.decode(d.contents),
        range: d.range,
      });
      return { file, index: d.index, doc, text: source, lineCounter, startLine: d.startLine, endLine: d.endLine };
    });
    const out: ParsedFile = { file, text: source, lineCounter, docs };
    if (entry.syntax) out.syntax = entry.syntax;
    if (entry.notifications) out.notifications = entry.notifications;
    if (entry.skipped) out.skipped = true;
    if (entry.blanked) out.blanked = true;
    return out;
  }
}
