// Small helpers shared by rules: where to point when something is missing,
// how to name things in messages, nearest-match suggestions.
import type { AppInstance, Instance } from '../engine/model.js';
import type { DaprApp, NodeRef } from '../engine/resources.js';

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * The closest candidate, when it is close enough to be a likely typo: within a
 * third of the length, or one is a prefix of the other.
 */
export function nearest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(value, c);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined || bestD === 0) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(value.length, best.length) / 3));
  return bestD <= limit || best.startsWith(value) || value.startsWith(best) ? best : undefined;
}

/** Where a "missing pod annotation" finding points: the pod template's `annotations` key, else the workload name. */
export function missingAnnotationAnchor(app: DaprApp): NodeRef {
  if (app.pod?.annotationsPair && app.resource) return { pdoc: app.resource.pdoc, node: app.pod.annotationsPair.key };
  return app.anchor;
}

/** `Deployment "orders"`, `Component "statestore"`. */
export function describe(inst: Instance): string {
  return `${inst.resource.kind} "${inst.resource.name ?? '(unnamed)'}"`;
}

export function describeApp(a: AppInstance | DaprApp): string {
  const app = 'app' in a ? a.app : a;
  if (app.source === 'multi-app-run') return `Multi-App Run app "${app.name}"`;
  if (app.source === 'compose') return `compose service "${app.name}"`;
  return `${app.kind} "${app.name}"`;
}

/** A namespace for messages; self-hosted pseudo-namespaces read as their file. */
export function describeNamespace(namespace: string): string {
  return namespace.startsWith('self-hosted:') ? `the self-hosted project of ${namespace.slice('self-hosted:'.length)}` : `namespace "${namespace}"`;
}

/** Where a resource's "something is missing" findings point. */
export function resourceAnchor(inst: Instance): NodeRef {
  return { pdoc: inst.resource.pdoc, node: inst.resource.nameNode ?? inst.resource.root };
}

export function quoteList(items: string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}
