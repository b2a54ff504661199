// run: the whole pipeline, discover → parse → extract → model → rules → policy.
// Formatting is the caller's business (src/report).
import path from 'node:path';
import { allRules } from '../rules/index.js';
import { passesSchema } from '../rules/schema-check.js';
import type { Finding, ReportInput, Rule, RuleMeta } from '../rules/types.js';
import type { LoadedConfig } from './config-types.js';
import type { LoadedConfigWithSource } from './config.js';
import { discover, type DiscoverResult, toPosix } from './discover.js';
import { escapeControl } from './escape.js';
import { discoverRevision } from './git.js';
import { assemble, extractFile, type FileExtract } from './extract/index.js';
import type { RepoIndex } from './extract/multi-app-run.js';
import { buildModel, type Model } from './model.js';
import { ParseCache } from './cache.js';
import { contentsAgain, decode, type ParseOptions, type ParsedFile, readSource } from './parse.js';
import { type Concurrency, parseFiles, type PoolResult } from './parse-pool.js';
import { applyPolicy, resolveFinding, ruleEntry, type Result } from './policy.js';
import { documentMayHoldPem } from './precheck.js';
import { filesOnDisk, render } from './render/index.js';
import { RELEASED_TYPES, releaseDocument, releaseTree } from './release.js';
import type { Resource } from './resources.js';
import { findSuppressions } from './suppressions.js';
import type { Notification, SourceFile } from './types.js';

export interface ScanRequest {
  /** Absolute repository root; paths in the output are relative to it. */
  root: string;
  /** Absolute folders to walk; default the root. */
  dirs?: string[];
  /** Report only findings in these root-relative files, or under these folders; the model is still the whole walk. */
  reportOnly?: { files: string[]; dirs?: string[] };
  config: LoadedConfigWithSource;
  /** The clock of time-based rules. */
  now?: Date;
  rules?: readonly Rule[];
  /** A git revision to compare with (`--base`): its model is built from git objects. */
  baseRef?: string;
  /** `--cache`: the file that keeps each file's parse between scans (cache.ts). */
  cache?: string;
  /** `--concurrency`: worker threads that parse beside the main thread (parse-pool.ts); default auto. */
  concurrency?: Concurrency;
}

export interface ScanResult {
  results: Result[];
  notifications: Notification[];
  rules: RuleMeta[];
  model: Model;
  /** The model of the `--base` revision, when one was asked for. */
  base?: Model;
  /** False when a rule failed: results may be incomplete. */
  executionSuccessful: boolean;
}

function repoIndex(files: SourceFile[]): RepoIndex {
  const paths = new Set(files.map((f) => f.path));
  const dirs = new Set<string>();
  for (const f of files) {
    let d = path.posix.dirname(f.path);
    while (d !== '.' && !dirs.has(d)) {
      dirs.add(d);
      d = path.posix.dirname(d);
    }
  }
  return { hasDir: (d) => dirs.has(d), hasFile: (f) => paths.has(f) };
}

/** The notification for a file that could not be read. */
function unreadable(file: SourceFile, e: unknown): Notification {
  // The error code only: Node's messages carry the absolute path of the scanning machine.
  const err = e as NodeJS.ErrnoException;
  return { id: 'file-unreadable', level: 'error', file: file.path, message: `Could not read ${file.path}: ${err.code ?? err.name}.` };
}

/**
 * Every file's parse, in discovery order: from the cache when its bytes did
 * not change, else from the parse pool. `onParsed` gets each file as soon as
 * it is there (extraction, which may let go of trees), but only after the
 * cache took its parse: a parse the cache must encode itself is handed over
 * in discovery order, so that the cache file does not depend on timing.
 */
function parseAll(files: SourceFile[], notifications: Notification[], opts: ParseOptions, concurrency: Concurrency, cache: ParseCache | undefined, onParsed: (i: number, parsed: ParsedFile) => void): ParsedFile[] {
  const outcomes: Array<PoolResult | undefined> = new Array<PoolResult | undefined>(files.length);
  const toEncode: number[] = [];
  const accept = (i: number, outcome: PoolResult, fresh: boolean): void => {
    outcomes[i] = outcome;
    if ('error' in outcome) return;
    // A worker's entry in the common shapes goes in as it is; anything else is encoded below.
    if (cache && fresh && outcome.hash !== undefined && (outcome.entry === undefined || !cache.setEncoded(outcome.parsed.file, outcome.hash, outcome.entry))) toEncode.push(i);
    else onParsed(i, outcome.parsed);
  };
  const todo: number[] = [];
  files.forEach((file, i) => {
    const hit = cache ? fromCache(file, cache) : undefined;
    if (hit) accept(i, hit, false);
    else todo.push(i);
  });
  parseFiles(
    todo.map((i) => files[i]),
    opts,
    { concurrency, hashes: cache !== undefined, onResult: (k, result) => accept(todo[k], result, true) },
  );
  for (const i of toEncode.sort((a, b) => a - b)) {
    const outcome = outcomes[i] as { parsed: ParsedFile; hash: string };
    cache?.set(outcome.parsed, outcome.hash);
    onParsed(i, outcome.parsed);
  }
  const parsed: ParsedFile[] = [];
  files.forEach((file, i) => {
    const outcome = outcomes[i] as PoolResult;
    if ('error' in outcome) {
      notifications.push(unreadable(file, outcome.error));
      return;
    }
    parsed.push(outcome.parsed);
    if (outcome.parsed.notifications) notifications.push(...outcome.parsed.notifications);
  });
  return parsed;
}

