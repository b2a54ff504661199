// render/world.ts: what rendering read besides the parsed files. A renderer
// that did not run (no binary, a refused kustomization) still decided from the
// disk: which paths link where, which are folders, which binary is on PATH,
// the text of a file discovery did not pick. Each such read goes through
// here and is logged with its answer, so that the result cache
// (result-cache.ts) can ask again and reuse a scan's results only when every
// answer is still the same.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { findBinary, type Found, type ToolFlavor } from './binaries.js';

/** One read: what was asked, and a digest of the answer. */
export type WorldRead = [op: WorldOp, args: string[], answer: string];

/** The renderer's reads of one scan. */
export class WorldLog {
  /** Repository files read through the parsed files (root-relative): the result cache compares their bytes. */
  readonly files = new Set<string>();
  readonly reads: WorldRead[] = [];
}

function errorCode(e: unknown): string {
  return `!${(e as NodeJS.ErrnoException).code ?? 'error'}`;
}

/** Each read as a function of its arguments: its answer as a string (`!CODE` for an error). */
const OPS = {
  realpath: ([p]: string[]): string => {
    try {
      // One realpath(3) call: the JavaScript version lstats every component of every path, and preflight asks for hundreds.
      return fs.realpathSync.native(p);
    } catch (e) {
      return errorCode(e);
    }
  },
  /** `file <size>`, `dir`, or `other`. */
  stat: ([p]: string[]): string => {
    try {
      const s = fs.statSync(p);
      return s.isFile() ? `file ${s.size}` : s.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      return errorCode(e);
    }
  },
  /** `=` and the bytes as latin1 (any byte round-trips). */
  read: ([p]: string[]): string => {
    try {
      return `=${fs.readFileSync(p).toString('latin1')}`;
    } catch (e) {
      return errorCode(e);
    }
  },
  /** The entries of a folder as JSON: name and whether it is a link or a folder. */
  readdir: ([p]: string[]): string => {
    try {
      return JSON.stringify(fs.readdirSync(p, { withFileTypes: true }).map((e) => [e.name, e.isSymbolicLink() ? 'link' : e.isDirectory() ? 'dir' : 'other']));
    } catch (e) {
      return errorCode(e);
    }
  },
  binary: ([configured, names, flavor, root]: string[]): string => JSON.stringify(findBinary(configured === '' ? undefined : configured, names.split('\u0000'), flavor as ToolFlavor, root)),
} as const;

export type WorldOp = keyof typeof OPS;

/** Long answers (a file's bytes) are kept as their hash. */
function digestOf(answer: string): string {
  return answer.length <= 256 ? answer : `sha256:${crypto.createHash('sha256').update(answer, 'latin1').digest('hex')}`;
}

function ask(log: WorldLog | undefined, op: WorldOp, args: string[]): string {
  const answer = OPS[op](args);
  log?.reads.push([op, args, digestOf(answer)]);
  return answer;
}

/** fs.realpathSync.native, logged: throws as it does. */
export function realpathOf(log: WorldLog | undefined, p: string): string {
  const answer = ask(log, 'realpath', [p]);
  if (answer.startsWith('!')) throw Object.assign(new Error(`realpath ${answer.slice(1)}`), { code: answer.slice(1) });
  return answer;
}

/** What is at a path: a file and its size, a folder, something else, or undefined when it cannot be stat'ed. */
export function statOf(log: WorldLog | undefined, p: string): { file: true; size: number } | { file: false; dir: boolean } | undefined {
  const answer = ask(log, 'stat', [p]);
  if (answer.startsWith('!')) return undefined;
  if (answer.startsWith('file ')) return { file: true, size: Number(answer.slice(5)) };
  return { file: false, dir: answer === 'dir' };
}

/** A file's bytes, logged by their hash; undefined when it cannot be read. */
export function bytesOf(log: WorldLog | undefined, p: string): Buffer | undefined {
  const answer = ask(log, 'read', [p]);
  return answer.startsWith('=') ? Buffer.from(answer.slice(1), 'latin1') : undefined;
}

/** A folder's entries, logged; undefined when it cannot be read. */
export function entriesOf(log: WorldLog | undefined, p: string): Array<{ name: string; link: boolean; dir: boolean }> | undefined {
  const answer = ask(log, 'readdir', [p]);
  if (answer.startsWith('!')) return undefined;
  return (JSON.parse(answer) as Array<[string, string]>).map(([name, type]) => ({ name, link: type === 'link', dir: type === 'dir' }));
}

/** findBinary, logged. */
export function binaryOf(log: WorldLog | undefined, configured: string | undefined, names: readonly string[], flavor: ToolFlavor, root: string): Found {
  return JSON.parse(ask(log, 'binary', [configured ?? '', names.join('\u0000'), flavor, root])) as Found;
}

/** Whether every read gives the answer it gave when it was logged. */
export function sameWorld(reads: readonly WorldRead[]): boolean {
  return reads.every(([op, args, answer]) => Object.hasOwn(OPS, op) && Array.isArray(args) && digestOf(OPS[op](args)) === answer);
}
