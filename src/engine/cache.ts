// cache: `--cache`. Parsing is most of a scan's time, and a file that did not
// change parses to the same documents, so the parse of each file is kept on
// disk keyed by a hash of its bytes. Everything after the parse (extract,
// model, rules) runs on every scan: cross-file rules see the whole repository
// each time, so a cached scan reports byte-identical results.
//
// The file is never trusted: a checksum guards the payload; the tool version,
// a hash of the program's own bytes and a hash of the configuration must
// match; and any surprise while reading it (truncated, corrupted, another
// tool's file, a node type we do not know) means an empty cache that is
// rebuilt by this scan. A cache file that git tracks is not used at all
// (invoke.ts): whoever wrote the change could have written it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Alias, Composer, Document, LineCounter, Pair, Parser, Scalar, type Schema, YAMLMap, YAMLSeq } from 'yaml';
import { TOOL_VERSION } from '../meta/project.js';
import { COMPOSER_OPTIONS, type ParsedFile } from './parse.js';
import type { ParsedDoc } from './yaml.js';
import type { Notification, SourceFile } from './types.js';

export const DEFAULT_CACHE_FILE = '.dapr-policy-cache';
const MAGIC = 'DAPRPOLICY-CACHE-3\n';

const NODE_TYPE = Symbol.for('yaml.node.type');

/**
 * A yaml node as JSON: `[shape, ...values]`, where the shape (an index into
 * the cache's table) names the class and the node's own fields in order.
 * Children are encoded nodes; a scalar's `source` equal to its value is 1.
 */
type Encoded = [number, ...unknown[]];
type Code = 'S' | 'M' | 'Q' | 'P' | 'A';

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

/** What a file parsed to, without the file itself and its text (both come from the bytes on disk). */
interface Entry {
  lineStarts: number[];
  docs: EncodedDoc[];
  syntax?: ParsedFile['syntax'];
  notifications?: Notification[];
  skipped?: boolean;
}

/** The first line of the body. */
interface Header {
  tool: string;
  key: string;
  shapes: string[][];
}

/**
 * One line of the body per file: `<path as JSON>\t<sha256 of its bytes>\t<kind>\t<Entry as JSON>`.
 * Discovery decides the kind (a Helm template only beside a Chart.yaml): a
 * changed kind is a changed file. The entry is parsed only when its file is
 * asked for, and an unchanged line is written back as it was read.
 */
interface Line {
  hash: string;
  kind: string;
  json: string;
  text: string;
}

function lineOf(file: string, hash: string, kind: string, entry: Entry): string {
  return `${JSON.stringify(file)}\t${hash}\t${kind}\t${JSON.stringify(entry)}`;
}

function parseLine(text: string): [string, Line] {
  const a = text.indexOf('\t');
  const b = text.indexOf('\t', a + 1);
  const c = text.indexOf('\t', b + 1);
  if (a === -1 || b === -1 || c === -1) throw new Uncacheable();
  const file = JSON.parse(text.slice(0, a)) as unknown;
  if (typeof file !== 'string') throw new Uncacheable();
  return [file, { hash: text.slice(a + 1, b), kind: text.slice(b + 1, c), json: text.slice(c + 1), text }];
}

// Only the classes the composer makes for Kubernetes YAML; a file with anything else (!!set, !!omap) is parsed every time.
const CODES = new Map<object, Code>([
  [Scalar.prototype, 'S'],
  [YAMLMap.prototype, 'M'],
  [YAMLSeq.prototype, 'Q'],
  [Pair.prototype, 'P'],
  [Alias.prototype, 'A'],
]);

class Uncacheable extends Error {}

/** JSON keeps these exactly; anything else (a merge key's symbol, NaN, -0, binary, undefined) is not cached. */
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

