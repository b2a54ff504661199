// cache: `--cache`. Parsing is most of a full scan's time, and a file that did
// not change parses to the same documents, so the parse of each file is kept on
// disk keyed by a hash of its bytes. Beside it, result-cache.ts keeps the last
// scan's results, reused when no change reaches what the rules read; else
// everything after the parse (extract, model, rules) runs again on the whole
// repository. Either way a cached scan reports byte-identical results.
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
import { TOOL_VERSION } from '../meta/project.js';
import type { ParsedFile } from './parse.js';
import { type Entry, EntryDecoder, EntryEncoder, newShapesTable, startsWithCommonShapes, Unencodable } from './parse-transport.js';
import type { SourceFile } from './types.js';

export const DEFAULT_CACHE_FILE = '.dapr-policy-cache';
const MAGIC = 'DAPRPOLICY-CACHE-6\n';

/** The first line of the body. */
interface Header {
  tool: string;
  key: string;
  shapes: string[][];
}

/**
 * One line of the body per file: `<path as JSON>\t<sha256 of its bytes>\t<kind>\t<Entry as JSON>`.
 * Discovery decides the kind (a Helm template only beside a Chart.yaml): a
 * changed kind is a changed file. The cache file is not kept in memory: a line
 * is known by its byte offsets, its entry read from the file only when its
 * file is asked for, and an unchanged line is copied into the next cache as
 * it was.
 */
interface Line {
  hash: string;
  kind: string;
  /** Byte offsets in the cache file: the line, and where its entry starts. */
  start: number;
  entry: number;
  end: number;
}

function lineOf(file: string, hash: string, kind: string, entryJson: string): string {
  return `${JSON.stringify(file)}\t${hash}\t${kind}\t${entryJson}`;
}

/** The line of `buf` from `start` to `end` (a newline or the end), indexed; throws Unencodable when it is not one. */
function parseLine(buf: Buffer, start: number, end: number): [string, Line] {
  const a = buf.indexOf(0x09, start);
  const b = a === -1 ? -1 : buf.indexOf(0x09, a + 1);
  const c = b === -1 ? -1 : buf.indexOf(0x09, b + 1);
  if (a === -1 || b === -1 || c === -1 || c >= end) throw new Unencodable();
  const file = JSON.parse(buf.toString('utf8', start, a)) as unknown;
  if (typeof file !== 'string') throw new Unencodable();
  return [file, { hash: buf.toString('latin1', a + 1, b), kind: buf.toString('latin1', b + 1, c), start, entry: c + 1, end }];
}

