// DAPR308 duplicate-app-id: two workloads in one namespace and environment run the same app-id.
import path from 'node:path';
import type { AppInstance } from '../engine/model.js';
import type { Str } from '../engine/resources.js';
import { scalarText } from '../engine/yaml.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApp, describeNamespace } from './helpers.js';
import { enabledApps, isLater, isTemplated, positionOf, settingName, settingPath } from './sidecar-setting-helpers.js';
import type { Rule } from './types.js';

type IdentifiedApp = AppInstance & { app: AppInstance['app'] & { appId: Str } };

function hasAppId(a: AppInstance): a is IdentifiedApp {
  return a.app.appId !== undefined && a.app.appId.value !== '' && !isTemplated(a.app.appId.value);
}

/** The same manifest (or Multi-App Run entry) reached twice is one workload, not two. */
function sameSource(a: AppInstance, b: AppInstance): boolean {
  return a.app === b.app || (a.app.resource !== undefined && a.app.resource === b.app.resource);
}

/**
 * Two manifests of one Kubernetes object (same group, kind and name in one
 * namespace: a template and its rendered copy, an old and a new version) are
 * one workload: applying the second replaces the first.
 */
function sameObject(a: AppInstance, b: AppInstance): boolean {
  const ra = a.app.resource;
  const rb = b.app.resource;
  return ra !== undefined && rb !== undefined && ra.group === rb.group && ra.kind === rb.kind && ra.name !== undefined && ra.name === rb.name;
}

/** The repository says where it runs: a declared namespace, a kustomization, or a self-hosted project. */
function isPlaced(a: AppInstance): boolean {
  return a.via !== undefined || a.app.resource?.declaredNamespace !== undefined;
}

function folderOf(a: IdentifiedApp): string {
  return path.posix.dirname(a.app.appId.pdoc.file.path);
}

/**
 * Two workloads collide when they can run together: not from different
 * kustomize entry points (separate deployments), and either both placed by the
 * repository or side by side in one folder (sample repositories keep one
 * unplaced deploy folder per variant of the same app, each used on its own).
 */
function canCoexist(a: IdentifiedApp, b: IdentifiedApp): boolean {
  if (sameSource(a, b) || sameObject(a, b)) return false;
  if (a.via && b.via && a.via !== b.via) return false;
  return (isPlaced(a) && isPlaced(b)) || folderOf(a) === folderOf(b);
}

/** A Multi-App Run app without appID is known by its folder: say so, or both sides of the pair read alike. */
function describeTwin(a: IdentifiedApp): string {
  if (a.app.source !== 'multi-app-run' || a.app.settings.has('app-id')) return describeApp(a);
  return `the Multi-App Run app in ${scalarText(a.app.appId.node, a.app.appId.pdoc) ?? a.app.appId.value} (no appID: the id is its folder name)`;
}

function groups(apps: IdentifiedApp[]): IdentifiedApp[][] {
  const byKey = new Map<string, IdentifiedApp[]>();
  for (const a of apps) {
    const key = `${a.namespace}\u0000${a.environment}\u0000${a.app.appId.value}`;
    const list = byKey.get(key) ?? [];
    list.push(a);
    byKey.set(key, list);
  }
  return [...byKey.values()].filter((l) => l.length > 1);
}

/** The earliest other workload this one collides with, when this one is the later of the pair. */
function earlierTwin(b: IdentifiedApp, list: IdentifiedApp[]): IdentifiedApp | undefined {
  const earlier = list.filter((a) => canCoexist(a, b) && isLater(b.app.appId, a.app.appId));
  if (earlier.length === 0) return undefined;
  return earlier.reduce((x, y) => (isLater(x.app.appId, y.app.appId) ? y : x));
}

export const rule: Rule = {
  meta: {
    id: 'DAPR308',
    name: 'duplicate-app-id',
    shortDescription: 'Two workloads in the same namespace and environment run the same Dapr app-id.',
    fullDescription:
      'Reports two different workloads (Kubernetes workloads, Multi-App Run apps, compose daprd services) in the same namespace and environment with the same app-id. The finding is reported once, on the later app-id value in (file, line) order, with the earlier one as related location. One manifest reached through several kustomize entry points is one workload, and so are two manifests of the same Kubernetes object (same kind and name in the namespace: applying one replaces the other); workloads from different entry points are separate deployments and are not compared; two manifests that neither a namespace, a kustomization nor a self-hosted project places are compared only when they sit in the same folder. Each Multi-App Run or compose file is its own project.',
    levels: { default: 'error' },
    securitySeverity: 5.0,
    tags: ['security', 'identity', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'The app-id is the identity that scopes, access-control policies, topic scopes and state key prefixes use. Two workloads sharing it share every grant: a low-value worker gets the secrets scoped to the payment service, and calls meant for one reach the other (on Kubernetes the operator creates a single `<app-id>-dapr` Service, selecting the pods of whichever Deployment it saw first).',
      fix: 'Give each workload its own app-id and grant each only what it needs. If the two are versions of one app (blue/green, canary), deploy them from separate overlays or namespaces.',
      incorrect: [
        {
          files: {
            'deploy/orders.yaml': deployment('orders', daprAnnotations('orders'), { namespace: 'shop' }),
            'deploy/orders-worker.yaml': deployment('orders-worker', daprAnnotations('orders'), { namespace: 'shop' }),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/orders.yaml': deployment('orders', daprAnnotations('orders'), { namespace: 'shop' }),
            'deploy/orders-worker.yaml': deployment('orders-worker', daprAnnotations('orders-worker'), { namespace: 'shop' }),
          },
        },
      ],
      notes: [
        'Self-hosted projects are compared per file: each Multi-App Run template and each compose project is its own pseudo-namespace. A Multi-App Run app without `appID` uses its folder name, so two apps in folders with the same name collide too.',
        'Dapr\'s operator creates the `<app-id>-dapr` Service only when none exists (dapr/dapr pkg/operator/handlers/dapr_handler.go `ensureDaprServicePresent`), with the selector of the first Deployment it reconciles.',
        'App-ids built at render time (`{{ }}`, `${VAR}`) are not compared.',
        'Unlike DAPR104, two manifests of one Kubernetes object (same group, kind, name and namespace) are never a pair: whichever is applied last replaces the other, so they cannot run side by side (in the corpus: Helm-free "base templates" next to their rendered copies, and a manifest that no kustomization deploys next to the one that does).',
      ],
    },
  },
  check({ model, report }) {
    const identified = enabledApps(model.apps).filter(hasAppId);
    for (const list of groups(identified)) {
      for (const b of list) {
        const a = earlierTwin(b, list);
        if (!a) continue;
        const [file, line] = positionOf(a.app.appId);
        report({
          message: `App-id "${b.app.appId.value}" of ${describeTwin(b)} is also run by ${describeTwin(a)} (${file}:${line}) in ${describeNamespace(b.namespace)}: Dapr cannot tell the two apart, so they share every scope, access-control grant and state key prefix, and calls addressed to the id reach whichever of the two Dapr resolves. Give each its own ${settingName(b.app, 'app-id')}.`,
          at: b.app.appId,
          related: [{ at: a.app.appId, label: 'the other workload with this app-id' }],
          on: b,
          path: settingPath(b.app, 'app-id'),
        });
      }
    }
  },
};