class Encoder {
  private readonly ids = new Map<string, number>();
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
    return n;
  }

  encode(node: unknown): Encoded | null {
    if (node === null) return null;
    const code = typeof node === 'object' ? CODES.get(Object.getPrototypeOf(node) as object) : undefined;
    if (!code) throw new Uncacheable();
    const fields = Object.entries(node as object);
    const out: Encoded = [this.shapeOf(code, fields.map(([k]) => k))];
    const record = node as Record<string, unknown>;
    for (const [k, v] of fields) {
      if (k === 'items') out.push((v as unknown[]).map((x) => this.encode(x)));
      else if (code === 'P') out.push(this.encode(v));
      else if (k === 'source' && code === 'S' && v === record.value) out.push(1);
      else if (jsonSafe(v)) out.push(v);
      else throw new Uncacheable();
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

class Decoder {
  private readonly shapes: Shape[];
  constructor(
    shapes: string[][],
    private readonly schema: Schema,
  ) {
    this.shapes = shapes.map((s) => {
      if (!Array.isArray(s) || !s.every((k) => typeof k === 'string')) throw new Uncacheable();
      return { code: s[0] as Code, keys: s, arg: s.indexOf(s[0] === 'A' ? 'source' : 'value') };
    });
  }

  decode(enc: unknown): unknown {
    if (enc === null) return null;
    if (!Array.isArray(enc)) throw new Uncacheable();
    const shape = this.shapes[enc[0] as number];
    if (!shape || shape.keys.length !== enc.length) throw new Uncacheable();
    const node = this.create(shape.code, shape.arg === -1 ? null : enc[shape.arg]);
    const record = node as unknown as Record<string, unknown>;
    const pair = shape.code === 'P';
    for (let i = 1; i < enc.length; i++) {
      const k = shape.keys[i];
      const v = enc[i];
      if (k === 'items') {
        if (!Array.isArray(v)) throw new Uncacheable();
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
      case 'M':
        return new YAMLMap(this.schema);
      case 'Q':
        return new YAMLSeq(this.schema);
      case 'P':
        return new Pair(null);
      case 'A':
        return new Alias(String(arg));
      default:
        throw new Uncacheable();
    }
  }
}

/** The document every restored document shares its options, schema and directives with: what the parser gives a plain document. */
function templateDocument(): Document.Parsed {
  const [doc] = [...new Composer(COMPOSER_OPTIONS).compose(new Parser().parse('a: 1\n'))];
  return doc;
}

const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The bytes of the running program (the bundle this module is in): a build
 * with the same version number but other code, a development build say, may
 * parse differently, so it gets its own cache.
 */
function programDigest(): string {
  try {
    return sha256(fs.readFileSync(fileURLToPath(import.meta.url)));
  } catch {
    return '';
  }
}

export class ParseCache {
  private lines = new Map<string, Line>();
  /** The lines of the next cache: files of this scan, read back or parsed afresh. */
  private readonly used = new Map<string, string>();
  private shapes: string[][] = [];
  private encoder: Encoder | undefined;
  private decoder: Decoder | undefined;
  private template: Document.Parsed | undefined;
  private readonly key: string;
  private changed = false;

  constructor(
    readonly file: string,
    /** Everything parsing depends on besides the bytes: the configuration, as JSON. */
    settings: string,
  ) {
    this.key = sha256(`${settings}\0${programDigest()}`);
    this.load();
  }

  static hash(buf: Buffer): string {
    return sha256(buf);
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return; // no cache yet
    }
    try {
      const nl = text.indexOf('\n', MAGIC.length);
      if (!text.startsWith(MAGIC) || nl === -1) return;
      const body = text.slice(nl + 1);
      if (sha256(body) !== text.slice(MAGIC.length, nl)) return;
      const [head, ...rest] = body.split('\n');
      const header = JSON.parse(head) as Partial<Header> | null;
      if (header?.tool !== TOOL_VERSION || header.key !== this.key || !Array.isArray(header.shapes)) return;
      const lines = new Map<string, Line>();
      for (const line of rest) if (line !== '') lines.set(...parseLine(line));
      this.shapes = header.shapes;
      this.lines = lines;
    } catch {
      this.lines.clear(); // unreadable: rebuilt by this scan
      this.shapes = [];
    }
  }

  /** The parse of `file` as it was when its bytes hashed to `hash`, or undefined. */
  get(file: SourceFile, hash: string, text: () => string): ParsedFile | undefined {
    const line = this.lines.get(file.path);
    if (!line || line.hash !== hash || line.kind !== file.kind) return undefined;
    try {
      const parsed = this.restore(file, JSON.parse(line.json) as Entry, text);
      this.used.set(file.path, line.text);
      return parsed;
    } catch {
      return undefined;
    }
  }

  private restore(file: SourceFile, entry: Entry, text: () => string): ParsedFile {
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.lineStarts) || !Array.isArray(entry.docs)) throw new Uncacheable();
    const lineCounter = new LineCounter();
    lineCounter.lineStarts = entry.lineStarts;
    const source = entry.skipped ? '' : text();
    const template = (this.template ??= templateDocument());
    const decoder = (this.decoder ??= new Decoder(this.shapes, template.schema));
    const docs: ParsedDoc[] = entry.docs.map((d) => {
      const doc = Object.create(Document.prototype) as Document.Parsed;
      Object.defineProperty(doc, NODE_TYPE, { value: (template as unknown as Record<symbol, unknown>)[NODE_TYPE] });
      Object.assign(doc, {
        commentBefore: d.commentBefore,
        comment: d.comment,
        errors: [],
        warnings: [],
        options: template.options,
        directives: Object.assign(template.directives.clone(), { docStart: d.docStart, docEnd: d.docEnd }),
        schema: template.schema,
        contents: decoder.decode(d.contents),
        range: d.range,
      });
      return { file, index: d.index, doc, text: source, lineCounter, startLine: d.startLine, endLine: d.endLine };
    });
    const out: ParsedFile = { file, text: source, lineCounter, docs };
    if (entry.syntax) out.syntax = entry.syntax;
    if (entry.notifications) out.notifications = entry.notifications;
    if (entry.skipped) out.skipped = true;
    return out;
  }

  /** Remembers a fresh parse for the next scan. */
  set(parsed: ParsedFile, hash: string): void {
    this.changed = true;
    // A %YAML directive changes the schema, and a document with warnings is not what a restored one would be.
    if (parsed.docs.some((d) => d.doc.directives.yaml.explicit || d.doc.warnings.length > 0)) return;
    const encoder = (this.encoder ??= new Encoder(this.shapes));
    try {
      const docs: EncodedDoc[] = parsed.docs.map((d) => ({
        index: d.index,
        startLine: d.startLine,
        endLine: d.endLine,
        range: d.doc.range,
        commentBefore: d.doc.commentBefore ?? null,
        comment: d.doc.comment ?? null,
        docStart: d.doc.directives.docStart,
        docEnd: d.doc.directives.docEnd,
        contents: encoder.encode(d.doc.contents),
      }));
      const entry: Entry = { lineStarts: parsed.lineCounter.lineStarts, docs };
      if (parsed.syntax) entry.syntax = parsed.syntax;
      if (parsed.notifications) entry.notifications = parsed.notifications;
      if (parsed.skipped) entry.skipped = true;
      this.used.set(parsed.file.path, lineOf(parsed.file.path, hash, parsed.file.kind, entry));
    } catch (e) {
      if (!(e instanceof Uncacheable)) throw e;
    }
  }

  /**
   * Writes the parses of this scan (files no longer scanned are dropped),
   * through a temporary file and a rename, so a reader never sees half a cache.
   * Nothing is written when nothing changed. A cache that cannot be written
   * costs the next scan time, never a result.
   */
  save(): boolean {
    if (!this.changed && this.used.size === this.lines.size) return true;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const header: Header = { tool: TOOL_VERSION, key: this.key, shapes: this.shapes };
      const lines = [...this.used.keys()].sort().map((p) => this.used.get(p) as string);
      const body = `${JSON.stringify(header)}\n${lines.join('\n')}\n`;
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, `${MAGIC}${sha256(body)}\n${body}`);
      fs.renameSync(tmp, this.file);
      return true;
    } catch {
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }
}
