// fix: the results' safe fixes, applied to the scanned files (`--fix`) or
// shown as a unified diff (`--fix-dry-run`). Edits are offsets into the text
// the scan read; they are applied to that text, so every byte a fix does not
// touch (BOM, CRLF line endings, comments, quoting) is written back as it
// was. A fix is only applied to a file of the scan root that is reported on,
// whose bytes are still the ones scanned, and never together with a fix whose
// edits overlap its own (the later one waits for the next run).
import fs from 'node:fs';
import path from 'node:path';
import { applyTextEdits, type Edit, editsConflict } from './edits.js';
import { type ParsedFile, parseText } from './parse.js';
import type { Result } from './policy.js';

/** One file's change. */
export interface FileChange {
  /** Root-relative path, `/` separators. */
  file: string;
  absPath: string;
  /** The file's text before and after, BOM included when it has one: exactly its bytes, decoded as UTF-8. */
  before: string;
  after: string;
  /** Results whose fix the change applies. */
  fixed: Result[];
}

export interface SkippedFix {
  result: Result;
  reason: string;
}

export interface FixPlan {
  changes: FileChange[];
  skipped: SkippedFix[];
}

export interface FixInput {
  /** Absolute scan root: no file outside it is ever changed. */
  root: string;
  /** The results reported (what `--quiet`, a baseline or pre-commit's file list leave); suppressed ones are never fixed. */
  results: readonly Result[];
  /** The texts the scan read (the model's parsed files). */
  parsed: readonly ParsedFile[];
}

