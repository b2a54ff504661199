// observe: what later stages can see of a file, as one digest. The result
// cache (result-cache.ts) reuses a scan's results when every file's digest is
// what it was. A file whose documents all let go of their trees after
// extraction (release.ts) is seen only through the facts extraction took: a
// change to anything else in it (an image tag, a replica count, a comment)
// changes no result. Every other file is seen whole, so its digest is the hash
// of its bytes.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { sha256 } from './cache.js';
import type { FileExtract } from './extract/index.js';
import type { ParsedFile } from './parse.js';
import { mayHoldPem } from './precheck.js';
import { isReleased, ReleasedMap } from './release.js';
import type { SuppressionComment } from './suppressions.js';
import type { ParsedDoc } from './yaml.js';

/**
 * The digest of what the model and the rules can read of a file: `b:` and the
 * hash of its bytes, or `f:` and a hash of its facts. Facts are read from
 * extraction's output, after release: the resources' values, and each node
 * they hold as its value, its source text and its line and column (not its
 * offset: an edit that keeps the lines keeps every finding's place), with
 * the file's syntax problem, notifications and suppression comments.
 */
export function observableDigest(parsed: ParsedFile, x: FileExtract, suppressions: readonly SuppressionComment[], bytesHash: string): string {
  if (!seenOnlyThroughFacts(parsed, x)) return `b:${bytesHash}`;
  const out: string[] = [];
  const w = new FactWriter(out);
  w.value({ path: parsed.file.path, kind: parsed.file.kind, skipped: parsed.skipped === true, blanked: parsed.blanked === true, syntax: parsed.syntax, notifications: parsed.notifications, suppressions });
  for (const d of parsed.docs) out.push(`\u0001doc ${d.index} ${d.startLine}`);
  for (const r of x.resources) {
    out.push('\u0001resource');
    w.value(r, r.pdoc);
  }
  return `f:${sha256(out.join('\u0000'))}`;
}

/**
 * A YAML file whose only parts are resources that let go of their trees.
 * Kustomizations, Multi-App Run and compose files, plain documents and
 * resources that keep their trees are read by rules and renderers beyond the
 * facts, and so is text that may hold PEM: their files are seen whole.
 */
function seenOnlyThroughFacts(parsed: ParsedFile, x: FileExtract): boolean {
  // The PEM rules search a file's whole text, comments and all (a private key pasted into a comment).
  if (parsed.file.kind !== 'yaml' || mayHoldPem(parsed.text)) return false;
  if (x.kustomizations.length > 0 || x.multiAppRuns.length > 0 || x.composeDocs.length > 0 || x.plainDocs.length > 0 || x.installs.length > 0) return false;
  return x.resources.every((r) => isReleased(r.pdoc) && !r.pdoc.origin);
}

function isParsedDoc(v: object): v is ParsedDoc {
  return 'lineCounter' in v && 'doc' in v && 'file' in v && 'index' in v;
}

/** Writes a value as tokens; objects seen before are written as a back reference (the facts share nodes). */
class FactWriter {
  private readonly seen = new Map<object, number>();
  constructor(private readonly out: string[]) {}

  value(v: unknown, pdoc?: ParsedDoc): void {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function' || typeof v === 'symbol') return;
      this.out.push(typeof v === 'string' ? JSON.stringify(v) : `${typeof v}:${String(v)}`);
      return;
    }
    const ref = this.seen.get(v);
    if (ref !== undefined) {
      this.out.push(`#${ref}`);
      return;
    }
    this.seen.set(v, this.seen.size);
    // A released map first: reading its items would parse its document again.
    if (v instanceof ReleasedMap) return this.node('released', v, pdoc);
    if (isParsedDoc(v)) {
      this.out.push(`doc:${JSON.stringify(v.file.path)}:${v.index}`);
      return;
    }
    if (isScalar(v)) {
      this.node(`scalar:${String(v.type)}:${String(v.tag)}`, v, pdoc);
      return this.value(v.value, pdoc);
    }
    if (isPair(v)) {
      this.out.push('pair');
      this.value(v.key, pdoc);
      return this.value(v.value, pdoc);
    }
    if (isMap(v) || isSeq(v)) {
      this.node(`${isMap(v) ? 'map' : 'seq'}:${String(v.flow)}:${String(v.tag)}:${v.items.length}`, v, pdoc);
      for (const item of v.items) this.value(item, pdoc);
      return;
    }
    if (isAlias(v)) return this.node(`alias:${v.source}`, v, pdoc);
    if (v instanceof Date) return void this.out.push(`date:${v.toISOString()}`);
    if (ArrayBuffer.isView(v)) return void this.out.push(`bytes:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`);
    if (Array.isArray(v)) {
      this.out.push(`[${v.length}`);
      for (const item of v) this.value(item, pdoc);
      return;
    }
    if (v instanceof Map || v instanceof Set) {
      this.out.push(`${v instanceof Map ? 'Map' : 'Set'}${v.size}`);
      for (const e of v) this.value(e, pdoc);
      return;
    }
    if ('absPath' in v) {
      // A SourceFile: its size and where the scanning machine keeps it say nothing rules read.
      const f = v as { path?: unknown; kind?: unknown };
      return void this.out.push(`file:${String(f.path)}:${String(f.kind)}`);
    }
    const own = (v as { pdoc?: unknown }).pdoc;
    const here = own !== null && typeof own === 'object' && isParsedDoc(own) ? own : pdoc;
    this.out.push('{');
    for (const [k, item] of Object.entries(v)) {
      this.out.push(k);
      this.value(item, here);
    }
    this.out.push('}');
  }

  /** A node's place (lines and columns) and its source text. */
  private node(what: string, n: { range?: readonly number[] | null; r0?: number; r1?: number; r2?: number }, pdoc: ParsedDoc | undefined): void {
    const range = n instanceof ReleasedMap ? [n.r0, n.r1, n.r2] : n.range;
    if (!range || !pdoc) {
      this.out.push(what);
      return;
    }
    const a = pdoc.lineCounter.linePos(range[0]);
    const b = pdoc.lineCounter.linePos(range[2] ?? range[1]);
    this.out.push(`${what}@${a.line}:${a.col}-${b.line}:${b.col}`);
    // A released map's text is the part of the document nothing reads any more.
    if (!(n instanceof ReleasedMap)) this.out.push(pdoc.text.slice(range[0], range[2] ?? range[1]));
  }
}
