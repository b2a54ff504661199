// render/helm.ts: Helm charts rendered with `helm template`, each values
// variant on its own, and every rendered document mapped back to the
// template named in helm's `# Source:` comment (the line of the same key,
// or the `include` that brings a partial in, with the partial as related
// location). Only vendored dependencies (charts/) are used: nothing is ever
// fetched, no plugin or post-renderer runs.
import path from 'node:path';
import { isScalar } from 'yaml';
import type { Config, HelmChartConfig } from '../config-types.js';
import { isInside } from '../discover.js';
import type { Instance } from '../model.js';
import { parseText } from '../parse.js';
import type { Environment, Location } from '../types.js';
import { asMap, child, childPath, locationOf, type ParsedDoc, regionOf, seqItems, stringValue } from '../yaml.js';
import { runTool, type Tool } from './binaries.js';
import { lineLocation, type RenderContext, renderedFile, renderedInstance, repoText, repoYaml } from './context.js';
import { entriesOf, realpathOf } from './world.js';
import { type Define, nodePath, type NodePath, spanRegion, type Step, TemplateText, type TextSpan, valuesReferences, walkYaml } from './source-map.js';

export interface Chart {
  /** Root-relative folder ('' for the root). */
  dir: string;
  /** Root-relative Chart.yaml. */
  chartFile: string;
  name: string;
  pdoc?: ParsedDoc;
}

export interface HelmVariant {
  chart: Chart;
  releaseName: string;
  namespace: string;
  /** Root-relative values files given with -f, in order (the chart's values.yaml is always read by helm). */
  valuesFiles: string[];
  /** What the variant is called in results: the values file that makes it, or the chart's values.yaml. */
  via: string;
  /** Set by config helm.charts[].environment. */
  environment?: Environment;
  /** The `prod` of values-prod.yaml. */
  hint?: string;
  /** Whether the namespace comes from config (else the default namespace). */
  configured: boolean;
}

const VALUES_VARIANT = /^values[-.](.+)\.ya?ml$/;

function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

function join(dir: string, rel: string): string {
  return dir === '' ? rel : `${dir}/${rel}`;
}

/** Charts to render: folders with a Chart.yaml that are not a dependency vendored in another chart's charts/, nor library charts. */
export function findCharts(ctx: RenderContext): Chart[] {
  const chartDirs = new Set<string>();
  for (const f of ctx.files.keys()) if (path.posix.basename(f) === 'Chart.yaml') chartDirs.add(dirOf(f));
  const out: Chart[] = [];
  for (const dir of [...chartDirs].sort()) {
    const m = /^(.*?)\/?charts\/[^/]+$/.exec(dir);
    if (m && chartDirs.has(m[1])) continue; // a subchart: rendered with its parent
    const chartFile = join(dir, 'Chart.yaml');
    const pdoc = ctx.parsed.get(chartFile)?.docs[0];
    const root = pdoc ? asMap(pdoc.doc.contents, pdoc) : undefined;
    if (pdoc && stringValue(child(root, 'type', pdoc), pdoc) === 'library') continue; // not installable
    // Its own templates or those of a vendored subchart: either renders something.
    const hasTemplates = [...ctx.files.values()].some((f) => f.kind === 'helm-template' && (dir === '' || f.path.startsWith(`${dir}/`)));
    if (!hasTemplates) continue;
    const name = (pdoc && stringValue(child(root, 'name', pdoc), pdoc)) || path.posix.basename(dir || '.');
    out.push({ dir, chartFile, name, ...(pdoc ? { pdoc } : {}) });
  }
  return out;
}

/** A release name helm accepts (lowercase DNS label, at most 53 characters). */
export function releaseNameFor(name: string): string {
  const n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53)
    .replace(/-+$/, '');
  return n || 'release';
}

