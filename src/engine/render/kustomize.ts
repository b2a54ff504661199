// render/kustomize.ts: kustomization entry points built with `kustomize
// build` or `kubectl kustomize`, and every rendered resource mapped back to
// the base resource it came from. The build runs on a wrapper kustomization
// in a scratch folder (`resources: [repo/<entry>]` with `repo` a link to the
// repository, and `buildMetadata: [originAnnotations]`), so kustomize itself
// says which file each resource came from; the resource is then matched in
// that file by kind and name, and each node by walking the same YAML path in
// the original document, or in the patches that set it.
// Before anything runs, every path the kustomizations name is checked: a
// remote base, a path out of the repository or a link out of it is refused
// (DAPR007 says so), and helmCharts is never enabled.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parse as parseYamlValue } from 'yaml';
import { isInside } from '../discover.js';
import { isKustomizationFile, isRemote } from '../extract/kustomize.js';
import type { Instance } from '../model.js';
import { parseText } from '../parse.js';
import type { Kustomization, ResourceBase } from '../resources.js';
import type { Location, SourceFile } from '../types.js';
import { resourceBase } from '../extract/kubernetes.js';
import { readingReleased } from '../release.js';
import { asMap, child, childPath, isStringScalar, locationOf, mapEntries, type ParsedDoc, regionOf, regionOfOffsets, seqItems, stringValue, type YNode } from '../yaml.js';
import { type RunOutcome, runToolMany, type Tool } from './binaries.js';
import { type RenderContext, renderedFile, renderedInstance, repoYaml, safely } from './context.js';
import { realpathOf, statOf } from './world.js';
import { nodePath, sameScalar, type Step, walkYaml, type YamlWalk } from './source-map.js';

export interface KustomizeEntry {
  k: Kustomization;
  /** Root-relative kustomization file. */
  file: string;
  /** How the model names the entry point (instances' `via`). */
  via: string;
}

