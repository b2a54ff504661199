// render/context.ts: what every renderer shares in one scan: where the files
// are, the parsed repository, the scratch folder, and how a rendered
// document becomes a placed instance of the model.
import path from 'node:path';
import type { Config } from '../config-types.js';
import { isInside } from '../discover.js';
import type { EnvironmentClassifier } from '../environment.js';
import { DAPR_GROUP, daprResource } from '../extract/dapr.js';
import { kubernetesResource, resourceBase } from '../extract/kubernetes.js';
import type { Instance, NamespaceSource } from '../model.js';
import { decode, parseText, type ParseOptions, type ParsedFile, readSource } from '../parse.js';
import type { Environment, Location, SourceFile } from '../types.js';
import { lineBreaksAsLf, type ParsedDoc } from '../yaml.js';
import type { Scratch } from './binaries.js';
import { bytesOf, realpathOf, statOf, type WorldLog } from './world.js';

export interface RenderContext {
  /** Absolute folder that holds the repository's files (the scan root, or a checkout of a revision). */
  dir: string;
  realDir: string;
  config: Config;
  classifier: EnvironmentClassifier;
  scratch: Scratch;
  /** Discovered files by root-relative path. */
  files: Map<string, SourceFile>;
  /** Parsed files by root-relative path (YAML and text-only). */
  parsed: Map<string, ParsedFile>;
  parseOptions: ParseOptions;
  /** Absolute paths that must never reach a message, each with what to show instead. */
  replace: Array<[string, string]>;
  /** What was read besides the parsed files (world.ts). */
  world: WorldLog;
}

/** What failed to render, for DAPR007. */
export interface RenderFailure {
  tool: 'helm' | 'kustomize';
  /** Root-relative Chart.yaml or kustomization file. */
  file: string;
  /** What it is, for messages: `Helm chart "shop" (deploy/chart)`, `kustomization overlays/prod`. */
  subject: string;
  /** The variant that failed: a values file, a configured release, or the kustomization entry point. */
  via: string;
  /** Why: binary missing, exit code and the first lines of stderr, a refused input. */
  reason: string;
  /** What the scan read instead: a sentence for the message. */
  fallback: string;
  /** Where DAPR007 points: Chart.yaml's name, the kustomization, or the remote base it refused. */
  at: Location;
  related: Array<{ at: Location; label: string }>;
  namespace: string;
  environment: Environment;
}

/** A chart variant or kustomization that rendered. */
export interface RenderRecord {
  tool: 'helm' | 'kustomize';
  file: string;
  via: string;
  resources: number;
}

/** The bytes of a discovered file as text: a file the pre-check skipped kept none. */
function sourceText(p: ParsedFile): string | undefined {
  if (!p.skipped) return p.text;
  try {
    return decode(readSource(p.file)).text;
  } catch {
    return undefined;
  }
}

/**
 * A file of the repository as text: the discovered copy when discovery read it,
 * else the disk (only inside the repository, never through a link out of it).
 */
export function repoText(ctx: RenderContext, rel: string): string | undefined {
  const p = ctx.parsed.get(rel);
  if (p) return sourceText(p);
  const abs = path.join(ctx.dir, rel);
  try {
    const real = realpathOf(ctx.world, abs);
    const stat = statOf(ctx.world, real);
    if (!isInside(ctx.realDir, real) || !stat?.file || stat.size > ctx.config.maxFileSize) return undefined;
    const bytes = bytesOf(ctx.world, real);
    return bytes ? decode(bytes).text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A YAML file of the repository, parsed whole: the discovered copy, else read
 * from disk (and kept for the next caller). A base resource that the pre-check
 * skipped or partly blanked (a plain Deployment an overlay adds Dapr to) is
 * parsed again without it, so rendered documents keep their place in it.
 */
export function repoYaml(ctx: RenderContext, rel: string): ParsedFile | undefined {
  const known = ctx.parsed.get(rel);
  if (known && known.file.kind !== 'yaml') return undefined;
  if (known && !known.skipped && !known.blanked) return known;
  const text = known ? sourceText(known) : repoText(ctx, rel);
  if (text === undefined) return undefined;
  const file: SourceFile = known?.file ?? { path: rel, absPath: path.join(ctx.dir, rel), kind: 'yaml', size: text.length };
  const parsed = parseText(file, text, { ...ctx.parseOptions, precheck: false });
  ctx.parsed.set(rel, parsed);
  return parsed;
}

/**
 * The file a rendered document stands for: its template or base resource,
 * so that rules that reason about folders and files (which Configuration is
 * nearest, which Secrets are deployed together) see the repository's paths.
 * Its text is the renderer's output: positions come from `origin.locate`,
 * and no autofix is ever made from it (edits.ts refuses documents with an
 * origin).
 */
export function renderedFile(ctx: RenderContext, source: string, size: number): SourceFile {
  return { path: source, absPath: path.join(ctx.dir, source), kind: 'yaml', size };
}

export interface PlacementInput {
  /** Release namespace (Helm) or the default namespace (kustomize) for resources that state none. */
  fallbackNamespace: string;
  fallbackSource: NamespaceSource;
  /** The source's own metadata.namespace, to tell a kept namespace from one a kustomization set. */
  declared?: string;
  via: string;
  /** Root-relative paths for the environment: the source file, then the values file or entry point. */
  paths: string[];
  hint?: string;
  environment?: Environment;
}

/** A rendered document as a placed instance: the namespace it renders into, the environment of its variant. */
export function renderedInstance(ctx: RenderContext, pdoc: ParsedDoc, p: PlacementInput): Instance | undefined {
  if (pdoc.doc.contents === null) return undefined;
  const base = resourceBase(pdoc);
  if (!base) return undefined;
  const rendered = base.declaredNamespace?.value;
  const namespace = rendered ?? p.fallbackNamespace;
  // A chart's release decides where its resources go, whatever the template writes; kustomize keeps or sets metadata.namespace.
  const namespaceSource: NamespaceSource = p.fallbackSource === 'helm' ? 'helm' : rendered === undefined ? p.fallbackSource : rendered === p.declared ? 'metadata' : 'kustomize';
  const environment = p.environment ?? ctx.classifier.classify({ namespace, kubernetesNamespace: true, paths: p.paths, ...(p.hint !== undefined ? { hint: p.hint } : {}) });
  const resource = base.group === DAPR_GROUP ? daprResource(base) : kubernetesResource(base);
  return { resource, namespace, namespaceSource, environment, kubernetes: true, via: p.via };
}

/** Location of a whole line of a file (1-based), for findings about a file as such. */
export function lineLocation(ctx: RenderContext, file: string, line = 1): Location {
  const text = repoText(ctx, file) ?? '';
  const lines = lineBreaksAsLf(text).split('\n');
  const l = (lines[line - 1] ?? '').replace(/\r$/, '');
  const start = l.length - l.trimStart().length;
  return { file, region: { startLine: line, startColumn: start + 1, endLine: line, endColumn: Math.max(start + 2, l.trimEnd().length + 1) } };
}

/** A renderer bug must not end the scan: it becomes a render failure like any other. */
export function safely<T>(fn: () => T): T | { ok: false; reason: string } {
  try {
    return fn();
  } catch (e) {
    return { ok: false, reason: `internal error while rendering: ${(e as Error).message}` };
  }
}