/** The variants of a chart: configured releases, else one per values-<env>.yaml beside it, else the chart's own values. */
export function chartVariants(ctx: RenderContext, chart: Chart, config: Config): HelmVariant[] {
  const configured = (config.helm?.charts ?? []).filter((c) => normalizeChartPath(c.path) === chart.dir);
  const base = { chart, releaseName: releaseNameFor(chart.name), namespace: config.defaultNamespace };
  if (configured.length > 0) return configured.map((c, i) => configuredVariant(chart, c, base.releaseName, config, i, configured.length));
  const variants: HelmVariant[] = [];
  for (const f of [...ctx.files.keys()].sort()) {
    if (dirOf(f) !== chart.dir) continue;
    const m = VALUES_VARIANT.exec(path.posix.basename(f));
    if (!m || ctx.files.get(f)?.kind !== 'yaml') continue;
    variants.push({ ...base, valuesFiles: [f], via: f, hint: m[1], configured: false });
  }
  if (variants.length > 0) return variants;
  const own = ['values.yaml', 'values.yml'].map((v) => join(chart.dir, v)).find((v) => ctx.files.has(v));
  return [{ ...base, valuesFiles: [], via: own ?? chart.chartFile, configured: false }];
}

function normalizeChartPath(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/$/, '');
  const dir = n.endsWith('/Chart.yaml') || n === 'Chart.yaml' ? path.posix.dirname(n) : n;
  return dir === '.' ? '' : dir;
}

function configuredVariant(chart: Chart, c: HelmChartConfig, defaultRelease: string, config: Config, i: number, count: number): HelmVariant {
  const valuesFiles = (c.valuesFiles ?? []).map((v) => path.posix.normalize(v.replace(/\\/g, '/')));
  const last = valuesFiles[valuesFiles.length - 1];
  const stem = last ? VALUES_VARIANT.exec(path.posix.basename(last))?.[1] : undefined;
  let via = valuesFiles.length > 0 ? valuesFiles.join('+') : join(chart.dir, 'values.yaml');
  // Two releases of one chart with the same values are still two deployments.
  if (count > 1 && (c.releaseName || c.namespace)) via += ` (${[c.releaseName, c.namespace].filter(Boolean).join(' in ')})`;
  else if (count > 1) via += ` (#${i + 1})`;
  const v: HelmVariant = { chart, releaseName: c.releaseName ?? defaultRelease, namespace: c.namespace ?? config.defaultNamespace, valuesFiles, via, configured: c.namespace !== undefined };
  if (c.environment) v.environment = c.environment;
  if (stem) v.hint = stem;
  return v;
}

/** Where a finding about the chart as a whole points: its `name` in Chart.yaml, else the first line. */
export function chartLocation(ctx: RenderContext, chart: Chart): Location {
  const pdoc = chart.pdoc;
  const name = pdoc ? child(asMap(pdoc.doc.contents, pdoc), 'name', pdoc) : undefined;
  return pdoc && name ? locationOf(pdoc, name) : lineLocation(ctx, chart.chartFile);
}

/** Refuses a chart whose files link out of the repository (helm would read them) or values files that are not in it. */
function preflight(ctx: RenderContext, variant: HelmVariant): string | undefined {
  for (const v of variant.valuesFiles) {
    const abs = path.resolve(ctx.dir, v);
    if (!isInside(ctx.dir, abs)) return `values file "${v}" is outside the repository`;
    try {
      if (!isInside(ctx.realDir, realpathOf(ctx.world, abs))) return `values file "${v}" links outside the repository`;
    } catch {
      return `values file "${v}" does not exist`;
    }
  }
  const stack = [path.join(ctx.dir, variant.chart.dir)];
  let seen = 0;
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const e of entriesOf(ctx.world, dir) ?? []) {
      if (++seen > 20_000) return 'the chart folder holds more than 20,000 files';
      const abs = path.join(dir, e.name);
      if (e.link) {
        let real: string;
        try {
          real = realpathOf(ctx.world, abs);
        } catch {
          continue;
        }
        if (!isInside(ctx.realDir, real)) return `${path.relative(ctx.dir, abs).split(path.sep).join('/')} links outside the repository`;
      } else if (e.dir && e.name !== '.git' && e.name !== 'node_modules') stack.push(abs);
    }
  }
  return undefined;
}

