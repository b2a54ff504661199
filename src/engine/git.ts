// A revision of the repository read straight from git objects, for the grant
// diff of a pull request (`--base <ref>`). Nothing is checked out and the
// working tree is never touched: `git ls-tree` lists the revision's files and
// `git cat-file --batch` reads their blobs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type Candidate, ChartDirs, classify, type DiscoverResult, pathFilter, toPosix } from './discover.js';

export class GitError extends Error {}

/** Plain git, without the repository's hooks, pager or fsmonitor. */
function git(cwd: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '--no-pager', ...args], {
      cwd,
      input,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    throw new GitError(stderr || (e as Error).message);
  }
}

interface TreeEntry {
  mode: string;
  sha: string;
  size: number;
  /** Relative to the git top level. */
  path: string;
}

function lsTree(top: string, ref: string, prefix: string): TreeEntry[] {
  const out = git(top, ['ls-tree', '-r', '-l', '-z', '--full-tree', ref, '--', prefix || '.']).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const line of out.split('\0')) {
    if (!line) continue;
    // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
    const tab = line.indexOf('\t');
    const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
    if (type !== 'blob') continue;
    entries.push({ mode, sha, size: Number(size), path: line.slice(tab + 1) });
  }
  return entries;
}

/** Blob contents by object id, read in one `git cat-file --batch`. */
function readBlobs(top: string, shas: string[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const out = git(top, ['cat-file', '--batch'], `${shas.join('\n')}\n`);
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    const [sha, , size] = out.subarray(pos, nl).toString('utf8').split(' ');
    const start = nl + 1;
    const end = start + Number(size);
    blobs.set(sha, out.subarray(start, end));
    pos = end + 1; // the newline after each object
  }
  return blobs;
}

export interface RevisionOptions {
  /** Absolute scan root (a folder of the git work tree). */
  root: string;
  ref: string;
  include?: string[];
  exclude?: string[];
  maxFileSize: number;
  /** Bytes read from the revision in all (config maxTotalBytes), as for the working tree; default no limit. */
  maxTotalBytes?: number;
}

/** The files of `ref` under the scan root, as discovery would have found them, with their bytes. */
export function discoverRevision(opts: RevisionOptions): DiscoverResult {
  const top = git(opts.root, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  git(top, ['rev-parse', '--verify', '--quiet', `${opts.ref}^{commit}`]);
  const prefix = toPosix(path.relative(top, opts.root));
  const accept = pathFilter(opts.include, opts.exclude);
  const notifications: DiscoverResult['notifications'] = [];
  const candidates: Array<Candidate & { sha: string }> = [];
  for (const e of lsTree(top, opts.ref, prefix)) {
    const rel = prefix ? path.posix.relative(prefix, e.path) : e.path;
    if (rel.startsWith('..') || !accept(rel)) continue;
    if (e.mode === '120000') {
      notifications.push({ id: 'symlink-in-revision', level: 'note', file: rel, message: `Skipped ${rel} in ${opts.ref}: a symbolic link (not followed in git revisions).` });
      continue;
    }
    candidates.push({ rel, abs: path.join(opts.root, rel), size: e.size, sha: e.sha });
  }
  // Chosen first (kinds, size caps, maxTotalBytes), then read: a blob the caps leave out is never loaded.
  const classified = classify(candidates, new ChartDirs(undefined, candidates.map((c) => c.rel)), opts.maxFileSize, undefined, opts.maxTotalBytes);
  const shaOf = new Map(candidates.map((c) => [c.rel, c.sha]));
  const blobs = readBlobs(top, classified.files.map((f) => shaOf.get(f.path) ?? ''));
  for (const f of classified.files) f.content = blobs.get(shaOf.get(f.path) ?? '') ?? Buffer.alloc(0);
  return { files: classified.files, notifications: [...notifications, ...classified.notifications] };
}

/**
 * Whether git tracks (or has staged) `file`. A parse cache that came with the
 * repository could hide findings (cache.ts), so --cache refuses one. False
 * outside a git work tree or without git.
 */
export function isTrackedByGit(file: string): boolean {
  try {
    git(path.dirname(file), ['ls-files', '--error-unmatch', '--', path.basename(file)]);
    return true;
  } catch {
    return false;
  }
}
