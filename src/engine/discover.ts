// discover: which files to read. Text files only; nothing under .git or
// node_modules; symlinks never followed out of the root or around a loop; files
// over the size cap reported, not silently dropped.
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { compileGlob } from './glob.js';
import type { Notification, SourceFile, SourceKind } from './types.js';

export const DEFAULT_INCLUDE = ['**/*.{yaml,yml,json}', '**/*.{crt,pem,key}', '**/templates/**/*.tpl'];
/** Never scanned, whatever the config says. */
export const ALWAYS_EXCLUDED = ['**/.git/**', '**/node_modules/**'];
/** Excluded unless the config's `exclude` replaces them. */
export const DEFAULT_EXCLUDE = ['**/vendor/**', '**/third_party/**', '**/bower_components/**', '**/.terraform/**'];
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
/** Files not read because of maxTotalBytes that are named one by one; the rest are counted in one more notification. */
export const MAX_UNREAD_LISTED = 100;

export interface DiscoverOptions {
  /** Absolute scan root: the repository root. */
  root: string;
  /** Absolute folders to walk (default: the root). */
  dirs?: string[];
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  /** Bytes read in one scan (config maxTotalBytes); default no limit. */
  maxTotalBytes?: number;
}

export interface DiscoverResult {
  files: SourceFile[];
  notifications: Notification[];
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** True when `child` is `parent` or inside it (both absolute, resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function kindOf(rel: string, chartDirs: ChartDirs): SourceKind | undefined {
  const ext = path.posix.extname(rel).toLowerCase();
  if (ext === '.crt' || ext === '.pem' || ext === '.key') return 'pem';
  if (chartDirs.isTemplate(rel)) return 'helm-template';
  if (ext === '.tpl') return undefined; // a .tpl outside a chart is not a manifest
  return 'yaml';
}

/** Knows which folders are Helm charts (hold a Chart.yaml), from the listing or, when the listing is partial, the disk. */
export class ChartDirs {
  private readonly known = new Map<string, boolean>();
  constructor(private readonly root: string | undefined, listed: Iterable<string>) {
    for (const rel of listed) {
      if (path.posix.basename(rel) === 'Chart.yaml') this.known.set(path.posix.dirname(rel), true);
    }
  }
  private isChart(dir: string): boolean {
    let v = this.known.get(dir);
    if (v === undefined) {
      v = this.root !== undefined && fs.existsSync(path.join(this.root, dir, 'Chart.yaml'));
      this.known.set(dir, v);
    }
    return v;
  }
  /** A file anywhere below `<chart>/templates/`. */
  isTemplate(rel: string): boolean {
    const segs = rel.split('/');
    for (let i = segs.length - 2; i >= 0; i--) {
      if (segs[i] !== 'templates') continue;
      const chartDir = i === 0 ? '.' : segs.slice(0, i).join('/');
      if (this.isChart(chartDir)) return true;
    }
    return false;
  }
}

export interface Candidate {
  rel: string;
  abs: string;
  size: number;
}

export function discover(opts: DiscoverOptions): DiscoverResult {
  const root = path.resolve(opts.root);
  const realRoot = fs.realpathSync(root);
  const accept = pathFilter(opts.include, opts.exclude);
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const notifications: Notification[] = [];
  const candidates = new Map<string, Candidate>();

  const addCandidate = (rel: string, abs: string, size: number): void => {
    if (!candidates.has(rel)) candidates.set(rel, { rel, abs, size });
  };

  for (const dir of opts.dirs && opts.dirs.length > 0 ? opts.dirs : [root]) {
    const entries = fg.sync('**/*', {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      stats: true,
      ignore: ALWAYS_EXCLUDED,
      suppressErrors: true,
    });
    for (const entry of entries) {
      const abs = path.join(dir, entry.path);
      const rel = toPosix(path.relative(root, abs));
      if (!accept(rel)) continue;
      const st = entry.stats;
      if (!st) continue;
      if (st.isSymbolicLink()) {
        const resolved = resolveSymlink(abs, rel, realRoot, root, notifications);
        if (resolved && accept(resolved.rel)) addCandidate(resolved.rel, resolved.abs, resolved.size);
        continue;
      }
      if (!st.isFile()) continue;
      addCandidate(rel, abs, st.size);
    }
  }

  const classified = classify([...candidates.values()], new ChartDirs(root, candidates.keys()), maxFileSize, undefined, opts.maxTotalBytes);
  return { files: classified.files, notifications: [...notifications, ...classified.notifications] };
}

/**
 * Kinds and the size caps, for candidates from the disk or from git. Files are
 * taken in path order until the next one would take the total past
 * `maxTotalBytes`; from there on nothing more is read, and every file left out
 * is reported (the first MAX_UNREAD_LISTED by name, then a count), so the same
 * tree always yields the same files.
 */
export function classify(candidates: Candidate[], chartDirs: ChartDirs, maxFileSize: number, content?: (c: Candidate) => Buffer, maxTotalBytes = Infinity): DiscoverResult {
  const notifications: Notification[] = [];
  const files: SourceFile[] = [];
  let total = 0;
  let unread: { count: number; bytes: number } | undefined;
  for (const c of [...candidates].sort((a, b) => compareStrings(a.rel, b.rel))) {
    const kind = kindOf(c.rel, chartDirs);
    if (!kind) continue;
    if (c.size > maxFileSize) {
      notifications.push({
        id: 'file-too-large',
        level: 'warning',
        file: c.rel,
        message: `Skipped ${c.rel}: ${formatBytes(c.size)} is over the ${formatBytes(maxFileSize)} limit (config "maxFileSize"). Its contents were not checked.`,
      });
      continue;
    }
    if (unread || total + c.size > maxTotalBytes) {
      unread ??= { count: 0, bytes: 0 };
      unread.count++;
      unread.bytes += c.size;
      if (unread.count <= MAX_UNREAD_LISTED) {
        notifications.push({
          id: 'total-bytes-limit',
          level: 'warning',
          file: c.rel,
          message: `Not read ${c.rel}: the scan stopped reading files at the ${formatBytes(maxTotalBytes)} limit (config "maxTotalBytes"). Its contents were not checked.`,
        });
      }
      continue;
    }
    total += c.size;
    const file: SourceFile = { path: c.rel, absPath: c.abs, kind, size: c.size };
    if (content) file.content = content(c);
    files.push(file);
  }
  if (unread && unread.count > MAX_UNREAD_LISTED) {
    const more = unread.count - MAX_UNREAD_LISTED;
    notifications.push({ id: 'total-bytes-limit', level: 'warning', message: `${more} more ${more === 1 ? 'file' : 'files'} were not read either (config "maxTotalBytes"): ${formatBytes(unread.bytes)} in all were left unchecked.` });
  }
  return { files, notifications };
}

/** Include/exclude matching, shared by the disk walk and the git listing. */
export function pathFilter(include: string[] | undefined, exclude: string[] | undefined): (rel: string) => boolean {
  const inc = compileGlob(include && include.length > 0 ? include : DEFAULT_INCLUDE, { dot: true });
  const exc = compileGlob([...ALWAYS_EXCLUDED, ...(exclude ?? DEFAULT_EXCLUDE)], { dot: true });
  return (rel) => inc(rel) && !exc(rel);
}

/** A symlinked file inside the root is read at its real path; anything else is reported and skipped. */
function resolveSymlink(abs: string, rel: string, realRoot: string, root: string, notifications: Notification[]): Candidate | undefined {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    notifications.push({
      id: code === 'ELOOP' ? 'symlink-loop' : 'symlink-broken',
      level: 'warning',
      file: rel,
      message: code === 'ELOOP' ? `Skipped ${rel}: symbolic link loop.` : `Skipped ${rel}: symbolic link to a missing target.`,
    });
    return undefined;
  }
  if (!isInside(realRoot, real)) {
    notifications.push({ id: 'symlink-outside-root', level: 'warning', file: rel, message: `Skipped ${rel}: symbolic link to a target outside the scanned repository.` });
    return undefined;
  }
  const st = fs.statSync(real);
  // A linked folder inside the root is scanned at its real location.
  if (!st.isFile()) return undefined;
  const realRel = toPosix(path.relative(realRoot, real));
  return { rel: realRel, abs: path.join(root, realRel), size: st.size };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Byte-order comparison, independent of locale: output must be identical everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
