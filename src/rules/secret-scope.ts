// Does the repository manage the Secrets a reference can see? Sharing a
// namespace *name* is not enough when that name is only the fallback
// (`default`): two folders without a namespace may be applied to different
// namespaces, and a monorepo of samples puts everything in `default`. A
// Secret source vouches for a reference when both name their namespace
// explicitly, or when they are deployed together (same folder, or the same
// kustomize build).
import path from 'node:path';
import type { AppInstance, Instance, Model, SecretSource } from '../engine/model.js';
import type { Kustomization } from '../engine/resources.js';

export interface Placed {
  namespace: string;
  /** Kustomize entry point that deploys it. */
  via?: string;
  file: string;
  /** Namespace written on it or set by kustomize, rather than the fallback. */
  explicit: boolean;
}

export function placedOf(model: Model, on: Instance | AppInstance): Placed {
  const resource = 'resource' in on ? on.resource : on.app.resource;
  const file = resource?.pdoc.file.path ?? ('app' in on ? on.app.sourceFile : undefined) ?? '';
  const explicit = resource?.declaredNamespace !== undefined || on.namespace !== model.config.defaultNamespace;
  return { namespace: on.namespace, file, explicit, ...(on.via ? { via: on.via } : {}) };
}

function entryPath(k: Kustomization): string {
  return k.dir === '' ? 'kustomization.yaml' : `${k.dir}/kustomization.yaml`;
}

/** Entry points (kustomizations no other includes) whose build reaches the kustomization in `dir`. */
function entryPointsReaching(kustomizations: Kustomization[], dir: string): string[] {
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]));
  const included = new Set(kustomizations.flatMap((k) => k.resources.map((r) => r.value)).filter((d) => byDir.has(d)));
  const reaches = (k: Kustomization, seen: Set<string>): boolean => {
    if (k.dir === dir) return true;
    seen.add(k.dir);
    return k.resources.some((r) => {
      const sub = byDir.get(r.value);
      return sub !== undefined && !seen.has(sub.dir) && reaches(sub, seen);
    });
  };
  return kustomizations.filter((k) => !included.has(k.dir) && reaches(k, new Set())).map(entryPath);
}

/** Where a Secret source is deployed from: one entry per instance (or kustomize entry point) that places it in `namespace`. */
function originsOf(model: Model, namespace: string, src: SecretSource, byDoc: Map<unknown, Model['instances']>): Placed[] {
  const file = src.at.pdoc.file.path;
  if (src.kind === 'secretGenerator') {
    const k = model.kustomizations.find((x) => x.pdoc === src.at.pdoc);
    const explicit = k?.namespace !== undefined || namespace !== model.config.defaultNamespace;
    const vias = k ? entryPointsReaching(model.kustomizations, k.dir) : [];
    return vias.length ? vias.map((via) => ({ namespace, via, file, explicit })) : [{ namespace, file, explicit }];
  }
  return (byDoc.get(src.at.pdoc) ?? []).filter((i) => i.namespace === namespace && (i.resource.nameNode ?? i.resource.root) === src.at.node).map((i) => placedOf(model, i));
}

function deployedTogether(a: Placed, b: Placed): boolean {
  if (a.explicit && b.explicit) return true;
  if (path.posix.dirname(a.file) === path.posix.dirname(b.file)) return true;
  return a.via !== undefined && a.via === b.via;
}

/** Answers "does the repository manage the Secrets this reference sees?", with the origins of every source computed once. */
export class SecretScope {
  private readonly origins = new Map<SecretSource, Placed[]>();
  /** Instances by document: searching every instance for each Secret made a large repository quadratic (bench/soak.ts). */
  private byDoc: Map<unknown, Model['instances']> | undefined;

  constructor(private readonly model: Model) {}

  /** True when at least one Secret source of the namespace is known to be deployed alongside `ref`. */
  manages(ref: Placed): boolean {
    return this.model.secretsIn(ref.namespace).some((src) => this.originsFor(ref.namespace, src).some((o) => deployedTogether(ref, o)));
  }

  private originsFor(namespace: string, src: SecretSource): Placed[] {
    let list = this.origins.get(src);
    if (!list) {
      if (!this.byDoc) {
        this.byDoc = new Map();
        for (const i of this.model.instances) {
          const l = this.byDoc.get(i.resource.pdoc);
          if (l) l.push(i);
          else this.byDoc.set(i.resource.pdoc, [i]);
        }
      }
      list = originsOf(this.model, namespace, src, this.byDoc);
      this.origins.set(src, list);
    }
    return list;
  }
}
