// DAPR104 duplicate-component: two Components with the same name in one namespace and environment.
import type { Instance } from '../engine/model.js';
import type { ResourceOf } from '../engine/resources.js';
import { sourcePosition } from '../engine/yaml.js';
import { component, redisMetadata } from './examples.js';
import { describeNamespace, resourceAnchor } from './helpers.js';
import type { Rule } from './types.js';

type ComponentInstance = Instance<ResourceOf<'component'>>;

function position(i: ComponentInstance): [string, number] {
  const r = i.resource;
  // A rendered Component's place is in its template or base file.
  if (r.pdoc.origin) return sourcePosition(r.pdoc, r.nameNode ?? r.root);
  const line = r.pdoc.lineCounter.linePos((r.nameNode as { range?: number[] } | undefined)?.range?.[0] ?? 0).line;
  return [r.pdoc.file.path, line];
}

function later(a: ComponentInstance, b: ComponentInstance): boolean {
  const [fa, la] = position(a);
  const [fb, lb] = position(b);
  return fa > fb || (fa === fb && la > lb);
}

/** The repository says where it goes: a declared namespace, a kustomization, or a self-hosted project. */
function isPlaced(i: ComponentInstance): boolean {
  return i.via !== undefined || i.resource.declaredNamespace !== undefined;
}

function folderOf(i: ComponentInstance): string {
  const f = i.resource.pdoc.file.path;
  return f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
}

/**
 * Two definitions collide when they can be applied together: not from
 * different kustomize entry points, and either both placed by the repository
 * or side by side in one folder (sample repositories keep one unplaced
 * components folder per example, each used on its own).
 */
function canCoexist(a: ComponentInstance, b: ComponentInstance): boolean {
  if (a.via && b.via && a.via !== b.via) return false;
  return (isPlaced(a) && isPlaced(b)) || folderOf(a) === folderOf(b);
}

export const rule: Rule = {
  meta: {
    id: 'DAPR104',
    name: 'duplicate-component',
    shortDescription: 'Two Components with the same name in the same namespace and environment: only one can load.',
    fullDescription:
      'Reports two different Component manifests with the same `metadata.name` in the same namespace and environment. Kubernetes keeps only the last one applied; a self-hosted sidecar refuses to start. The finding is reported once, on the later of the two in (file, line) order, with the earlier one as related location. Copies reached through different kustomization entry points are separate deployments and are not compared; two manifests that no namespace, kustomization or self-hosted project places are only compared when they sit in the same folder.',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['security', 'correctness', 'components'],
    precision: 'high',
    docs: {
      why: 'Which of the two definitions is live depends on apply order, so the one a reviewer approved (with scopes, with TLS) may not be the one running. In self-hosted mode daprd fails on duplicate names.',
      fix: 'Delete one of them, or rename one and point the apps that need it at the new name.',
      incorrect: [
        {
          files: {
            'deploy/statestore.yaml': component('statestore', 'state.redis', { namespace: 'shop', metadata: redisMetadata(), tail: ['scopes: [task-api]'] }),
            'deploy/legacy/statestore.yaml': component('statestore', 'state.redis', { namespace: 'shop', metadata: redisMetadata() }),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/statestore.yaml': component('statestore', 'state.redis', { namespace: 'shop', metadata: redisMetadata(), tail: ['scopes: [task-api]'] }),
            'deploy/legacy/statestore.yaml': component('legacy-statestore', 'state.redis', { namespace: 'shop', metadata: redisMetadata(), tail: ['scopes: [reports]'] }),
          },
        },
      ],
    },
  },
  check({ model, report }) {
    const groups = new Map<string, ComponentInstance[]>();
    for (const inst of model.ofType('component')) {
      if (!inst.resource.name) continue;
      const key = `${inst.namespace}\u0000${inst.environment}\u0000${inst.resource.name}`;
      const list = groups.get(key) ?? [];
      list.push(inst);
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      for (const b of list) {
        const earlier = list.filter((a) => a.resource !== b.resource && canCoexist(a, b) && later(b, a));
        if (earlier.length === 0) continue;
        const first = earlier.reduce((x, y) => (later(x, y) ? y : x));
        const [file, line] = position(first);
        report({
          message: `Component "${b.resource.name}" is defined twice in ${describeNamespace(b.namespace)} (also ${file}:${line}): only one of them can be loaded.`,
          at: resourceAnchor(b),
          related: [{ at: resourceAnchor(first), label: 'the other definition' }],
          on: b,
          path: 'metadata.name',
        });
      }
    }
  },
};