/** A cache hit, a file that could not be read, or undefined: parse it (the parse pool reads and hashes it then). */
function fromCache(file: SourceFile, cache: ParseCache): PoolResult | undefined {
  if (!cache.has(file)) return undefined;
  try {
    const buf = readSource(file);
    const parsed = cache.get(file, ParseCache.hash(buf), () => decode(buf).text);
    return parsed ? { parsed } : undefined;
  } catch (error) {
    return { error };
  }
}

export function optionsFor(meta: RuleMeta, loaded: LoadedConfig): Record<string, unknown> {
  const opts: Record<string, unknown> = {};
  for (const o of meta.options ?? []) opts[o.name] = o.default;
  return { ...opts, ...(ruleEntry(loaded.config, meta)?.options ?? {}) };
}

function identityOf(on: NonNullable<ReportInput['on']>): string {
  if ('resource' in on) return `${on.resource.kind}/${on.namespace}/${on.resource.name ?? ''}`;
  return `${on.app.kind}/${on.namespace}/${on.app.name}`;
}

export function runRules(model: Model, rules: readonly Rule[], loaded: LoadedConfigWithSource, now: Date, notifications: Notification[], base?: Model): { findings: Finding[]; ok: boolean } {
  const findings: Finding[] = [];
  const knownRules = new Set(rules.flatMap((r) => [r.meta.id, r.meta.name]));
  let ok = true;
  for (const rule of rules) {
    const report = (r: ReportInput): void => {
      const f: Finding = {
        ruleId: rule.meta.id,
        message: r.message,
        at: r.at,
        related: r.related ?? [],
        environment: r.environment ?? r.on?.environment ?? 'unclassified',
        resourceKey: r.resourceKey ?? (r.on ? identityOf(r.on) : ''),
        path: r.path ?? '',
      };
      const ns = r.namespace ?? r.on?.namespace;
      if (ns !== undefined) f.namespace = ns;
      if (r.on?.via) f.via = r.on.via;
      if (r.levels) f.levels = r.levels;
      if (r.securitySeverity !== undefined) f.securitySeverity = r.securitySeverity;
      if (r.fix) f.fix = r.fix;
      findings.push(f);
    };
    try {
      rule.check({ model, config: loaded.config, options: optionsFor(rule.meta, loaded), now, knownRules, locateConfig: loaded.locate, report, ...(base ? { base } : {}) });
    } catch (e) {
      ok = false;
      const err = e as Error;
      notifications.push({ id: 'rule-failed', level: 'error', message: `Rule ${rule.meta.id} (${rule.meta.name}) failed: ${err.message}. Its results are incomplete; please report this.` });
    }
  }
  return { findings, ok };
}

function reportFilter(only: NonNullable<ScanRequest['reportOnly']>): (file: string) => boolean {
  const files = new Set(only.files.map(toPosix));
  const dirs = (only.dirs ?? []).map(toPosix).map((d) => (d === '' || d === '.' ? '' : `${d}/`));
  return (file) => files.has(file) || dirs.some((d) => file.startsWith(d));
}

/** How files are parsed: the cache to read and fill, and how many worker threads. */
export interface Parsing {
  cache?: ParseCache;
  concurrency?: Concurrency;
  /** Let go of the trees no later stage reads (release.ts); default true. Tests turn it off to compare. */
  release?: boolean;
  /** Resources whose trees a rule's fix will read: kept, so that the fix does not parse them again (Rule.keepsTree). */
  keepTree?: (resource: Resource) => boolean;
}

