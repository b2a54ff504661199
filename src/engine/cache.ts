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
import { TOOL_VERSION } from '../meta/project.js';
import type { ParsedFile } from './parse.js';
import { type Entry, EntryDecoder, EntryEncoder, Unencodable } from './parse-transport.js';
import type { SourceFile } from './types.js';

export const DEFAULT_CACHE_FILE = '.dapr-policy-cache';
const MAGIC = 'DAPRPOLICY-CACHE-4\n';

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
  if (a === -1 || b === -1 || c === -1) throw new Unencodable();
  const file = JSON.parse(text.slice(0, a)) as unknown;
  if (typeof file !== 'string') throw new Unencodable();
  return [file, { hash: text.slice(a + 1, b), kind: text.slice(b + 1, c), json: text.slice(c + 1), text }];
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
  private encoder: EntryEncoder | undefined;
  private decoder: EntryDecoder | undefined;
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
      const decoder = (this.decoder ??= new EntryDecoder(this.shapes));
      const parsed = decoder.restore(file, JSON.parse(line.json) as Entry, text);
      this.used.set(file.path, line.text);
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
      this.used.set(parsed.file.path, lineOf(parsed.file.path, hash, parsed.file.kind, encoder.encode(parsed)));
    } catch (e) {
      if (!(e instanceof Unencodable)) throw e;
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
    let fd: number | undefined;
    try {
      const header: Header = { tool: TOOL_VERSION, key: this.key, shapes: this.shapes };
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fd = fs.openSync(tmp, 'w');
      // Line by line, the checksum written last over a placeholder: the body (100 MB for 20,000 files) is never one string.
      const digest = crypto.createHash('sha256');
      let at = Buffer.byteLength(MAGIC) + 65;
      const write = (text: string): void => {
        const buf = Buffer.from(text);
        digest.update(buf);
        fs.writeSync(fd as number, buf, 0, buf.length, at);
        at += buf.length;
      };
      write(`${JSON.stringify(header)}\n`);
      for (const p of [...this.used.keys()].sort()) write(`${this.used.get(p) as string}\n`);
      fs.writeSync(fd, `${MAGIC}${digest.digest('hex')}\n`, 0);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.file);
      return true;
    } catch {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }
}