/** The hex SHA-256 of a string (as UTF-8) or of bytes. */
export const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

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
  /** The lines of the next cache: files of this scan, read back (a line of the old file) or parsed afresh (its text). */
  private readonly used = new Map<string, string | Line>();
  /** The cache file read at the start, open until the next one is written: lines are read from it by offset. */
  private fd: number | undefined;
  private shapes: string[][] = newShapesTable();
  private encoder: EntryEncoder | undefined;
  private decoder: EntryDecoder | undefined;
  /** Configuration and program bytes: a cache of another is not used (the result cache shares it). */
  readonly key: string;
  private changed = false;
  /** The shapes table starts with the common shapes (set once loaded: the table only grows at its end). */
  private readonly commonFirst: boolean;

  constructor(
    readonly file: string,
    /** Everything parsing depends on besides the bytes: the configuration, as JSON. */
    settings: string,
  ) {
    this.key = ParseCache.keyFor(settings);
    this.load();
    this.commonFirst = startsWithCommonShapes(this.shapes);
  }

  /** The key of a cache for these settings, without reading one. */
  static keyFor(settings: string): string {
    return sha256(`${settings}\0${programDigest()}`);
  }

  static hash(buf: Buffer): string {
    return sha256(buf);
  }

  private load(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // no cache yet
    }
    try {
      // Read once to check and index it, through the same descriptor that later reads lines: another scan may replace the file meanwhile.
      const buf = fs.readFileSync(fd);
      const nl = MAGIC.length + 64;
      if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC || buf[nl] !== 0x0a) throw new Unencodable();
      const body = buf.subarray(nl + 1);
      if (sha256(body) !== buf.toString('latin1', MAGIC.length, nl)) throw new Unencodable();
      const headEnd = buf.indexOf(0x0a, nl + 1);
      if (headEnd === -1) throw new Unencodable();
      const header = JSON.parse(buf.toString('utf8', nl + 1, headEnd)) as Partial<Header> | null;
      if (header?.tool !== TOOL_VERSION || header.key !== this.key || !Array.isArray(header.shapes)) throw new Unencodable();
      const lines = new Map<string, Line>();
      for (let at = headEnd + 1; at < buf.length; ) {
        const end = buf.indexOf(0x0a, at);
        if (end === -1) throw new Unencodable(); // the writer ends every line
        if (end > at) lines.set(...parseLine(buf, at, end));
        at = end + 1;
      }
      this.shapes = header.shapes;
      this.lines = lines;
      this.fd = fd;
    } catch {
      // Unreadable, another version, another configuration: rebuilt by this scan.
      this.lines.clear();
      this.shapes = newShapesTable();
      fs.closeSync(fd);
    }
  }

  /** The bytes of the old cache file from `start` to `end`. */
  private read(start: number, end: number): Buffer {
    const out = Buffer.alloc(end - start);
    let got = 0;
    while (got < out.length) {
      const n = fs.readSync(this.fd as number, out, got, out.length - got, start + got);
      if (n === 0) throw new Unencodable();
      got += n;
    }
    return out;
  }

  private close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Whether the cache holds a parse of `file` at all: if not, there is no need to read and hash it to ask. */
  has(file: SourceFile): boolean {
    return this.lines.get(file.path)?.kind === file.kind;
  }

  /** The parse of `file` as it was when its bytes hashed to `hash`, or undefined. */
  get(file: SourceFile, hash: string, text: () => string): ParsedFile | undefined {
    const line = this.lines.get(file.path);
    if (!line || line.hash !== hash || line.kind !== file.kind) return undefined;
    try {
      const decoder = (this.decoder ??= new EntryDecoder(this.shapes));
      const parsed = decoder.restore(file, JSON.parse(this.read(line.entry, line.end).toString('utf8')) as Entry, text);
      this.used.set(file.path, line);
      return parsed;
    } catch {
      return undefined;
    }
  }

  /** Remembers a fresh parse for the next scan. */
  set(parsed: ParsedFile, hash: string): void {
    this.changed = true;
    const encoder = (this.encoder ??= new EntryEncoder(this.shapes));
    try {
      this.used.set(parsed.file.path, lineOf(parsed.file.path, hash, parsed.file.kind, JSON.stringify(encoder.encode(parsed))));
    } catch (e) {
      if (!(e instanceof Unencodable)) throw e;
    }
  }

  /**
   * Remembers a fresh parse that a parse worker already encoded (in the common
   * shapes only): kept as it was sent when this cache's table starts with
   * them, as any table this build wrote does. False: call set() instead.
   */
  setEncoded(file: SourceFile, hash: string, entry: string): boolean {
    if (!this.commonFirst) return false;
    this.changed = true;
    this.used.set(file.path, lineOf(file.path, hash, file.kind, entry));
    return true;
  }

  /**
   * Writes the parses of this scan (files no longer scanned are dropped),
   * through a temporary file and a rename, so a reader never sees half a cache.
   * Nothing is written when nothing changed. A cache that cannot be written
   * costs the next scan time, never a result.
   */
  save(): boolean {
    if (!this.changed && this.used.size === this.lines.size) {
      this.close();
      return true;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    let fd: number | undefined;
    try {
      const header: Header = { tool: TOOL_VERSION, key: this.key, shapes: this.shapes };
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fd = fs.openSync(tmp, 'w');
      // Line by line, the checksum written last over a placeholder: the body (100 MB for 20,000 files) is never one string.
      const digest = crypto.createHash('sha256');
      let at = Buffer.byteLength(MAGIC) + 65;
      const write = (data: string | Buffer): void => {
        const buf = typeof data === 'string' ? Buffer.from(data) : data;
        digest.update(buf);
        fs.writeSync(fd as number, buf, 0, buf.length, at);
        at += buf.length;
      };
      write(`${JSON.stringify(header)}\n`);
      for (const p of [...this.used.keys()].sort()) {
        const line = this.used.get(p) as string | Line;
        // An old line is copied with its newline (load made sure every line has one).
        write(typeof line === 'string' ? `${line}\n` : this.read(line.start, line.end + 1));
      }
      fs.writeSync(fd, `${MAGIC}${digest.digest('hex')}\n`, 0);
      fs.closeSync(fd);
      fd = undefined;
      // The old file is closed before the new one takes its name (Windows refuses to replace an open file).
      this.close();
      fs.renameSync(tmp, this.file);
      return true;
    } catch {
      if (fd !== undefined) fs.closeSync(fd);
      this.close();
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }
}
