// Environments: production, non-production or unclassified, decided by the
// first that matches (rules.md "Environments"): config namespace globs, config
// path globs, the name heuristic on the namespace, then on the folders of the
// path (nearest first).
import path from 'node:path';
import { compileGlob } from './glob.js';
import type { Config, EnvironmentName } from './config-types.js';
import type { Environment } from './types.js';

const PRODUCTION = new Set(['prod', 'production', 'prd', 'live']);
const NON_PRODUCTION = new Set(['dev', 'development', 'test', 'tests', 'testing', 'qa', 'staging', 'stage', 'sandbox', 'local', 'demo', 'example', 'examples', 'sample', 'samples', 'e2e']);

/** The built-in heuristic on one name (a namespace or a folder). */
export function environmentOfName(name: string): EnvironmentName | undefined {
  const n = name.toLowerCase();
  if (PRODUCTION.has(n) || n.startsWith('prod-') || n.startsWith('production-')) return 'production';
  if (NON_PRODUCTION.has(n)) return 'non-production';
  return undefined;
}

/** Folders of a root-relative file path, nearest first (the file name excluded). */
function foldersNearestFirst(file: string): string[] {
  const dir = path.posix.dirname(file);
  return dir === '.' ? [] : dir.split('/').reverse();
}

type Matcher = (s: string) => boolean;

export interface EnvironmentInput {
  namespace: string;
  /** Whether the namespace is a real Kubernetes namespace (not a self-hosted pseudo-namespace). */
  kubernetesNamespace: boolean;
  /** Root-relative paths that locate the resource: its file, then the kustomization entry point that reached it. */
  paths: string[];
  /**
   * A name that says which environment the resource is rendered for (the
   * `prod` of a chart's values-prod.yaml): judged by the heuristic after the
   * config's globs and before the namespace and folder heuristics.
   */
  hint?: string;
}

export class EnvironmentClassifier {
  private readonly byNamespace: Array<[EnvironmentName, Matcher]> = [];
  private readonly byPath: Array<[EnvironmentName, Matcher]> = [];
  private readonly cache = new Map<string, Environment>();

  constructor(config: Pick<Config, 'environments'>) {
    for (const env of ['production', 'non-production'] as const) {
      const m = config.environments[env];
      if (m?.namespaces?.length) this.byNamespace.push([env, compileGlob(m.namespaces)]);
      if (m?.paths?.length) this.byPath.push([env, compileGlob(m.paths, { dot: true })]);
    }
  }

  classify(input: EnvironmentInput): Environment {
    const key = `${input.kubernetesNamespace ? input.namespace : ''}\0${input.paths.join('\0')}\0${input.hint ?? ''}`;
    let env = this.cache.get(key);
    if (env === undefined) {
      env = this.decide(input);
      this.cache.set(key, env);
    }
    return env;
  }

  private decide({ namespace, kubernetesNamespace, paths, hint }: EnvironmentInput): Environment {
    if (kubernetesNamespace) {
      for (const [env, match] of this.byNamespace) if (match(namespace)) return env;
    }
    for (const [env, match] of this.byPath) {
      if (paths.some((p) => match(p) || match(path.posix.dirname(p)))) return env;
    }
    const fromHint = hint !== undefined ? environmentOfName(hint) : undefined;
    if (fromHint) return fromHint;
    if (kubernetesNamespace) {
      const fromNs = environmentOfName(namespace);
      if (fromNs) return fromNs;
    }
    for (const p of paths) {
      for (const folder of foldersNearestFirst(p)) {
        const fromFolder = environmentOfName(folder);
        if (fromFolder) return fromFolder;
      }
    }
    return 'unclassified';
  }
}