export type HelmOutcome = { ok: true; instances: Instance[] } | { ok: false; reason: string };

/** Renders one variant and turns its documents into placed instances located in the chart's templates. */
export function renderVariant(ctx: RenderContext, tool: Tool, variant: HelmVariant): HelmOutcome {
  const refused = preflight(ctx, variant);
  if (refused) return { ok: false, reason: `not rendered: ${refused}` };
  const args = ['template', variant.releaseName, path.join(ctx.dir, variant.chart.dir || '.'), '--namespace', variant.namespace, '--skip-tests'];
  for (const v of variant.valuesFiles) args.push('--values', path.join(ctx.dir, v));
  const run = runTool(tool, args, { cwd: ctx.scratch.dir, scratch: ctx.scratch, replace: ctx.replace });
  if (!run.ok) return { ok: false, reason: run.reason ?? 'helm failed' };
  const locator = new HelmLocator(ctx, variant);
  const instances: Instance[] = [];
  for (const chunk of splitHelmOutput(run.stdout)) {
    const source = locator.sourceOf(chunk.source);
    const file = renderedFile(ctx, source.path, chunk.text.length);
    const parsed = parseText(file, chunk.text, ctx.parseOptions);
    for (const pdoc of parsed.docs) {
      pdoc.origin = { tool: 'helm', source: source.path, via: variant.via, locate: (node, offsets) => locator.locate(pdoc, source, node, offsets) };
      const inst = renderedInstance(ctx, pdoc, {
        fallbackNamespace: variant.namespace,
        fallbackSource: 'helm',
        via: variant.via,
        paths: [source.path, variant.via.split('+').pop() ?? variant.via],
        ...(variant.hint !== undefined ? { hint: variant.hint } : {}),
        ...(variant.environment ? { environment: variant.environment } : {}),
      });
      if (inst) instances.push(inst);
    }
  }
  return { ok: true, instances };
}

