// run: the whole pipeline, discover → parse → extract → model → rules → policy.
// Formatting is the caller's business (src/report).
import path from 'node:path';
import { allRules } from '../rules/index.js';
import type { Finding, ReportInput, Rule, RuleContext, RuleMeta } from '../rules/types.js';
import type { LoadedConfig } from './config-types.js';
import type { LoadedConfigWithSource } from './config.js';
import { discover, type DiscoverResult, toPosix } from './discover.js';
import { escapeControl } from './escape.js';
import { discoverRevision } from './git.js';
import { assemble, extractFile, type FileExtract } from './extract/index.js';
import type { RepoIndex } from './extract/multi-app-run.js';
import { buildModel, type Model } from './model.js';
import { ParseCache, sha256 } from './cache.js';
import { contentsAgain, decode, type ParseOptions, type ParsedFile, parseFile, readSource } from './parse.js';
import { type Concurrency, parseFiles, type PoolResult } from './parse-pool.js';
import { applyPolicy, reportable, type ResolvedFinding, resolveFinding, ruleEntry, type Result } from './policy.js';
import { resultsFileOf, ResultStore, type SeenFile, seenFiles, seenNow, type StoredScan } from './result-cache.js';
import { toolRuns } from './render/binaries.js';
import { documentMayHoldPem } from './precheck.js';
import { filesOnDisk, render } from './render/index.js';
import { releaseDocument, releaseTrees, reparsedFiles } from './release.js';
import type { Resource } from './resources.js';
import { findSuppressions, type SuppressionComment } from './suppressions.js';
import { observableDigest } from './observe.js';
import { sameWorld, WorldLog } from './render/world.js';
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

/** What a scan gives the reports. */
export interface ScanOutcome {
  results: Result[];
  notifications: Notification[];
  rules: RuleMeta[];
  filesScanned: number;
  /** The model; absent when the result cache answered (scanOrReuse). */
  model?: Model;
  /** The model of the `--base` revision, when one was asked for. */
  base?: Model;
  /** False when a rule failed: results may be incomplete. */
  executionSuccessful: boolean;
}

