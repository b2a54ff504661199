// extract: kustomization.yaml → what the model needs without rendering:
// which local files it pulls in, which are patches, its namespace, and the
// Secrets its generators create. Remote bases are never fetched.
import path from 'node:path';
import type { Kustomization, Str } from '../resources.js';
import { asMap, child, type ParsedDoc, seqItems, stringValue, type YNode } from '../yaml.js';
import { str } from './kubernetes.js';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.posix.basename(file));
}

export function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes('?ref=') || ref.startsWith('git@');
}

/** Root-relative path of `ref` written in a file of folder `dir`, or undefined when it leaves the root or is remote. */
export function resolveLocal(dir: string, ref: string): string | undefined {
  if (!ref || isRemote(ref)) return undefined;
  const joined = path.posix.normalize(path.posix.join(dir || '.', ref));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function localRefs(pdoc: ParsedDoc, dir: string, node: unknown): Str[] {
  const out: Str[] = [];
  for (const item of seqItems(node, pdoc)) {
    const s = str(pdoc, item);
    if (!s) continue;
    const resolved = resolveLocal(dir, s.value);
    if (resolved !== undefined) out.push({ ...s, value: resolved });
  }
  return out;
}

function patchRefs(pdoc: ParsedDoc, dir: string, root: unknown): Str[] {
  const out: Str[] = [];
  const add = (node: YNode): void => {
    const s = str(pdoc, node);
    // An inline strategic-merge patch is YAML text, not a path.
    if (!s || s.value.includes('\n')) return;
    const resolved = resolveLocal(dir, s.value);
    if (resolved !== undefined) out.push({ ...s, value: resolved });
  };
  for (const item of seqItems(child(root, 'patchesStrategicMerge', pdoc), pdoc)) add(item);
  for (const key of ['patches', 'patchesJson6902']) {
    for (const item of seqItems(child(root, key, pdoc), pdoc)) {
      if (asMap(item, pdoc)) add(child(item, 'path', pdoc));
      else add(item);
    }
  }
  return out;
}

function secretGenerators(pdoc: ParsedDoc, root: unknown): Kustomization['secretGenerators'] {
  const out: Kustomization['secretGenerators'] = [];
  for (const gen of seqItems(child(root, 'secretGenerator', pdoc), pdoc)) {
    const name = str(pdoc, child(gen, 'name', pdoc));
    if (!name) continue;
    const keys = new Set<string>();
    let anyKey = false;
    for (const lit of seqItems(child(gen, 'literals', pdoc), pdoc)) {
      const v = stringValue(lit, pdoc);
      if (v && v.includes('=')) keys.add(v.slice(0, v.indexOf('=')).trim());
    }
    for (const f of seqItems(child(gen, 'files', pdoc), pdoc)) {
      const v = stringValue(f, pdoc);
      if (!v) continue;
      keys.add(v.includes('=') ? v.slice(0, v.indexOf('=')).trim() : path.posix.basename(v));
    }
    // Keys of an env file are not known without reading it.
    if (seqItems(child(gen, 'envs', pdoc), pdoc).length > 0 || child(gen, 'env', pdoc)) anyKey = true;
    out.push({ name, keys, anyKey });
  }
  return out;
}

export function kustomization(pdoc: ParsedDoc): Kustomization | undefined {
  const root = asMap(pdoc.doc.contents, pdoc);
  if (!root) return undefined;
  const dir = path.posix.dirname(pdoc.file.path);
  const relDir = dir === '.' ? '' : dir;
  const k: Kustomization = {
    dir: relDir,
    pdoc,
    resources: [
      ...localRefs(pdoc, relDir, child(root, 'resources', pdoc)),
      ...localRefs(pdoc, relDir, child(root, 'bases', pdoc)),
      ...localRefs(pdoc, relDir, child(root, 'components', pdoc)),
    ],
    patches: patchRefs(pdoc, relDir, root),
    secretGenerators: secretGenerators(pdoc, root),
  };
  const ns = str(pdoc, child(root, 'namespace', pdoc));
  if (ns && ns.value) k.namespace = ns;
  return k;
}
