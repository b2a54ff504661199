// render: Helm charts and kustomizations as the cluster would get them.
// Runs after parse and extract, before the model is built: every chart
// variant (helm template) and kustomization entry point (kustomize build)
// becomes placed instances whose documents map back to the repository's
// files. What cannot be rendered is never skipped silently: the scan falls
// back to its static reading (static namespace inheritance for kustomize,
// chart templates read as text with `{{ }}` as unknown values) and DAPR007
// says why. Config `render`: "auto" (default), "required" (DAPR007 is an
// error), "off" (static only, on purpose: no DAPR007).
import fs from 'node:fs';
import path from 'node:path';
import type { Config, RenderMode } from '../config-types.js';
import { EnvironmentClassifier } from '../environment.js';
import type { Instance } from '../model.js';
import type { ParseOptions, ParsedFile } from '../parse.js';
import type { Kustomization, Resource } from '../resources.js';
import { isInside } from '../discover.js';
import type { SourceFile } from '../types.js';
import { asMap, locationOf } from '../yaml.js';
import { Scratch } from './binaries.js';
import { binaryOf, realpathOf, WorldLog } from './world.js';
import { type RenderContext, type RenderFailure, type RenderRecord, safely } from './context.js';
import { type Chart, chartLocation, chartVariants, findCharts, renderVariant } from './helm.js';
import { buildEntries, kustomizeEntries } from './kustomize.js';
import { staticTemplateResources } from './template-static.js';

export type { RenderFailure, RenderRecord } from './context.js';

export interface RenderInput {
  /** Absolute folder that holds the files (the scan root, or a temporary copy of a revision). */
  dir: string;
  files: SourceFile[];
  parsed: ParsedFile[];
  kustomizations: Kustomization[];
  config: Config;
  parseOptions: ParseOptions;
  /** Logs what rendering reads besides the parsed files (world.ts). */
  world?: WorldLog;
}

export interface RenderOutput {
  /** Rendered resources, placed (namespace, environment, via). */
  instances: Instance[];
  /** Kustomize entry points (their `via`) whose rendered resources replace the static placements. */
  replaces: Set<string>;
  /** Resources read statically from the templates of charts that were not rendered. */
  staticResources: Resource[];
  failures: RenderFailure[];
  rendered: RenderRecord[];
}

export function renderMode(config: Config): RenderMode {
  return config.render ?? 'auto';
}

export function render(input: RenderInput): RenderOutput {
  const out: RenderOutput = { instances: [], replaces: new Set(), staticResources: [], failures: [], rendered: [] };
  const mode = renderMode(input.config);
  const world = input.world ?? new WorldLog();
  const templates = input.parsed.filter((p) => p.file.kind === 'helm-template');
  for (const t of templates) world.files.add(t.file.path);
  const hasKustomize = input.kustomizations.length > 0;
  if (mode === 'off' || (templates.length === 0 && !hasKustomize)) {
    out.staticResources = staticTemplateResources(templates, input.parseOptions);
    return out;
  }
  const scratch = new Scratch();
  try {
    let realDir: string;
    try {
      realDir = realpathOf(world, input.dir);
    } catch {
      realDir = input.dir;
    }
    const ctx: RenderContext = {
      dir: input.dir,
      realDir,
      config: input.config,
      classifier: new EnvironmentClassifier(input.config),
      scratch,
      files: new Map(input.files.map((f) => [f.path, f])),
      parsed: new ReadLoggingMap(input.parsed.map((p) => [p.file.path, p]), world.files),
      parseOptions: input.parseOptions,
      // Longest first: the scratch folder may sit inside a folder that is also replaced.
      replace: [
        [`${scratch.dir}${path.sep}`, ''],
        [scratch.dir, '.'],
        [`${realDir}${path.sep}`, ''],
        [`${input.dir}${path.sep}`, ''],
        [realDir, '.'],
        [input.dir, '.'],
      ],
      world,
    };
    const renderedCharts = renderCharts(ctx, out);
    const unrendered = templates.filter((t) => !renderedCharts.has(chartOf(t.file.path, ctx)));
    out.staticResources = staticTemplateResources(unrendered, input.parseOptions);
    renderKustomizations(ctx, input.kustomizations, out);
  } finally {
    scratch.dispose();
  }
  return out;
}

/** The parsed files by path, logging each path asked for (world.ts): a renderer may read any of them. */
class ReadLoggingMap extends Map<string, ParsedFile> {
  constructor(
    entries: Iterable<[string, ParsedFile]>,
    private readonly read: Set<string>,
  ) {
    super(entries);
  }

  override get(key: string): ParsedFile | undefined {
    this.read.add(key);
    return super.get(key);
  }
}

/** The top-level chart folder a template belongs to (a vendored subchart's templates belong to its parent). */
function chartOf(template: string, ctx: RenderContext): string {
  const segs = template.split('/');
  let dir = '';
  for (let i = segs.length - 2; i >= 0; i--) {
    if (segs[i] !== 'templates') continue;
    const candidate = segs.slice(0, i).join('/');
    if (ctx.files.has(candidate === '' ? 'Chart.yaml' : `${candidate}/Chart.yaml`)) {
      dir = candidate;
      break;
    }
  }
  for (;;) {
    const m = /^(.*?)\/?charts\/[^/]+$/.exec(dir);
    if (!m || !ctx.files.has(m[1] === '' ? 'Chart.yaml' : `${m[1]}/Chart.yaml`)) return dir;
    dir = m[1];
  }
}