/** helm's output as documents, each with the template its `# Source:` names; sorted so that the model never depends on helm's order. */
export function splitHelmOutput(out: string): Array<{ source: string | undefined; text: string }> {
  const chunks: Array<{ source: string | undefined; text: string }> = [];
  for (const part of out.split(/^---[ \t]*\r?$/m)) {
    if (part.trim() === '') continue;
    const m = /^# Source: (.+?)\s*$/m.exec(part);
    chunks.push({ source: m?.[1], text: part.replace(/^\r?\n/, '') });
  }
  return chunks.sort((a, b) => ((a.source ?? '') < (b.source ?? '') ? -1 : (a.source ?? '') > (b.source ?? '') ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

interface SourceRef {
  /** Root-relative template file, or Chart.yaml when the template is not a file of the repository (a packaged dependency). */
  path: string;
  /** Set when `path` is a real template. */
  template?: TemplateText;
  /** The dependency the document came from, for packaged ones. */
  dependency?: string;
}

/** Maps rendered nodes of one variant to its templates. */
class HelmLocator {
  private readonly templates = new Map<string, SourceRef>();
  private defineIndex?: Map<string, Define[]>;

  constructor(
    private readonly ctx: RenderContext,
    private readonly variant: HelmVariant,
  ) {}

  /** `# Source: shop/templates/deploy.yaml` → deploy/chart/templates/deploy.yaml (the chart's name is its folder here). */
  sourceOf(source: string | undefined): SourceRef {
    const key = source ?? '';
    const known = this.templates.get(key);
    if (known) return known;
    const chart = this.variant.chart;
    let ref: SourceRef = { path: chart.chartFile };
    if (source) {
      const rel = source.split('/').slice(1).join('/');
      const file = path.posix.normalize(join(chart.dir, rel));
      const text = !file.startsWith('../') ? repoText(this.ctx, file) : undefined;
      if (text !== undefined) ref = { path: file, template: new TemplateText(file, text) };
      else {
        const dep = /^charts\/([^/]+)\//.exec(rel)?.[1];
        if (dep) ref = { path: chart.chartFile, dependency: dep };
      }
    }
    this.templates.set(key, ref);
    return ref;
  }

  /** Named templates of the chart and its vendored subcharts, by name. */
  private defines(): Map<string, Define[]> {
    if (this.defineIndex) return this.defineIndex;
    const index = new Map<string, Define[]>();
    const prefix = this.variant.chart.dir === '' ? '' : `${this.variant.chart.dir}/`;
    for (const f of [...this.ctx.files.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (f.kind !== 'helm-template' || !f.path.startsWith(prefix)) continue;
      const text = repoText(this.ctx, f.path);
      if (text === undefined) continue;
      for (const d of new TemplateText(f.path, text).defines()) {
        const list = index.get(d.name) ?? [];
        list.push(d);
        index.set(d.name, list);
      }
    }
    this.defineIndex = index;
    return index;
  }

  private chartAnchor(dependency?: string): Location {
    const pdoc = this.variant.chart.pdoc;
    if (pdoc && dependency) {
      for (const dep of seqItems(child(asMap(pdoc.doc.contents, pdoc), 'dependencies', pdoc), pdoc)) {
        const name = child(dep, 'name', pdoc);
        if (stringValue(name, pdoc) === dependency || stringValue(child(dep, 'alias', pdoc), pdoc) === dependency) return locationOf(pdoc, name);
      }
    }
    return chartLocation(this.ctx, this.variant.chart);
  }

  locate(pdoc: ParsedDoc, source: SourceRef, node: unknown, offsets?: [number, number]): { location: Location; related?: Array<{ location: Location; label: string }> } {
    const tpl = source.template;
    if (!tpl) return { location: this.chartAnchor(source.dependency) };
    const np = nodePath(pdoc, node);
    if (!np) return { location: tpl.firstLine() };
    const root = asMap(pdoc.doc.contents, pdoc);
    const doc = tpl.docFor(stringValue(child(root, 'kind', pdoc), pdoc), stringValue(childPath(root, ['metadata', 'name'], pdoc), pdoc));
    const walked = tpl.walk(np.steps, doc);
    const wanted = isScalar(node) && !np.isKey ? scalarString(node) : undefined;
    if (walked.length === np.steps.length && walked.length > 0) {
      const line = walked[walked.length - 1].line;
      return this.at(tpl, line, np, pdoc, node, offsets);
    }
    const leaf = leafKey(np.steps);
    if (leaf !== undefined) {
      // The key is written once in the template, but not where the walk looked (an unusual layout).
      const lines = tpl.keyLines(leaf, doc[0], doc[1]);
      const pick = lines.find((l) => wanted !== undefined && unquote(tpl.valueText(l)) === wanted) ?? (lines.length === 1 ? lines[0] : undefined);
      if (pick !== undefined) return this.at(tpl, pick, np, pdoc, node, offsets);
      // The key is written in a partial that the template includes.
      const viaPartial = this.throughPartial(tpl, doc, walked, leaf, wanted);
      if (viaPartial) return viaPartial;
    }
    const deepest = walked[walked.length - 1];
    if (deepest) return { location: { file: tpl.file, region: spanRegion(tpl.span(deepest.line, 'key')) } };
    // The resource as a whole (or a node the walk cannot place): the first line of its document in the template.
    return { location: tpl.docStart(doc) };
  }

  /** The location on a matched line: the key, the value (or a part of it), or the list item. */
  private at(tpl: TemplateText, line: number, np: NodePath, pdoc: ParsedDoc, node: unknown, offsets?: [number, number]): { location: Location; related?: Array<{ location: Location; label: string }> } {
    const last = np.steps[np.steps.length - 1];
    let span: TextSpan;
    if (np.isKey) span = tpl.span(line, 'key');
    else if (isScalar(node)) span = this.valueSpan(tpl, line, pdoc, node, offsets);
    else span = last && 'index' in last ? tpl.span(line, 'item') : tpl.span(line, 'key');
    const related = this.valuesRelated(tpl, line);
    return { location: { file: tpl.file, region: spanRegion(span) }, ...(related.length ? { related } : {}) };
  }

  private valueSpan(tpl: TemplateText, line: number, pdoc: ParsedDoc, node: unknown, offsets?: [number, number]): TextSpan {
    const span = tpl.span(line, 'value');
    const range = (node as { range?: [number, number, number] | null }).range;
    const written = tpl.valueText(line);
    // A part of a literal value (one entry of a list written as a string): same text, same offsets inside it.
    if (offsets && range && written !== undefined && pdoc.text.slice(range[0], range[1]) === written) {
      const col = span.col + (offsets[0] - range[0]);
      return { line, col, end: col + (offsets[1] - offsets[0]) };
    }
    return span;
  }

  /** The values file that sets a value the template line reads (`.Values.x`), the variant's own files first. */
  private valuesRelated(tpl: TemplateText, line: number): Array<{ location: Location; label: string }> {
    const refs = valuesReferences(tpl.lines[line].text);
    if (refs.length === 0) return [];
    const files = [...this.variant.valuesFiles].reverse();
    for (const v of ['values.yaml', 'values.yml']) files.push(join(this.variant.chart.dir, v));
    for (const ref of refs) {
      for (const f of files) {
        const parsed = repoYaml(this.ctx, f);
        for (const vdoc of parsed?.docs ?? []) {
          const w = walkYaml(vdoc.doc.contents, ref.map((key) => ({ key })), vdoc);
          if (!w.exact) continue;
          return [{ location: { file: f, region: regionOf(vdoc, w.node) }, label: `.Values.${ref.join('.')} is set in ${f}` }];
        }
      }
    }
    return [];
  }

  /**
   * A key that the template does not write itself: find the named template
   * that writes it and the line of this template that includes it (directly
   * or through other named templates). The finding goes on that include
   * line; the partial's line is the related location.
   */
  private throughPartial(tpl: TemplateText, doc: [number, number], walked: Array<{ line: number }>, leaf: string, wanted: string | undefined): { location: Location; related: Array<{ location: Location; label: string }> } | undefined {
    const defines = this.defines();
    const writers: Array<{ define: Define; line: number }> = [];
    for (const list of defines.values()) {
      for (const d of list) {
        const lines = d.text.keyLines(leaf, d.from, d.to);
        const exact = lines.find((l) => wanted !== undefined && unquote(d.text.valueText(l)) === wanted);
        const line = exact ?? lines[0];
        if (line !== undefined) writers.push({ define: d, line });
      }
    }
    // Search the block the walk reached first, then the whole document.
    const deepest = walked[walked.length - 1]?.line;
    const ranges: Array<[number, number]> = deepest !== undefined ? [[deepest, doc[1]], doc] : [doc];
    for (const w of writers) {
      // Names that reach this define: itself, then the defines that include it, breadth first.
      const names = [w.define.name];
      for (let i = 0; i < names.length && names.length < 16; i++) {
        for (const list of defines.values()) for (const d of list) if (d.includes.has(names[i]) && !names.includes(d.name)) names.push(d.name);
      }
      for (const [from, to] of ranges) {
        for (const name of names) {
          const inc = tpl.includeLines(name, from, to)[0];
          if (!inc) continue;
          const partial: Location = { file: w.define.file, region: spanRegion(w.define.text.span(w.line, 'value')) };
          return { location: { file: tpl.file, region: spanRegion(inc) }, related: [{ location: partial, label: `written in named template "${w.define.name}" (${w.define.file})` }] };
        }
      }
    }
    return undefined;
  }
}

function leafKey(steps: readonly Step[]): string | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if ('key' in s) return s.key;
  }
  return undefined;
}

function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : (node.source ?? String(v));
}

function unquote(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}