/** The `via` of an entry point, as the static model writes it. */
export function entryVia(dir: string): string {
  return dir === '' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`;
}

/** Kustomizations that no other kustomization includes: the ones that get applied. */
export function kustomizeEntries(kustomizations: Kustomization[]): KustomizeEntry[] {
  const byDir = new Set(kustomizations.map((k) => k.dir));
  const included = new Set<string>();
  for (const k of kustomizations) for (const r of k.resources) if (byDir.has(r.value)) included.add(r.value);
  // A kustomize Component (kind: Component) is only ever pulled in by `components:`; built alone it fails.
  const isComponent = (k: Kustomization): boolean => stringValue(child(k.pdoc.doc.contents, 'kind', k.pdoc), k.pdoc) === 'Component';
  return kustomizations
    .filter((k) => !included.has(k.dir) && !isComponent(k))
    .map((k) => ({ k, file: k.pdoc.file.path, via: entryVia(k.dir) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

interface PatchRef {
  file: string;
  target?: { kind?: string; name?: string };
}

export interface Refusal {
  reason: string;
  at?: Location;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Bound on kustomizations followed from one entry point. */
const MAX_KUSTOMIZATIONS = 200;

function kustomizationIn(ctx: RenderContext, dir: string): ParsedDoc | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const parsed = repoYaml(ctx, dir === '' ? name : `${dir}/${name}`);
    const pdoc = parsed?.docs[0];
    if (pdoc) return pdoc;
  }
  return undefined;
}

/**
 * Every path the kustomizations of an entry point name, checked before
 * kustomize runs; the patch files, for locating what they set.
 */
export function preflight(ctx: RenderContext, entryDir: string): { refusal?: Refusal; patches: PatchRef[] } {
  const patches: PatchRef[] = [];
  const visited = new Set<string>();
  const queue = [entryDir];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    if (visited.has(dir)) continue;
    visited.add(dir);
    if (visited.size > MAX_KUSTOMIZATIONS) return { refusal: { reason: `more than ${MAX_KUSTOMIZATIONS} kustomizations are reachable from it` }, patches };
    const pdoc = kustomizationIn(ctx, dir);
    if (!pdoc) continue; // kustomize reports a missing kustomization itself
    const root = asMap(pdoc.doc.contents, pdoc);
    for (const key of ['helmCharts', 'helmGlobals']) {
      const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair) return { refusal: { reason: `it uses ${key}, which needs kustomize --enable-helm; dapr-policy renders charts with helm itself and never lets kustomize run it`, at: locationOf(pdoc, pair.key) }, patches };
    }
    const refs: Array<{ value: string; node: YNode; resource: boolean; patch?: PatchRef['target'] | null }> = [];
    const strings = (node: YNode, resource: boolean): void => {
      for (const item of seqItems(node, pdoc)) {
        const v = stringValue(item, pdoc);
        if (v !== undefined) refs.push({ value: v, node: item, resource });
      }
    };
    for (const key of ['resources', 'bases', 'components']) strings(child(root, key, pdoc), true);
    for (const key of ['crds', 'configurations', 'generators', 'transformers', 'validators']) strings(child(root, key, pdoc), false);
    for (const item of seqItems(child(root, 'patchesStrategicMerge', pdoc), pdoc)) {
      const v = stringValue(item, pdoc);
      // An inline patch is YAML text, not a path.
      if (v !== undefined && !v.includes('\n') && !/:\s/.test(v)) refs.push({ value: v, node: item, resource: false, patch: null });
    }
    for (const key of ['patches', 'patchesJson6902']) {
      for (const item of seqItems(child(root, key, pdoc), pdoc)) {
        const pathNode = asMap(item, pdoc) ? child(item, 'path', pdoc) : item;
        const v = stringValue(pathNode, pdoc);
        if (v === undefined || v.includes('\n')) continue;
        const t = child(item, 'target', pdoc);
        const target = t ? { kind: stringValue(child(t, 'kind', pdoc), pdoc), name: stringValue(child(t, 'name', pdoc), pdoc) } : null;
        refs.push({ value: v, node: pathNode, resource: false, patch: target });
      }
    }
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      for (const gen of seqItems(child(root, key, pdoc), pdoc)) {
        for (const f of seqItems(child(gen, 'files', pdoc), pdoc)) {
          const v = stringValue(f, pdoc);
          if (v !== undefined) refs.push({ value: v.includes('=') ? v.slice(v.indexOf('=') + 1) : v, node: f, resource: false });
        }
        strings(child(gen, 'envs', pdoc), false);
        const env = child(gen, 'env', pdoc);
        const ev = stringValue(env, pdoc);
        if (ev !== undefined) refs.push({ value: ev, node: env, resource: false });
      }
    }
    for (const r of seqItems(child(root, 'replacements', pdoc), pdoc)) {
      const p = child(r, 'path', pdoc);
      const v = stringValue(p, pdoc);
      if (v !== undefined) refs.push({ value: v, node: p, resource: false });
    }
    const openapi = childPath(root, ['openapi', 'path'], pdoc);
    const ov = stringValue(openapi, pdoc);
    if (ov !== undefined) refs.push({ value: ov, node: openapi, resource: false });

    for (const ref of refs) {
      const at = locationOf(pdoc, ref.node);
      if (isRemote(ref.value)) return { refusal: { reason: `it includes the remote base "${ref.value}" (${at.file}:${at.region.startLine}), and dapr-policy never fetches anything`, at }, patches };
      const abs = path.resolve(ctx.dir, dir || '.', ref.value);
      if (!isInside(ctx.dir, abs)) return { refusal: { reason: `"${ref.value}" (${at.file}:${at.region.startLine}) is outside the repository`, at }, patches };
      let real: string;
      try {
        real = realpathOf(ctx.world, abs);
      } catch {
        continue; // missing: kustomize says so in its error
      }
      if (!isInside(ctx.realDir, real)) return { refusal: { reason: `"${ref.value}" (${at.file}:${at.region.startLine}) links outside the repository`, at }, patches };
      const rel = path.relative(ctx.dir, abs).split(path.sep).join('/');
      const stat = ref.resource ? statOf(ctx.world, real) : undefined;
      if (stat && !stat.file && stat.dir) queue.push(rel);
      if (ref.patch !== undefined) patches.push({ file: rel, ...(ref.patch ? { target: ref.patch } : {}) });
    }
  }
  return { patches };
}

export type KustomizeOutcome = { ok: true; instances: Instance[] } | { ok: false; reason: string; at?: Location };

interface Prepared {
  entry: KustomizeEntry;
  patches: PatchRef[];
  /** The wrapper kustomization: its `repo` link to the repository is removed once kustomize ran. */
  wrap: string;
  args: string[];
}

/**
 * Builds entry points, several kustomize processes at a time (runToolMany),
 * each in its own wrapper folder, and turns their resources into placed
 * instances located in their base files; outcomes in the entries' order.
 */
export function buildEntries(ctx: RenderContext, tool: Tool, entries: readonly KustomizeEntry[]): KustomizeOutcome[] {
  const outcomes = entries.map((entry) => safely<KustomizeOutcome | Prepared>(() => prepare(ctx, tool, entry)));
  const prepared = outcomes.filter((o): o is Prepared => 'wrap' in o);
  // ctx.replace takes the scratch folder out of messages; the wrappers' own prefixes go in finish.
  const runs = runToolMany(
    tool,
    prepared.map((p) => ({ args: p.args, cwd: ctx.scratch.dir })),
    { scratch: ctx.scratch, replace: ctx.replace },
  );
  for (const p of prepared) fs.unlinkSync(path.join(p.wrap, 'repo'));
  let next = 0;
  return outcomes.map((o) => {
    if (!('wrap' in o)) return o;
    const run = runs[next++];
    return safely(() => finish(ctx, o, run));
  });
}

function prepare(ctx: RenderContext, tool: Tool, entry: KustomizeEntry): KustomizeOutcome | Prepared {
  const pre = preflight(ctx, entry.k.dir);
  if (pre.refusal) return { ok: false, reason: pre.refusal.reason, ...(pre.refusal.at ? { at: pre.refusal.at } : {}) };
  const wrap = ctx.scratch.folder('kustomize');
  fs.symlinkSync(ctx.realDir, path.join(wrap, 'repo'), 'dir');
  const target = entry.k.dir === '' ? 'repo' : `repo/${entry.k.dir}`;
  fs.writeFileSync(path.join(wrap, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
  return { entry, patches: pre.patches, wrap, args: tool.flavor === 'kubectl' ? ['kustomize', wrap] : ['build', wrap] };
}

function finish(ctx: RenderContext, prepared: Prepared, run: RunOutcome): KustomizeOutcome {
  const { entry, patches, wrap } = prepared;
  const wrapRel = path.relative(ctx.scratch.dir, wrap).split(path.sep).join('/');
  // The wrapper's `repo/` prefix means nothing to the reader: paths are the repository's.
  if (!run.ok) return { ok: false, reason: (run.reason ?? 'kustomize failed').split(`${wrapRel}/repo/`).join('').split(`${wrapRel}/`).join('').replace(/(^|[\s'"(=:])repo\//g, '$1') };
  const instances: Instance[] = [];
  const chunks = run.stdout.split(/^---[ \t]*\r?$/m).filter((c) => c.trim() !== '');
  chunks.sort();
  for (const text of chunks) {
    // The file is known once kustomize's origin annotation is read: the document is parsed first, then told its file.
    const file: SourceFile = renderedFile(ctx, '', text.length);
    const parsed = parseText(file, text.replace(/^\r?\n/, ''), ctx.parseOptions);
    for (const pdoc of parsed.docs) {
      const origin = takeOrigin(pdoc);
      // Generated ConfigMaps and Secrets have no source document; the model reads generators from the kustomization itself.
      if (!origin) continue;
      const base = resourceBase(pdoc);
      if (!base) continue;
      const source = matchSource(ctx, origin, base);
      Object.assign(file, renderedFile(ctx, origin, text.length));
      const locator = new KustomizeLocator(ctx, entry, patches, origin, base, source);
      pdoc.origin = { tool: 'kustomize', source: origin, via: entry.via, ...(source ? { sourceDoc: source.pdoc } : {}), locate: (node, offsets) => locator.locate(pdoc, node, offsets) };
      const inst = renderedInstance(ctx, pdoc, {
        fallbackNamespace: ctx.config.defaultNamespace,
        fallbackSource: 'default',
        ...(source?.base.declaredNamespace ? { declared: source.base.declaredNamespace.value } : {}),
        via: entry.via,
        paths: origin === entry.via ? [origin] : [origin, entry.via],
      });
      if (inst) instances.push(inst);
    }
  }
  return { ok: true, instances };
}

/** The root-relative file kustomize says a resource came from; the annotation is removed so no rule sees it. */
function takeOrigin(pdoc: ParsedDoc): string | undefined {
  const annotations = childPath(pdoc.doc.contents, ['metadata', 'annotations'], pdoc);
  const text = stringValue(child(annotations, 'config.kubernetes.io/origin', pdoc), pdoc);
  if (text === undefined) return undefined;
  pdoc.doc.deleteIn(['metadata', 'annotations', 'config.kubernetes.io/origin']);
  if (mapEntries(annotations, pdoc).length === 0) pdoc.doc.deleteIn(['metadata', 'annotations']);
  let origin: unknown;
  try {
    origin = parseYamlValue(text);
  } catch {
    return undefined;
  }
  const p = (origin as { path?: unknown } | null)?.path;
  if (typeof p !== 'string' || (origin as { configuredIn?: unknown }).configuredIn !== undefined) return undefined;
  const rel = path.posix.normalize(p);
  if (rel === 'repo' || !rel.startsWith('repo/')) return undefined;
  return rel.slice('repo/'.length);
}

interface SourceDoc {
  pdoc: ParsedDoc;
  base: ResourceBase;
}

/** The document of the source file that is this resource before the transformers ran: same kind, and its name (prefixes and suffixes aside). */
function matchSource(ctx: RenderContext, file: string, rendered: ResourceBase): SourceDoc | undefined {
  if (isKustomizationFile(file)) return undefined;
  const parsed = repoYaml(ctx, file);
  const candidates: SourceDoc[] = [];
  for (const pdoc of parsed?.docs ?? []) {
    const base = resourceBase(pdoc);
    if (base && base.kind === rendered.kind && base.group === rendered.group) candidates.push({ pdoc, base });
  }
  const name = rendered.name ?? '';
  const ns = rendered.declaredNamespace?.value;
  return (
    candidates.find((c) => c.base.name === name && (c.base.declaredNamespace?.value ?? ns) === ns) ??
    candidates.find((c) => c.base.name === name) ??
    candidates.filter((c) => c.base.name && name.includes(c.base.name)).sort((a, b) => (b.base.name?.length ?? 0) - (a.base.name?.length ?? 0))[0] ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}

function nameMatches(pattern: string, names: Array<string | undefined>): boolean {
  if (names.includes(pattern)) return true;
  try {
    const re = new RegExp(`^(?:${pattern})$`);
    return names.some((n) => n !== undefined && re.test(n));
  } catch {
    return false;
  }
}

interface PatchDoc {
  file: string;
  pdoc: ParsedDoc;
  json: boolean;
}

type Located = { location: Location; related?: Array<{ location: Location; label: string }> };

/** Maps nodes of one rendered resource to its base document and the patches that apply to it. */
class KustomizeLocator {
  private patchDocs?: PatchDoc[];

  constructor(
    private readonly ctx: RenderContext,
    private readonly entry: KustomizeEntry,
    private readonly patches: PatchRef[],
    private readonly origin: string,
    private readonly rendered: ResourceBase,
    private readonly source: SourceDoc | undefined,
  ) {}

  /** Patch documents that target this resource: same kind and name (or the patch's target selector). */
  private applicable(): PatchDoc[] {
    if (this.patchDocs) return this.patchDocs;
    const names = [this.source?.base.name, this.rendered.name];
    const out: PatchDoc[] = [];
    for (const p of this.patches) {
      const targetOk = !p.target || ((p.target.kind === undefined || p.target.kind === this.rendered.kind) && (p.target.name === undefined || nameMatches(p.target.name, names)));
      if (!targetOk) continue;
      for (const pdoc of repoYaml(this.ctx, p.file)?.docs ?? []) {
        const contents = pdoc.doc.contents;
        if (isSeq(contents)) {
          if (p.target) out.push({ file: p.file, pdoc, json: true });
          continue;
        }
        const base = resourceBase(pdoc) ?? partialBase(pdoc);
        if (!base) continue;
        if (p.target || (base.kind === this.rendered.kind && names.includes(base.name))) out.push({ file: p.file, pdoc, json: false });
      }
    }
    this.patchDocs = out;
    return out;
  }

  private fallback(): Located {
    if (this.source) return { location: locationOf(this.source.pdoc, this.source.base.nameNode ?? this.source.base.root) };
    const first = asMap(this.entry.k.pdoc.doc.contents, this.entry.k.pdoc)?.items[0];
    return { location: locationOf(this.entry.k.pdoc, first ? first.key : this.entry.k.pdoc.doc.contents) };
  }

  /** Reads the base and patch documents, released ones too (release.ts): a finding's place is worth a parse. */
  locate(pdoc: ParsedDoc, node: unknown, offsets?: [number, number]): Located {
    return readingReleased(() => this.locateIn(pdoc, node, offsets));
  }

  private locateIn(pdoc: ParsedDoc, node: unknown, offsets?: [number, number]): Located {
    const src = this.source;
    const np = nodePath(pdoc, node);
    if (!src || !np) return this.fallback();
    const base = walkYaml(src.base.root, np.steps, src.pdoc);
    const patched = this.applicable().map((p) => ({ p, walk: p.json ? jsonPatchWalk(p.pdoc, np.steps) : walkYaml(p.pdoc.doc.contents, np.steps, p.pdoc) }));
    const exactPatches = patched.filter((x) => x.walk.exact);
    const value = isScalar(node) && !np.isKey;
    type Choice = { pdoc: ParsedDoc; walk: YamlWalk; file: string };
    let chosen: Choice | undefined;
    if (value) {
      const equal = [...exactPatches].reverse().find((x) => sameScalar(x.walk.node, node));
      if (equal) chosen = { pdoc: equal.p.pdoc, walk: equal.walk, file: equal.p.file };
      else if (base.exact && sameScalar(base.node, node)) chosen = { pdoc: src.pdoc, walk: base, file: this.origin };
    }
    if (!chosen && base.exact) chosen = { pdoc: src.pdoc, walk: base, file: this.origin };
    if (!chosen && exactPatches.length > 0) {
      const last = exactPatches[exactPatches.length - 1];
      chosen = { pdoc: last.p.pdoc, walk: last.walk, file: last.p.file };
    }
    if (!chosen) {
      // Something the transformers added (a namespace, a label): the deepest part of the base that exists.
      if (base.matched === 0) return this.fallback();
      return { location: locationOf(src.pdoc, base.keyNode ?? base.node) };
    }
    const target = np.isKey ? (chosen.walk.keyNode ?? chosen.walk.node) : chosen.walk.node;
    const location = { file: chosen.pdoc.file.path, region: mappedRegion(chosen.pdoc, target, pdoc, node, offsets) };
    const related: Array<{ location: Location; label: string }> = [];
    if (chosen.pdoc !== src.pdoc && base.exact) related.push({ location: locationOf(src.pdoc, np.isKey ? (base.keyNode ?? base.node) : base.node), label: `base value in ${this.origin}, patched for ${this.entry.file}` });
    for (const x of exactPatches) {
      if (x.p.pdoc === chosen.pdoc) continue;
      related.push({ location: locationOf(x.p.pdoc, np.isKey ? (x.walk.keyNode ?? x.walk.node) : x.walk.node), label: `also set by patch ${x.p.file}` });
    }
    return { location, ...(related.length ? { related } : {}) };
  }
}

/** kind and metadata.name of a strategic-merge patch that may lack apiVersion. */
function partialBase(pdoc: ParsedDoc): ResourceBase | undefined {
  const root = asMap(pdoc.doc.contents, pdoc);
  const kind = stringValue(child(root, 'kind', pdoc), pdoc);
  if (!root || !kind) return undefined;
  const nameNode = childPath(root, ['metadata', 'name'], pdoc);
  return { apiVersion: '', group: '', kind, name: stringValue(nameNode, pdoc), nameNode, pdoc, root };
}

/** A part of a scalar keeps its offsets when the source writes the scalar exactly as rendered. */
function mappedRegion(srcPdoc: ParsedDoc, srcNode: unknown, renderedPdoc: ParsedDoc, renderedNode: unknown, offsets?: [number, number]) {
  const sr = (srcNode as { range?: [number, number, number] | null } | null)?.range;
  const rr = (renderedNode as { range?: [number, number, number] | null } | null)?.range;
  if (offsets && sr && rr && isStringScalar(srcNode) && srcPdoc.text.slice(sr[0], sr[1]) === renderedPdoc.text.slice(rr[0], rr[1])) {
    return regionOfOffsets(srcPdoc, sr[0] + (offsets[0] - rr[0]), sr[0] + (offsets[1] - rr[0]));
  }
  return regionOf(srcPdoc, srcNode);
}

/** A JSON 6902 patch: the last add/replace operation whose path leads to the node, walked into its value. */
function jsonPatchWalk(pdoc: ParsedDoc, steps: readonly Step[]): YamlWalk {
  let best: YamlWalk = { node: undefined, matched: 0, exact: false };
  for (const op of seqItems(pdoc.doc.contents, pdoc)) {
    const kind = stringValue(child(op, 'op', pdoc), pdoc);
    const ptr = stringValue(child(op, 'path', pdoc), pdoc);
    if ((kind !== 'add' && kind !== 'replace') || ptr === undefined || !ptr.startsWith('/')) continue;
    const segs = ptr
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segs.length > steps.length) continue;
    const prefix = segs.every((s, i) => {
      const step = steps[i];
      return 'key' in step ? step.key === s : s === String(step.index) || s === '-';
    });
    if (!prefix) continue;
    const valueNode = child(op, 'value', pdoc);
    const w = walkYaml(valueNode, steps.slice(segs.length), pdoc);
    if (w.exact) best = { ...w, keyNode: w.keyNode ?? (isMap(op) ? child(op, 'path', pdoc) : undefined) };
  }
  return best;
}