export interface ScanResult extends ScanOutcome {
  model: Model;
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
function parseAll(files: SourceFile[], notifications: Notification[], opts: ParseOptions, concurrency: Concurrency, cache: ParseCache | undefined, onParsed: (i: number, parsed: ParsedFile, hash: string | undefined) => void): ParsedFile[] {
  const outcomes: Array<PoolResult | undefined> = new Array<PoolResult | undefined>(files.length);
  const toEncode: number[] = [];
  const accept = (i: number, outcome: PoolResult, fresh: boolean): void => {
    outcomes[i] = outcome;
    if ('error' in outcome) return;
    // A worker's entry in the common shapes goes in as it is; anything else is encoded below.
    if (cache && fresh && outcome.hash !== undefined && (outcome.entry === undefined || !cache.setEncoded(outcome.parsed.file, outcome.hash, outcome.entry))) toEncode.push(i);
    else onParsed(i, outcome.parsed, outcome.hash);
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
    onParsed(i, outcome.parsed, outcome.hash);
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
    const hash = ParseCache.hash(buf);
    const parsed = cache.get(file, hash, () => decode(buf).text);
    return parsed ? { parsed, hash } : undefined;
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

/** What the rules found; `clockRead` when a rule read the scan's clock (its results may change with time alone). */
export interface RulesOutcome {
  findings: Finding[];
  ok: boolean;
  clockRead: boolean;
}

export function runRules(model: Model, rules: readonly Rule[], loaded: LoadedConfigWithSource, now: Date, notifications: Notification[], base?: Model): RulesOutcome {
  const findings: Finding[] = [];
  const knownRules = new Set(rules.flatMap((r) => [r.meta.id, r.meta.name]));
  let ok = true;
  let clockRead = false;
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
      const ctx: RuleContext = {
        model,
        config: loaded.config,
        options: optionsFor(rule.meta, loaded),
        // Read through a getter: results that depend on the clock hold only at that instant (result-cache.ts).
        get now() {
          clockRead = true;
          return now;
        },
        knownRules,
        locateConfig: loaded.locate,
        report,
        ...(base ? { base } : {}),
      };
      rule.check(ctx);
    } catch (e) {
      ok = false;
      const err = e as Error;
      notifications.push({ id: 'rule-failed', level: 'error', message: `Rule ${rule.meta.id} (${rule.meta.name}) failed: ${err.message}. Its results are incomplete; please report this.` });
    }
  }
  return { findings, ok, clockRead };
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
  /** Gets what later stages can see of each file (observe.ts), for the result cache. */
  observe?: (file: SourceFile, hash: string, digest: string) => void;
  /** Logs what rendering reads besides the parsed files (render/world.ts). */
  world?: WorldLog;
}

/** How a scan parses files, and whether it lets go of trees: modelOf and the result cache must agree. */
function parseSetup(config: LoadedConfig['config'], parsing: Parsing): { parseOptions: ParseOptions; release: boolean } {
  // Custom rules may read any document, so they turn the pre-check off.
  const precheck = config.precheck !== false && !(config.customRules && config.customRules.length > 0);
  const parseOptions: ParseOptions = { maxDocuments: config.maxDocumentsPerFile, maxAliasCount: config.maxAliasCount, maxDepth: config.maxDepth, precheck };
  // Custom rules may read any part of any document: they keep every tree.
  return { parseOptions, release: precheck && parsing.release !== false };
}

/** A parsed file extracted, its trees let go (when `release`), and its suppression comments; observed when asked. */
function extractOne(file: ParsedFile, hash: string | undefined, repo: RepoIndex, setup: ReturnType<typeof parseSetup>, parsing: Parsing): { x: FileExtract; suppressions: SuppressionComment[] } {
  const x = extractFile(file, repo);
  if (setup.release) releaseTrees(x.resources, setup.parseOptions, parsing.keepTree);
  const suppressions = findSuppressions(file);
  if (parsing.observe && hash !== undefined) parsing.observe(file.file, hash, observableDigest(file, x, suppressions, hash));
  return { x, suppressions };
}

/** discover's output → the model: parse, find suppressions, extract, render (helm, kustomize), join. */
export function modelOf(discovered: DiscoverResult, root: string, loaded: LoadedConfigWithSource, filesDir: string = root, parsing: Parsing = {}): Model {
  const notifications = [...discovered.notifications];
  const { config } = loaded;
  const setup = parseSetup(config, parsing);
  const { parseOptions, release } = setup;
  const repo = repoIndex(discovered.files);
  // Each file is extracted as soon as it is parsed, and lets go of the trees no later stage reads, so that the
  // trees of the whole repository are never all in memory at once.
  const extracts: Array<FileExtract | undefined> = new Array<FileExtract | undefined>(discovered.files.length);
  const suppressions: SuppressionComment[][] = [];
  const parsed = parseAll(discovered.files, notifications, parseOptions, parsing.concurrency ?? 'auto', parsing.cache, (i, file, hash) => {
    const one = extractOne(file, hash, repo, setup, parsing);
    extracts[i] = one.x;
    suppressions[i] = one.suppressions;
  });
  const extracted = assemble(extracts.filter((x): x is FileExtract => x !== undefined));
  // Charts and kustomizations as the cluster gets them; chart templates read statically when a chart could not be rendered.
  const rendered = render({ dir: filesDir, files: discovered.files, parsed, kustomizations: extracted.kustomizations, config, parseOptions, ...(parsing.world ? { world: parsing.world } : {}) });
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
    suppressions: suppressions.flat(),
    notifications,
    rendered,
  });
}

/** The model of another revision (`--base`), read from git objects with the same configuration. */
export function revisionModel(root: string, ref: string, loaded: LoadedConfigWithSource, concurrency: Concurrency = 'auto'): Model {
  const { config } = loaded;
  const discovered = discoverRevision({ root, ref, include: config.include, exclude: config.exclude, maxFileSize: config.maxFileSize, maxTotalBytes: config.maxTotalBytes });
  // helm and kustomize read files from disk: the revision's files are written to a temporary folder for them.
  return filesOnDisk(discovered.files, config, (dir) => modelOf(discovered, root, loaded, dir ?? root, { concurrency }));
}

function discoverFor(req: ScanRequest): DiscoverResult {
  const { config } = req.config;
  return discover({ root: req.root, dirs: req.dirs, include: config.include, exclude: config.exclude, maxFileSize: config.maxFileSize, maxTotalBytes: config.maxTotalBytes });
}