function subjectOfChart(chart: Chart): string {
  return `Helm chart "${chart.name}" (${chart.dir || '.'})`;
}

/** Renders every variant of every chart; returns the folders of charts with at least one variant rendered. */
function renderCharts(ctx: RenderContext, out: RenderOutput): Set<string> {
  const done = new Set<string>();
  const charts = findCharts(ctx);
  if (charts.length === 0) return done;
  const found = binaryOf(ctx.world, ctx.config.helm?.binary, ['helm'], 'helm', ctx.dir);
  for (const chart of charts) {
    let anyOk = false;
    const fails: Array<{ via: string; reason: string; namespace: string; hint?: string; environment?: RenderFailure['environment'] }> = [];
    for (const variant of chartVariants(ctx, chart, ctx.config)) {
      const outcome = found.ok ? safely(() => renderVariant(ctx, found.tool, variant)) : { ok: false as const, reason: found.reason };
      if (outcome.ok) {
        anyOk = true;
        out.instances.push(...outcome.instances);
        out.rendered.push({ tool: 'helm', file: chart.chartFile, via: variant.via, resources: outcome.instances.length });
      } else {
        fails.push({ via: variant.via, reason: outcome.reason, namespace: variant.namespace, ...(variant.hint !== undefined ? { hint: variant.hint } : {}), ...(variant.environment ? { environment: variant.environment } : {}) });
      }
    }
    if (anyOk) done.add(chart.dir);
    for (const f of fails) {
      out.failures.push({
        tool: 'helm',
        file: chart.chartFile,
        subject: subjectOfChart(chart),
        via: f.via,
        reason: f.reason,
        fallback: anyOk
          ? 'Its other values variants were rendered; this one is not checked.'
          : 'Its templates were read as text instead, with every {{ }} expression an unknown value: findings that depend on values, partials or the release namespace may be missing or misplaced.',
        at: chartLocation(ctx, chart),
        related: [],
        namespace: f.namespace,
        environment: f.environment ?? ctx.classifier.classify({ namespace: f.namespace, kubernetesNamespace: true, paths: [chart.chartFile, f.via], ...(f.hint !== undefined ? { hint: f.hint } : {}) }),
      });
    }
  }
  return done;
}

function renderKustomizations(ctx: RenderContext, kustomizations: Kustomization[], out: RenderOutput): void {
  const entries = kustomizeEntries(kustomizations);
  if (entries.length === 0) return;
  const found = binaryOf(ctx.world, ctx.config.kustomize?.binary, ['kustomize', 'kubectl'], 'kustomize', ctx.dir);
  const outcomes = found.ok ? buildEntries(ctx, found.tool, entries) : entries.map(() => ({ ok: false as const, reason: found.reason }));
  for (const [i, entry] of entries.entries()) {
    const outcome = outcomes[i];
    if (outcome.ok) {
      out.instances.push(...outcome.instances);
      out.replaces.add(entry.via);
      out.rendered.push({ tool: 'kustomize', file: entry.file, via: entry.via, resources: outcome.instances.length });
      continue;
    }
    const first = asMap(entry.k.pdoc.doc.contents, entry.k.pdoc)?.items[0];
    const own = locationOf(entry.k.pdoc, first ? first.key : entry.k.pdoc.doc.contents);
    const at = 'at' in outcome && outcome.at ? outcome.at : own;
    const namespace = entry.k.namespace?.value ?? ctx.config.defaultNamespace;
    out.failures.push({
      tool: 'kustomize',
      file: entry.file,
      subject: `kustomization ${entry.k.dir || '.'}`,
      via: entry.via,
      reason: outcome.reason,
      fallback: 'Its resources were placed statically instead (namespace from the outermost kustomization that sets one; patches, name prefixes and other transformers not applied): findings may be missing or misplaced.',
      at,
      related: at.file !== own.file ? [{ at: own, label: `the entry point ${entry.file}` }] : [],
      namespace,
      environment: ctx.classifier.classify({ namespace, kubernetesNamespace: entry.k.namespace !== undefined, paths: [entry.file] }),
    });
  }
}

/**
 * Runs `fn` with the files written to a temporary folder when something in
 * them can be rendered (a revision read from git objects has no folder of
 * its own); else with undefined, and nothing is written. The folder is
 * removed afterwards; its path never reaches a result (every location is
 * root-relative).
 */
export function filesOnDisk<T>(files: SourceFile[], config: Config, fn: (dir: string | undefined) => T): T {
  const renderable = files.some((f) => path.posix.basename(f.path) === 'Chart.yaml' || /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f.path));
  if (renderMode(config) === 'off' || !renderable) return fn(undefined);
  const scratch = new Scratch();
  try {
    const dir = scratch.folder('revision');
    for (const f of files) {
      if (!f.content) continue;
      const abs = path.resolve(dir, f.path);
      if (!isInside(dir, abs)) continue;
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, f.content);
    }
    return fn(dir);
  } finally {
    scratch.dispose();
  }
}