/** discover's output → the model: parse, find suppressions, extract, render (helm, kustomize), join. */
export function modelOf(discovered: DiscoverResult, root: string, loaded: LoadedConfigWithSource, filesDir: string = root, parsing: Parsing = {}): Model {
  const notifications = [...discovered.notifications];
  const { config } = loaded;
  // Custom rules may read any document, so they turn the pre-check off.
  const precheck = config.precheck !== false && !(config.customRules && config.customRules.length > 0);
  const parseOptions: ParseOptions = { maxDocuments: config.maxDocumentsPerFile, maxAliasCount: config.maxAliasCount, maxDepth: config.maxDepth, precheck };
  const repo = repoIndex(discovered.files);
  // Each file is extracted as soon as it is parsed, and lets go of the trees no later stage reads, so that the
  // trees of the whole repository are never all in memory at once. Custom rules may read any part of any
  // document: they keep every tree.
  const release = precheck && parsing.release !== false;
  const extracts: Array<FileExtract | undefined> = new Array<FileExtract | undefined>(discovered.files.length);
  const parsed = parseAll(discovered.files, notifications, parseOptions, parsing.concurrency ?? 'auto', parsing.cache, (i, file) => {
    const x = extractFile(file, repo);
    if (release) releaseTrees(x.resources, parseOptions, parsing.keepTree);
    extracts[i] = x;
  });
  const extracted = assemble(extracts.filter((x): x is FileExtract => x !== undefined));
  // Charts and kustomizations as the cluster gets them; chart templates read statically when a chart could not be rendered.
  const rendered = render({ dir: filesDir, files: discovered.files, parsed, kustomizations: extracted.kustomizations, config, parseOptions });
  // Rendering was the last reader of kustomizations' trees: the model and rules read what extraction took.
  if (release) for (const k of extracted.kustomizations) if (!k.pdoc.origin && !documentMayHoldPem(k.pdoc)) releaseDocument(k.pdoc, (pdoc) => contentsAgain(pdoc, parseOptions));
  extracted.resources.push(...rendered.staticResources);
  return buildModel({
    root,
    repo,
    config: loaded.config,
    configFile: loaded.file,
    files: discovered.files,
    parsed,
    extracted,
    suppressions: parsed.flatMap(findSuppressions),
    notifications,
    rendered,
  });
}

/** Lets go of the trees no later stage reads (release.ts); a late reader gets the document parsed again. */
function releaseTrees(resources: readonly Resource[], opts: ParseOptions, keep?: (r: Resource) => boolean): void {
  for (const r of resources) {
    if (r.pdoc.origin || documentMayHoldPem(r.pdoc) || keep?.(r)) continue;
    if (RELEASED_TYPES.has(r.type) || releasableComponent(r)) releaseTree(r, (pdoc) => contentsAgain(pdoc, opts));
  }
}

/**
 * A Component that passes its schema has nothing more to tell DAPR002, and
 * its other rules read what extraction took; DAPR103 works in the tree
 * around scopes written in the wrong place.
 */
function releasableComponent(r: Resource): boolean {
  return r.type === 'component' && r.misplacedScopes.length === 0 && passesSchema(r);
}

/** The model of another revision (`--base`), read from git objects with the same configuration. */
export function revisionModel(root: string, ref: string, loaded: LoadedConfigWithSource, concurrency: Concurrency = 'auto'): Model {
  const { config } = loaded;
  const discovered = discoverRevision({ root, ref, include: config.include, exclude: config.exclude, maxFileSize: config.maxFileSize, maxTotalBytes: config.maxTotalBytes });
  // helm and kustomize read files from disk: the revision's files are written to a temporary folder for them.
  return filesOnDisk(discovered.files, config, (dir) => modelOf(discovered, root, loaded, dir ?? root, { concurrency }));
}

export function scan(req: ScanRequest): ScanResult {
  const rules = req.rules ?? allRules;
  const now = req.now ?? new Date();
  const { config } = req.config;
  const discovered = discover({
    root: req.root,
    dirs: req.dirs,
    include: config.include,
    exclude: config.exclude,
    maxFileSize: config.maxFileSize,
    maxTotalBytes: config.maxTotalBytes,
  });
  // Keyed by the whole configuration: a changed config is a cold scan.
  const cache = req.cache !== undefined ? new ParseCache(req.cache, JSON.stringify(config)) : undefined;
  const keepers = rules.filter((r) => r.keepsTree !== undefined);
  const keepTree = (resource: Resource): boolean => keepers.some((r) => r.keepsTree?.(resource) === true);
  const model = modelOf(discovered, req.root, req.config, req.root, { keepTree, ...(cache ? { cache } : {}), ...(req.concurrency !== undefined ? { concurrency: req.concurrency } : {}) });
  cache?.save();
  const notifications = model.notifications;
  const base = req.baseRef !== undefined ? revisionModel(req.root, req.baseRef, req.config, req.concurrency) : undefined;
  const { findings, ok } = runRules(model, rules, req.config, now, notifications, base);
  const ruleMap = new Map(rules.map((r) => [r.meta.id, r.meta]));
  const reportOnly = req.reportOnly ? reportFilter(req.reportOnly) : undefined;
  const results = applyPolicy({ findings: findings.map(resolveFinding), rules: ruleMap, config, suppressions: model.suppressions, now, reportOnly });
  // Notifications quote file names from the repository: escaped like result messages (escape.ts).
  const shownNotifications = (reportOnly ? notifications.filter((n) => !n.file || reportOnly(n.file)) : notifications).map((n) => ({ ...n, message: escapeControl(n.message) }));
  return { results, notifications: shownNotifications, rules: rules.map((r) => r.meta), model, ...(base ? { base } : {}), executionSuccessful: ok };
}
