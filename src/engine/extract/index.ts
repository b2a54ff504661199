// extract: every parsed document becomes a typed resource, a kustomization, a
// Multi-App Run template, part of a compose project, or stays a plain
// document (Helm values and the like, read by later rules).
import type { ParsedFile } from '../parse.js';
import type { ComposeFile, Kustomization, MultiAppRun, Resource } from '../resources.js';
import type { ParsedDoc } from '../yaml.js';
import { composeApps, composeBaseName, isComposeFile, isOverrideFile } from './compose.js';
import { DAPR_GROUP, daprResource } from './dapr.js';
import { chartInstalls, type DaprInstall, resourceInstalls } from './helm-values.js';
import { kubernetesResource, resourceBase } from './kubernetes.js';
import { isKustomizationFile, kustomization } from './kustomize.js';
import { isMultiAppRun, multiAppRun, type RepoIndex } from './multi-app-run.js';

export interface Extracted {
  resources: Resource[];
  kustomizations: Kustomization[];
  multiAppRuns: MultiAppRun[];
  composeFiles: ComposeFile[];
  /** Documents that are none of the above (Helm values, CI files, …). */
  plainDocs: ParsedDoc[];
  /** Values given to the Dapr Helm chart (chart values files, HelmReleases, Argo CD Applications). */
  daprInstalls: DaprInstall[];
}

/** What one file's documents are, before the files are put together (compose projects, Helm installs). */
export interface FileExtract {
  resources: Resource[];
  kustomizations: Kustomization[];
  multiAppRuns: MultiAppRun[];
  composeDocs: ParsedDoc[];
  plainDocs: ParsedDoc[];
  /** Dapr chart installs that resources of this file declare (Flux HelmRelease, Argo CD Application). */
  installs: DaprInstall[];
}

/** One file's documents, typed: a file needs no other file for it, so each is extracted as soon as it is parsed. */
export function extractFile(file: ParsedFile, repo: RepoIndex): FileExtract {
  const out: FileExtract = { resources: [], kustomizations: [], multiAppRuns: [], composeDocs: [], plainDocs: [], installs: [] };
  const isKustomization = isKustomizationFile(file.file.path);
  for (const pdoc of file.docs) {
    if (pdoc.doc.contents === null) continue;
    if (isKustomization) {
      const k = kustomization(pdoc);
      if (k) out.kustomizations.push(k);
      continue;
    }
    if (isMultiAppRun(pdoc)) {
      out.multiAppRuns.push(multiAppRun(pdoc, repo));
      continue;
    }
    if (isComposeFile(pdoc)) {
      out.composeDocs.push(pdoc);
      continue;
    }
    const base = resourceBase(pdoc);
    if (!base) {
      out.plainDocs.push(pdoc);
      continue;
    }
    const resource = base.group === DAPR_GROUP ? daprResource(base) : kubernetesResource(base);
    out.resources.push(resource);
    out.installs.push(...resourceInstalls(resource));
  }
  return out;
}

/** The files' extracts put together, in the files' order: compose projects are joined across files, charts' values found. */
export function assemble(files: readonly FileExtract[]): Extracted {
  const out: Extracted = { resources: [], kustomizations: [], multiAppRuns: [], composeFiles: [], plainDocs: [], daprInstalls: [] };
  const composeDocs = new Map<string, ParsedDoc[]>();
  const installs: DaprInstall[] = [];
  for (const f of files) {
    out.resources.push(...f.resources);
    out.kustomizations.push(...f.kustomizations);
    out.multiAppRuns.push(...f.multiAppRuns);
    out.plainDocs.push(...f.plainDocs);
    installs.push(...f.installs);
    for (const pdoc of f.composeDocs) {
      const key = composeBaseName(pdoc.file.path);
      const list = composeDocs.get(key) ?? [];
      list.push(pdoc);
      composeDocs.set(key, list);
    }
  }
  for (const docs of composeDocs.values()) {
    // The base file first so that overrides win; an override without its base stands alone.
    const ordered = [...docs].sort((a, b) => Number(isOverrideFile(a.file.path)) - Number(isOverrideFile(b.file.path)));
    const apps = composeApps(ordered);
    if (apps.length > 0) out.composeFiles.push({ pdoc: ordered[0], apps });
  }
  out.daprInstalls = [...chartInstalls(out.plainDocs), ...installs];
  return out;
}
