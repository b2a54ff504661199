// extract: the values a repository gives the Dapr Helm chart, without
// rendering anything: values files of a chart that depends on `dapr` (or is
// it), Flux HelmReleases and Argo CD Applications that install chart `dapr`.
// An Argo CD values string written as a literal block scalar is parsed in
// place, so its nodes keep their positions in the file.
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { NodeRef, ResourceBase } from '../resources.js';
import { asMap, child, childPath, lineBreaksAsLf, type ParsedDoc, scalarText, seqItems, stringValue, type YNode } from '../yaml.js';

export type DaprInstallSource = 'chart-values' | 'flux-helmrelease' | 'argocd-application';

export interface DaprInstall {
  source: DaprInstallSource;
  /** The document that holds the values (for Argo CD's values string, the string parsed in place). */
  pdoc: ParsedDoc;
  /** Values of the Dapr chart itself: the top level, or the dependency's key in an umbrella chart. */
  values?: YAMLMap<unknown, unknown>;
  /** Where `global.*` may also be set: the umbrella chart's top level. */
  globals?: YAMLMap<unknown, unknown>;
  /** Prefix of `values` in the file, for messages (`dapr.` in an umbrella chart). */
  prefix: string;
  /** Argo CD `helm.parameters`: dotted name → value node. */
  parameters: Map<string, NodeRef>;
  /** "values-prod.yaml of chart shop, which depends on dapr" */
  description: string;
  /** Where findings about the install as a whole point. */
  anchor: NodeRef;
  /** Namespace the chart is installed into, when the manifest says. */
  namespace?: string;
  /** Root-relative paths that locate it (for the environment). */
  paths: string[];
  /** When the values string could not be parsed in place, findings point at it. */
  opaqueValues?: NodeRef;
}

export interface ValueRef extends NodeRef {
  /** Dotted path as written in the file (`dapr.global.mtls.enabled`). */
  path: string;
  value: string | undefined;
}

/** Looks a dotted chart path up in an install: parameters win, then the Dapr chart's values, then umbrella globals. */
export function installValue(install: DaprInstall, dotted: string): ValueRef | undefined {
  const param = install.parameters.get(dotted);
  if (param) return { ...param, path: `helm.parameters[${dotted}]`, value: scalarText(param.node, param.pdoc) };
  const segs = dotted.split('.');
  const lookup = (root: YAMLMap<unknown, unknown> | undefined, prefix: string): ValueRef | undefined => {
    if (!root) return undefined;
    const node = childPath(root, segs, install.pdoc);
    if (node === undefined || node === null) return undefined;
    const value = isScalar(node) ? scalarText(node, install.pdoc) : undefined;
    // Nodes of a values string parsed on its own have no place in the file: point at the string.
    const at = install.opaqueValues ?? { pdoc: install.pdoc, node };
    return { ...at, path: prefix + dotted, value };
  };
  return lookup(install.values, install.prefix) ?? (segs[0] === 'global' ? lookup(install.globals, '') : undefined);
}

const VALUES_FILE = /^values([-.].+)?\.ya?ml$/;

interface ChartInfo {
  dir: string;
  /** Key of the Dapr chart's values: '' when the chart is dapr itself. */
  key: string;
  name: string;
}

function chartInfo(pdoc: ParsedDoc): ChartInfo | undefined {
  if (path.posix.basename(pdoc.file.path) !== 'Chart.yaml') return undefined;
  const root = asMap(pdoc.doc.contents, pdoc);
  const name = stringValue(child(root, 'name', pdoc), pdoc) ?? '';
  const dir = path.posix.dirname(pdoc.file.path);
  const d = dir === '.' ? '' : dir;
  if (name === 'dapr') return { dir: d, key: '', name };
  for (const dep of seqItems(child(root, 'dependencies', pdoc), pdoc)) {
    if (stringValue(child(dep, 'name', pdoc), pdoc) !== 'dapr') continue;
    return { dir: d, key: stringValue(child(dep, 'alias', pdoc), pdoc) ?? 'dapr', name };
  }
  return undefined;
}

function chartValues(chart: ChartInfo, docs: ParsedDoc[]): DaprInstall[] {
  const out: DaprInstall[] = [];
  for (const pdoc of docs) {
    const file = pdoc.file.path;
    const dir = path.posix.dirname(file);
    if ((dir === '.' ? '' : dir) !== chart.dir || !VALUES_FILE.test(path.posix.basename(file))) continue;
    const top = asMap(pdoc.doc.contents, pdoc);
    if (!top) continue;
    const values = chart.key ? asMap(child(top, chart.key, pdoc), pdoc) : top;
    const install: DaprInstall = {
      source: 'chart-values',
      pdoc,
      prefix: chart.key ? `${chart.key}.` : '',
      parameters: new Map(),
      description: chart.key ? `${file} of chart "${chart.name}", which depends on dapr` : `${file} of the dapr chart`,
      anchor: { pdoc, node: top },
      paths: [file],
    };
    if (values) install.values = values;
    if (chart.key) install.globals = top;
    out.push(install);
  }
  return out;
}

