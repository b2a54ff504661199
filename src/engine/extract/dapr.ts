// extract: dapr.io documents → Component, Configuration, Subscription,
// Resiliency, HTTPEndpoint. Only apiVersion group `dapr.io` counts: a
// Backstage or Kustomize `kind: Component` is not a Dapr Component.
import { canonicalComponentType } from '../../knowledge/component-types.js';
import type { DaprResourceBase, MetadataItem, Resource, ResourceBase, Scopes, Str } from '../resources.js';
import { asMap, child, mapEntries, pairOf, type ParsedDoc, seqItems, type YNode } from '../yaml.js';
import { str, text } from './kubernetes.js';

export const DAPR_GROUP = 'dapr.io';

function scopesOf(pdoc: ParsedDoc, root: YNode): Scopes | undefined {
  const pair = pairOf(asMap(root, pdoc), 'scopes', pdoc);
  if (!pair) return undefined;
  const items: Str[] = [];
  for (const item of seqItems(pair.value, pdoc)) {
    const s = text(pdoc, item);
    if (s) items.push(s);
  }
  return { pair, items };
}

function daprBase(base: ResourceBase): DaprResourceBase {
  const { pdoc, root } = base;
  const spec = asMap(child(root, 'spec', pdoc), pdoc);
  const misplaced: DaprResourceBase['misplacedScopes'] = [];
  const inSpec = pairOf(spec, 'scopes', pdoc);
  if (inSpec) misplaced.push({ where: 'spec', pair: inSpec });
  const inMeta = pairOf(base.metadata, 'scopes', pdoc);
  if (inMeta) misplaced.push({ where: 'metadata', pair: inMeta });
  const out: DaprResourceBase = { ...base, misplacedScopes: misplaced };
  const scopes = scopesOf(pdoc, root);
  if (scopes) out.scopes = scopes;
  if (spec) out.spec = spec;
  return out;
}

export function metadataItems(pdoc: ParsedDoc, list: YNode): MetadataItem[] {
  const out: MetadataItem[] = [];
  for (const node of seqItems(list, pdoc)) {
    const item = asMap(node, pdoc);
    if (!item) continue;
    const nameNode = child(item, 'name', pdoc);
    const name = text(pdoc, nameNode);
    if (!name) continue;
    const m: MetadataItem = { name: name.value, nameNode, item };
    const valuePair = pairOf(item, 'value', pdoc);
    if (valuePair) {
      m.valuePair = valuePair;
      m.value = valuePair.value;
    }
    const refPair = pairOf(item, 'secretKeyRef', pdoc);
    if (refPair) {
      const ref: NonNullable<MetadataItem['secretKeyRef']> = { pair: refPair };
      const n = text(pdoc, child(refPair.value, 'name', pdoc));
      const k = text(pdoc, child(refPair.value, 'key', pdoc));
      if (n) ref.name = n;
      if (k) ref.key = k;
      m.secretKeyRef = ref;
    }
    const env = text(pdoc, child(item, 'envRef', pdoc));
    if (env) m.envRef = env;
    out.push(m);
  }
  return out;
}

/**
 * `auth.secretStore` of a Component or HTTPEndpoint. Self-hosted daprd decodes
 * manifests with encoding/json, which matches field names case-insensitively,
 * so `auth.secretstore` names a store too (sigs.k8s.io/yaml in
 * pkg/internal/loader/disk/manifest.go); the exact spelling wins.
 */
function authSecretStoreOf(pdoc: ParsedDoc, root: YNode): Str | undefined {
  const entries = mapEntries(child(root, 'auth', pdoc), pdoc);
  const entry = entries.find((e) => e.key === 'secretStore') ?? entries.find((e) => e.key.toLowerCase() === 'secretstore');
  return entry ? text(pdoc, entry.value) : undefined;
}

export function daprResource(base: ResourceBase): Resource {
  const d = daprBase(base);
  const { pdoc } = base;
  switch (base.kind) {
    case 'Component': {
      const specType = text(pdoc, child(d.spec, 'type', pdoc));
      const version = text(pdoc, child(d.spec, 'version', pdoc));
      const secretStore = authSecretStoreOf(pdoc, d.root);
      return {
        type: 'component',
        ...d,
        ...(specType ? { specType, canonicalType: canonicalComponentType(specType.value) } : {}),
        ...(version ? { version } : {}),
        ...(secretStore ? { secretStore } : {}),
        metadataItems: metadataItems(pdoc, child(d.spec, 'metadata', pdoc)),
      };
    }
    case 'Configuration':
      return { type: 'configuration', ...d };
    case 'Subscription': {
      const pubsubname = str(pdoc, child(d.spec, 'pubsubname', pdoc));
      const topic = str(pdoc, child(d.spec, 'topic', pdoc));
      return { type: 'subscription', ...d, ...(pubsubname ? { pubsubname } : {}), ...(topic ? { topic } : {}) };
    }
    case 'Resiliency': {
      const apps = child(child(d.spec, 'targets', pdoc), 'apps', pdoc);
      const targetApps = mapEntries(apps, pdoc).map((e) => ({ value: e.key, pdoc, node: e.pair.key }));
      return { type: 'resiliency', ...d, targetApps };
    }
    case 'HTTPEndpoint': {
      const baseUrl = str(pdoc, child(d.spec, 'baseUrl', pdoc));
      const secretStore = authSecretStoreOf(pdoc, d.root);
      return { type: 'httpendpoint', ...d, ...(baseUrl ? { baseUrl } : {}), ...(secretStore ? { secretStore } : {}) };
    }
    default:
      return { type: 'dapr-other', ...d };
  }
}