const BOM = '\uFEFF';

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The file's text as scanned, with its BOM, or why it cannot be fixed. */
function readBack(root: string, parsed: ParsedFile | undefined): { absPath: string; bom: string; text: string } | string {
  if (!parsed) return 'the file was not scanned';
  if (parsed.file.content) return 'the file was not read from the working tree';
  const absPath = parsed.file.absPath;
  if (!inside(root, absPath)) return 'the file is outside the scan root';
  let bytes: Buffer;
  try {
    // A symbolic link inside the root may point outside it: the target is what would be written.
    if (!inside(fs.realpathSync(root), fs.realpathSync(absPath))) return 'the file is outside the scan root';
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    // Node's message names the absolute path; the code alone says enough and leaks nothing.
    return `the file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return 'UTF-16 files are not fixed';
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? BOM : '';
  const body = bom ? bytes.subarray(3) : bytes;
  const text = body.toString('utf8');
  if (text !== parsed.text) return 'the file changed since it was scanned';
  // Invalid UTF-8 decodes with replacement characters: writing it back would change bytes no fix touches.
  if (!Buffer.from(text, 'utf8').equals(body)) return 'the file is not valid UTF-8';
  return { absPath, bom, text };
}

/** Whether a changed text still parses as the original did: no new syntax error, as many documents. */
function parsesLike(original: ParsedFile, text: string): boolean {
  const again = parseText(original.file, text);
  return (!again.syntax || original.syntax !== undefined) && again.docs.length === original.docs.length;
}

function firstOffset(r: Result): number {
  return Math.min(...(r.fix?.edits ?? []).map((e) => e.start));
}

function editsOf(r: Result): Edit[] {
  return (r.fix?.edits ?? []).map(({ start, end, text }) => ({ start, end, text }));
}

function sameEdits(a: readonly Edit[], b: readonly Edit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.start === b[i].start && e.end === b[i].end && e.text === b[i].text);
}

interface Group {
  results: Result[];
  edits: Edit[];
}

/**
 * Which fixes of one file go together: in order of their first edit (then
 * rule and fingerprint, so the choice is stable), each fix whose edits touch
 * none already taken. Two results with the very same edits share them.
 */
function chooseFixes(results: readonly Result[], skipped: SkippedFix[]): Group[] {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const ordered = [...results].sort((a, b) => firstOffset(a) - firstOffset(b) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  const groups: Group[] = [];
  for (const r of ordered) {
    const edits = editsOf(r);
    const same = groups.find((g) => sameEdits(g.edits, edits));
    if (same) {
      same.results.push(r);
      continue;
    }
    if (groups.some((g) => g.edits.some((a) => edits.some((b) => editsConflict(a, b))))) {
      skipped.push({ result: r, reason: 'its edits overlap another fix in this file; run --fix again to apply it' });
      continue;
    }
    groups.push({ results: [r], edits });
  }
  return groups;
}

/** The changes the fixes make, file by file, and the fixes left out with the reason. Nothing is written. */
export function planFixes(input: FixInput): FixPlan {
  const skipped: SkippedFix[] = [];
  const byFile = new Map<string, Result[]>();
  for (const r of input.results) {
    if (!r.fix || r.suppression) continue;
    // A fix changes only the file its result is reported in (pre-commit reports per file).
    if (r.fix.edits.some((e) => e.file !== r.location.file)) {
      skipped.push({ result: r, reason: 'it edits a file the finding is not in' });
      continue;
    }
    const list = byFile.get(r.location.file) ?? [];
    list.push(r);
    byFile.set(r.location.file, list);
  }
  const parsedByPath = new Map(input.parsed.map((p) => [p.file.path, p]));
  const changes: FileChange[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const results = byFile.get(file) ?? [];
    const parsed = parsedByPath.get(file);
    const source = readBack(input.root, parsed);
    if (typeof source === 'string' || !parsed) {
      for (const result of results) skipped.push({ result, reason: typeof source === 'string' ? source : 'the file was not scanned' });
      continue;
    }
    let groups = chooseFixes(results, skipped);
    let after = applyTextEdits(source.text, groups.flatMap((g) => g.edits));
    if (!parsesLike(parsed, after)) {
      // Each fix was verified alone; together they may clash (a rename and an insertion of one key). Add them one by one.
      const kept: Group[] = [];
      for (const g of groups) {
        const candidate = applyTextEdits(source.text, [...kept, g].flatMap((k) => k.edits));
        if (parsesLike(parsed, candidate)) kept.push(g);
        else for (const result of g.results) skipped.push({ result, reason: 'together with the other fixes of this file it would not parse; run --fix again to apply it' });
      }
      groups = kept;
      after = applyTextEdits(source.text, groups.flatMap((g) => g.edits));
    }
    if (after === source.text) continue;
    changes.push({ file, absPath: source.absPath, before: source.bom + source.text, after: source.bom + after, fixed: groups.flatMap((g) => g.results) });
  }
  return { changes, skipped };
}

/** Writes the changes; a file whose bytes changed since it was planned is left alone and returned. */
export function writeFixes(plan: FixPlan): { written: FileChange[]; stale: FileChange[] } {
  const written: FileChange[] = [];
  const stale: FileChange[] = [];
  for (const c of plan.changes) {
    let current: Buffer;
    try {
      current = fs.readFileSync(c.absPath);
    } catch {
      stale.push(c);
      continue;
    }
    if (!current.equals(Buffer.from(c.before, 'utf8'))) {
      stale.push(c);
      continue;
    }
    // Written in place: the file keeps its mode, owner and any hard links.
    fs.writeFileSync(c.absPath, c.after);
    written.push(c);
  }
  return { written, stale };
}

// ------------------------------------------------------------ unified diff

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their terminators (`\r\n` stays in the line, so CRLF files diff byte for byte). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' O(ND) shortest edit script between two line lists. */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[y - 1] });
      else ops.push({ kind: '-', line: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const keep = (line: string): Op => ({ kind: ' ', line });
  return [...a.slice(0, pre).map(keep), ...myers(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)), ...a.slice(a.length - suf).map(keep)];
}

/** A path as git writes it in a diff header: C-quoted when it holds quotes, backslashes, control or non-ASCII characters. */
function gitPath(prefix: string, file: string): string {
  const name = prefix + file;
  if (!/[^\x20-\x7e]|["\\]/.test(name)) return name;
  const escapes: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    if (escapes[byte]) out += escapes[byte];
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `"${out}"`;
}

function hunkRange(start: number, count: number): string {
  // An empty side names the line before it (0 for the top of the file).
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** A git-style unified diff of one file (`a/` and `b/` prefixes, `context` lines around each change). */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [`diff --git ${gitPath('a/', file)} ${gitPath('b/', file)}\n`, `--- ${gitPath('a/', file)}\n`, `+++ ${gitPath('b/', file)}\n`];
  // Old and new line numbers before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let i = 0;
  while (i < changed.length) {
    // A hunk runs from `context` lines before a change to `context` after the last change closer than 2 × context to the next.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(ops.length, changed[j] + context + 1);
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((x) => x.kind !== '+').length;
    const newCount = slice.filter((x) => x.kind !== '-').length;
    out.push(`@@ -${hunkRange(oldAt[from], oldCount)} +${hunkRange(newAt[from], newCount)} @@\n`);
    for (const op of slice) {
      out.push(op.kind + op.line);
      if (!op.line.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
    }
    i = j + 1;
  }
  return out.join('');
}

/** The whole plan as one patch, files in path order: `git apply` (or `patch -p1`) in the scan root applies it. */
export function planDiff(plan: FixPlan): string {
  return plan.changes.map((c) => unifiedDiff(c.file, c.before, c.after)).join('');
}