function keepTreeOf(rules: readonly Rule[]): (resource: Resource) => boolean {
  const keepers = rules.filter((r) => r.keepsTree !== undefined);
  return (resource) => keepers.some((r) => r.keepsTree?.(resource) === true);
}

/** What parsing depends on besides the bytes: the whole configuration, so a changed config is a cold scan. */
function settingsOf(req: ScanRequest): string {
  return JSON.stringify(req.config.config);
}

function parseCacheOf(req: ScanRequest): ParseCache | undefined {
  return req.cache !== undefined ? new ParseCache(req.cache, settingsOf(req)) : undefined;
}

/** Whether a scan's results may be kept for reuse: not with rules of the config's own, nor against another revision. */
function keepsResults(req: ScanRequest, rules: readonly Rule[]): boolean {
  // A config from a file without its text could not tell whether findings about it moved.
  const configKnown = req.config.file === undefined || req.config.text !== undefined;
  return req.cache !== undefined && req.baseRef === undefined && configKnown && rules.every((r) => !r.meta.custom);
}

/** Everything besides the files, the program and the configuration that a scan's results depend on. */
function scopeOf(req: ScanRequest, rules: readonly Rule[], discovered: DiscoverResult): string {
  const configText = req.config.text !== undefined ? sha256(req.config.text) : null;
  // The config file's place and text: findings about the config point into it (locateConfig).
  return JSON.stringify({ root: req.root, dirs: req.dirs ?? null, rules: rules.map((r) => r.meta.id), discovery: discovered.notifications, configFile: req.config.file ?? null, configText });
}

/**
 * Every finding resolved (policy.ts), its fix computed now. A fix that throws
 * is a bug of its rule: the finding stays, without the fix, and the scan says
 * that a rule failed.
 */
function resolveAll(findings: readonly Finding[], rules: readonly Rule[], notifications: Notification[], ok: boolean): { resolved: ResolvedFinding[]; ok: boolean } {
  const resolved: ResolvedFinding[] = [];
  for (const f of findings) {
    try {
      resolved.push(resolveFinding(f));
    } catch (e) {
      ok = false;
      const meta = rules.find((r) => r.meta.id === f.ruleId)?.meta;
      notifications.push({ id: 'rule-failed', level: 'error', message: `Rule ${f.ruleId} (${meta?.name ?? 'unknown'}) failed while computing a fix: ${(e as Error).message}. The finding is reported without it; please report this.` });
      resolved.push(resolveFinding({ ...f, fix: undefined }));
    }
  }
  return { resolved, ok };
}

/** Findings → what the reports get: the policy, the files to report, notifications escaped. */
function finish(req: ScanRequest, rules: readonly Rule[], now: Date, found: { findings: ResolvedFinding[]; suppressions: SuppressionComment[]; notifications: Notification[] }): Pick<ScanOutcome, 'results' | 'notifications' | 'rules'> {
  const ruleMap = new Map(rules.map((r) => [r.meta.id, r.meta]));
  const reportOnly = req.reportOnly ? reportFilter(req.reportOnly) : undefined;
  const results = applyPolicy({ findings: found.findings, rules: ruleMap, config: req.config.config, suppressions: found.suppressions, now, reportOnly });
  // Notifications quote file names from the repository: escaped like result messages (escape.ts).
  const shown = (reportOnly ? found.notifications.filter((n) => !n.file || reportOnly(n.file)) : found.notifications).map((n) => ({ ...n, message: escapeControl(n.message) }));
  return { results, notifications: shown, rules: rules.map((r) => r.meta) };
}

export function scan(req: ScanRequest): ScanResult {
  return fullScan(req, discoverFor(req));
}

