// result-cache: `--cache` also keeps the last scan's results, with what they
// were computed from: each file's digest of what later stages can see of it
// (observe.ts), what rendering read from the disk (render/world.ts), and
// whether a rule read the clock. A scan whose files, configuration, program
// and renderer reads are all the same as far as the rules can tell reuses the
// results and runs only the policy (levels, suppressions, the files to report).
//
// It sits beside the parse cache (`<cache>.results`) and is trusted no more:
// a checksum, the tool version and the parse cache's key (configuration and
// program bytes) must match, and anything unexpected means a full scan.
import fs from 'node:fs';
import path from 'node:path';
import { TOOL_VERSION } from '../meta/project.js';
import type { ResolvedFinding } from './policy.js';
import type { WorldRead } from './render/world.js';
import type { SuppressionComment } from './suppressions.js';
import { ParseCache, sha256 } from './cache.js';
import { readSource } from './parse.js';
import type { Notification, SourceFile } from './types.js';

const MAGIC = 'DAPRPOLICY-RESULTS-1\n';

/** A file as the stored scan saw it: `[path, kind, sha256 of its bytes, observable digest]`. */
export type SeenFile = [path: string, kind: string, hash: string, digest: string];

export interface StoredScan {
  /** Everything else the results depend on (scan root, folders, rules, discovery's notifications), as one string. */
  scope: string;
  /** Every discovered file, in discovery order. */
  files: SeenFile[];
  /** Rendering's reads of the disk, and the repository files it read through the parsed files. */
  world: WorldRead[];
  worldFiles: string[];
  /** The clock, when a rule read it: the results hold only at that instant. */
  clock?: string;
  findings: ResolvedFinding[];
  suppressions: SuppressionComment[];
  notifications: Notification[];
  ok: boolean;
}

interface Body {
  tool: string;
  key: string;
  scan: StoredScan;
}

/** The results file of a parse cache file. */
export function resultsFileOf(cacheFile: string): string {
  return `${cacheFile}.results`;
}

export class ResultStore {
  constructor(
    readonly file: string,
    /** The parse cache's key: configuration and program bytes. */
    private readonly key: string,
  ) {}

  /** The stored scan, or undefined when there is none that this program and configuration wrote intact. */
  load(): StoredScan | undefined {
    try {
      const text = fs.readFileSync(this.file, 'utf8');
      const nl = MAGIC.length + 64;
      if (!text.startsWith(MAGIC) || text[nl] !== '\n') return undefined;
      const body = text.slice(nl + 1);
      if (sha256(body) !== text.slice(MAGIC.length, nl)) return undefined;
      const parsed = JSON.parse(body) as Partial<Body> | null;
      if (parsed?.tool !== TOOL_VERSION || parsed.key !== this.key || !wellFormed(parsed.scan)) return undefined;
      return parsed.scan;
    } catch {
      return undefined;
    }
  }

  /** Writes through a temporary file and a rename; a store that cannot be written costs the next scan time, never a result. */
  save(scan: StoredScan): boolean {
    const body = JSON.stringify({ tool: TOOL_VERSION, key: this.key, scan } satisfies Body);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
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

/** The shape load() relies on; the checksum already rules out damage, this rules out another writer's idea of it. */
function wellFormed(s: unknown): s is StoredScan {
  if (s === null || typeof s !== 'object') return false;
  const x = s as Partial<StoredScan>;
  return (
    typeof x.scope === 'string' &&
    Array.isArray(x.files) &&
    x.files.every((f) => Array.isArray(f) && f.length === 4 && f.every((v) => typeof v === 'string')) &&
    Array.isArray(x.world) &&
    Array.isArray(x.worldFiles) &&
    (x.clock === undefined || typeof x.clock === 'string') &&
    Array.isArray(x.findings) &&
    Array.isArray(x.suppressions) &&
    Array.isArray(x.notifications) &&
    typeof x.ok === 'boolean'
  );
}

/**
 * Every file as a full scan saw it, or undefined when one was not seen (it
 * could not be read). A file whose released trees a fix read again was seen
 * beyond its facts: it is judged by its bytes.
 */
export function seenFiles(files: readonly SourceFile[], seen: ReadonlyMap<string, SeenFile>, reparsed: ReadonlySet<string>): SeenFile[] | undefined {
  const out: SeenFile[] = [];
  for (const f of files) {
    const s = seen.get(f.path);
    if (!s) return undefined;
    out.push(reparsed.has(f.path) ? [s[0], s[1], s[2], `b:${s[2]}`] : s);
  }
  return out;
}

/** Files a reuse may parse before it gives up: past that, the full scan is likely and the parses wasted. */
const MAX_CHANGED_FILES = 200;

/**
 * The stored files with the hashes they have now, or undefined when one of
 * them is seen differently: another path or kind, unreadable, judged by its
 * bytes or read by rendering and changed, or changed so that `see` (what a
 * full scan would see of it now) gives another digest.
 */
export function seenNow(stored: StoredScan, files: readonly SourceFile[], see: (file: SourceFile, buf: Buffer, hash: string) => string | undefined): SeenFile[] | undefined {
  if (stored.files.length !== files.length) return undefined;
  const worldFiles = new Set(stored.worldFiles);
  const out: SeenFile[] = [];
  let changed = 0;
  for (const [i, file] of files.entries()) {
    const [p, kind, hash, digest] = stored.files[i];
    if (p !== file.path || kind !== file.kind) return undefined;
    let buf: Buffer;
    try {
      buf = readSource(file);
    } catch {
      return undefined;
    }
    const current = ParseCache.hash(buf);
    if (current === hash) {
      out.push(stored.files[i]);
      continue;
    }
    if (digest.startsWith('b:') || worldFiles.has(p) || ++changed > MAX_CHANGED_FILES || see(file, buf, current) !== digest) return undefined;
    out.push([p, kind, current, digest]);
  }
  return out;
}