function fluxRelease(base: ResourceBase): DaprInstall | undefined {
  const { pdoc, root } = base;
  const spec = child(root, 'spec', pdoc);
  const chart = base.group === 'helm.fluxcd.io' ? stringValue(childPath(spec, ['chart', 'name'], pdoc), pdoc) : stringValue(childPath(spec, ['chart', 'spec', 'chart'], pdoc), pdoc);
  if (chart !== 'dapr') return undefined;
  const install: DaprInstall = {
    source: 'flux-helmrelease',
    pdoc,
    prefix: 'spec.values.',
    parameters: new Map(),
    description: `HelmRelease "${base.name ?? ''}" of chart dapr`,
    anchor: { pdoc, node: base.nameNode ?? root },
    paths: [pdoc.file.path],
  };
  const values = asMap(child(spec, 'values', pdoc), pdoc);
  if (values) install.values = values;
  const ns = stringValue(child(spec, 'targetNamespace', pdoc), pdoc) ?? base.declaredNamespace?.value;
  if (ns) install.namespace = ns;
  return install;
}

/**
 * Parses a YAML string held in a literal block scalar at its place in the
 * file: every character outside the block is blanked (newlines kept), so the
 * offsets of the embedded document are offsets of the file.
 */
export function parseEmbedded(pdoc: ParsedDoc, scalar: YNode): ParsedDoc | undefined {
  if (!isScalar(scalar) || scalar.type !== 'BLOCK_LITERAL' || !scalar.range) return undefined;
  const text = lineBreaksAsLf(pdoc.text);
  const headerEnd = text.indexOf('\n', scalar.range[0]);
  if (headerEnd === -1) return undefined;
  const start = headerEnd + 1;
  const end = scalar.range[1];
  const blank = (s: string): string => s.replace(/[^\n\r]/g, ' ');
  const padded = blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
  const doc = parseDocument(padded, { version: '1.1', lineCounter: new LineCounter() });
  if (doc.errors.length > 0) return undefined;
  return { ...pdoc, doc, text: padded, index: pdoc.index };
}

function argoApplication(base: ResourceBase): DaprInstall[] {
  const { pdoc, root } = base;
  const spec = child(root, 'spec', pdoc);
  const sources = [child(spec, 'source', pdoc), ...seqItems(child(spec, 'sources', pdoc), pdoc)].filter((s) => isMap(s));
  const out: DaprInstall[] = [];
  for (const source of sources) {
    if (stringValue(child(source, 'chart', pdoc), pdoc) !== 'dapr') continue;
    const helm = child(source, 'helm', pdoc);
    const install: DaprInstall = {
      source: 'argocd-application',
      pdoc,
      prefix: 'helm.valuesObject.',
      parameters: new Map(),
      description: `Argo CD Application "${base.name ?? ''}" of chart dapr`,
      anchor: { pdoc, node: base.nameNode ?? root },
      paths: [pdoc.file.path],
    };
    for (const p of seqItems(child(helm, 'parameters', pdoc), pdoc)) {
      const name = stringValue(child(p, 'name', pdoc), pdoc);
      const value = child(p, 'value', pdoc);
      if (name && value !== undefined && value !== null) install.parameters.set(name, { pdoc, node: value });
    }
    const object = asMap(child(helm, 'valuesObject', pdoc), pdoc);
    const valuesString = child(helm, 'values', pdoc);
    if (object) install.values = object;
    else if (valuesString !== undefined && valuesString !== null) {
      const embedded = parseEmbedded(pdoc, valuesString);
      const map = embedded ? asMap(embedded.doc.contents, embedded) : undefined;
      if (embedded && map) {
        install.pdoc = embedded;
        install.values = map;
        install.prefix = '';
      } else {
        // A quoted or folded values string: its positions cannot be mapped back, so findings point at the string.
        install.opaqueValues = { pdoc, node: valuesString };
        const standalone = parseDocument(scalarText(valuesString, pdoc) ?? '', { version: '1.1' });
        const map = standalone.errors.length === 0 ? asMap(standalone.contents) : undefined;
        if (map) install.values = map;
      }
    }
    const ns = stringValue(childPath(spec, ['destination', 'namespace'], pdoc), pdoc);
    if (ns) install.namespace = ns;
    out.push(install);
  }
  return out;
}

/** Values files of charts in the repository that are the Dapr chart or depend on it. */
export function chartInstalls(plainDocs: ParsedDoc[]): DaprInstall[] {
  const charts = plainDocs.map(chartInfo).filter((c): c is ChartInfo => c !== undefined);
  return charts.flatMap((chart) => chartValues(chart, plainDocs));
}

/** The Dapr chart installs a resource declares: a Flux HelmRelease or an Argo CD Application of chart dapr. */
export function resourceInstalls(r: ResourceBase): DaprInstall[] {
  if ((r.group === 'helm.toolkit.fluxcd.io' || r.group === 'helm.fluxcd.io') && r.kind === 'HelmRelease') {
    const i = fluxRelease(r);
    return i ? [i] : [];
  }
  if (r.group === 'argoproj.io' && r.kind === 'Application') return argoApplication(r);
  return [];
}