function fullScan(req: ScanRequest, discovered: DiscoverResult): ScanResult {
  const rules = req.rules ?? allRules;
  const now = req.now ?? new Date();
  const cache = parseCacheOf(req);
  const keeping = cache !== undefined && keepsResults(req, rules);
  const seen = new Map<string, SeenFile>();
  const world = new WorldLog();
  const runsBefore = toolRuns.count;
  reparsedFiles.clear();
  const observing: Parsing = keeping ? { observe: (file, hash, digest) => seen.set(file.path, [file.path, file.kind, hash, digest]), world } : {};
  const model = modelOf(discovered, req.root, req.config, req.root, { keepTree: keepTreeOf(rules), ...observing, ...(cache ? { cache } : {}), ...(req.concurrency !== undefined ? { concurrency: req.concurrency } : {}) });
  cache?.save();
  const notifications = model.notifications;
  const base = req.baseRef !== undefined ? revisionModel(req.root, req.baseRef, req.config, req.concurrency) : undefined;
  const outcome = runRules(model, rules, req.config, now, notifications, base);
  const { clockRead } = outcome;
  // Findings a level turns off are dropped before their places and fixes are worked out: a workload without API
  // logging is one in every non-production environment, and its fix would parse its document again.
  const reported = reportable(outcome.findings, new Map(rules.map((r) => [r.meta.id, r.meta])), req.config.config);
  const { resolved, ok } = resolveAll(reported, rules, notifications, outcome.ok);
  if (cache && keeping && toolRuns.count === runsBefore) {
    const files = seenFiles(discovered.files, seen, reparsedFiles);
    const stored: StoredScan | undefined = files && { scope: scopeOf(req, rules, discovered), files, world: world.reads, worldFiles: [...world.files].sort(), ...(clockRead ? { clock: now.toISOString() } : {}), findings: resolved, suppressions: model.suppressions, notifications, ok };
    if (stored) new ResultStore(resultsFileOf(cache.file), cache.key).save(stored);
  }
  const shown = finish(req, rules, now, { findings: resolved, suppressions: model.suppressions, notifications });
  return { ...shown, filesScanned: model.files.length, model, ...(base ? { base } : {}), executionSuccessful: ok };
}

/** Scans the result cache answered (tests count them). */
export const resultCacheStats = { reused: 0 };

/**
 * The stored results, when the result cache (result-cache.ts) holds a scan
 * whose every input is the same as far as the rules can tell: same scope and
 * clock, same files, each changed file seen the same (observe.ts), and every
 * read rendering made of the disk answered the same. Else undefined.
 */
function reusedScan(req: ScanRequest, rules: readonly Rule[], now: Date, discovered: DiscoverResult, cacheFile: string): ScanOutcome | undefined {
  const store = new ResultStore(resultsFileOf(cacheFile), ParseCache.keyFor(settingsOf(req)));
  const stored = store.load();
  if (!stored || stored.scope !== scopeOf(req, rules, discovered) || (stored.clock !== undefined && stored.clock !== now.toISOString())) return undefined;
  const files = seenNow(stored, discovered.files, seeAgain(req, rules, discovered));
  if (!files || !sameWorld(stored.world)) return undefined;
  // The changed files' new hashes, so that the next scan does not parse them again.
  if (files.some((f, i) => f[2] !== stored.files[i][2])) store.save({ ...stored, files });
  const shown = finish(req, rules, now, stored);
  resultCacheStats.reused++;
  return { ...shown, filesScanned: discovered.files.length, executionSuccessful: stored.ok };
}

/** What a scan now sees of a changed file: parsed, extracted and let go of as a full scan would (observe.ts). */
function seeAgain(req: ScanRequest, rules: readonly Rule[], discovered: DiscoverResult): (file: SourceFile, buf: Buffer, hash: string) => string | undefined {
  const setup = parseSetup(req.config.config, {});
  const repo = repoIndex(discovered.files);
  const keepTree = keepTreeOf(rules);
  return (file, buf, hash) => {
    let seen: string | undefined;
    extractOne(parseFile(file, setup.parseOptions, buf), hash, repo, setup, { keepTree, observe: (_f, _h, digest) => (seen = digest) });
    return seen;
  };
}

/**
 * A scan, answered from the result cache when it can be (`--cache`), else
 * run in full (and its results kept). The model is there only after a full
 * scan: callers that read it use scan().
 */
export function scanOrReuse(req: ScanRequest): ScanOutcome {
  const rules = req.rules ?? allRules;
  const discovered = discoverFor(req);
  if (req.cache !== undefined && keepsResults(req, rules)) {
    const reused = reusedScan(req, rules, req.now ?? new Date(), discovered, req.cache);
    if (reused) return reused;
  }
  return fullScan(req, discovered);
}
