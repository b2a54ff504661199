// Every place a Dapr resource names an app-id: scopes, ACL policies,
// Resiliency targets, pub/sub topic scopes. DAPR102 and DAPR106 judge them.
import type { Instance, Model } from '../engine/model.js';
import type { NodeRef } from '../engine/resources.js';
import { child, childPath, seqItems, substringOffsets, scalarText } from '../engine/yaml.js';

export interface AppReference {
  appId: string;
  /** Where the id is written. */
  at: NodeRef;
  /** Namespace in which the id must run (an ACL policy names the caller's). */
  namespace: string;
  /** The resource that holds the reference. */
  inst: Instance;
  /** What kind of reference, for messages and fingerprints. */
  what: 'scope' | 'acl-policy' | 'resiliency-target' | 'topic-scope';
  path: string;
}

/** Parses `app1=t1,t2;app2=` (pub/sub publishingScopes/subscriptionScopes) into app-ids with their offsets. */
export function topicScopeApps(value: string): Array<{ appId: string; start: number }> {
  const out: Array<{ appId: string; start: number }> = [];
  let pos = 0;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    const id = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (id) out.push({ appId: id, start: pos + part.indexOf(id) });
    pos += part.length + 1;
  }
  return out;
}

export function isTemplated(value: string): boolean {
  return value.includes('{{') || value.includes('${') || value.includes('$(');
}

export function appReferences(model: Model): AppReference[] {
  const out: AppReference[] = [];
  for (const inst of model.instances) {
    const r = inst.resource;
    const { pdoc } = r;
    if ('scopes' in r && r.scopes) {
      r.scopes.items.forEach((s, i) => out.push({ appId: s.value, at: s, namespace: inst.namespace, inst, what: 'scope', path: `scopes[${i}]` }));
    }
    if (r.type === 'resiliency') {
      for (const t of r.targetApps) out.push({ appId: t.value, at: t, namespace: inst.namespace, inst, what: 'resiliency-target', path: `spec.targets.apps.${t.value}` });
    }
    if (r.type === 'configuration') {
      seqItems(childPath(r.root, ['spec', 'accessControl', 'policies'], pdoc), pdoc).forEach((p, i) => {
        const idNode = child(p, 'appId', pdoc);
        const id = scalarText(idNode, pdoc);
        const ns = scalarText(child(p, 'namespace', pdoc), pdoc);
        if (!id || !ns || !inst.kubernetes) return;
        out.push({ appId: id, at: { pdoc, node: idNode }, namespace: ns, inst, what: 'acl-policy', path: `spec.accessControl.policies[${i}].appId` });
      });
    }
    if (r.type === 'component' && r.canonicalType?.startsWith('pubsub.')) {
      for (const item of r.metadataItems) {
        if (item.name !== 'publishingScopes' && item.name !== 'subscriptionScopes') continue;
        const value = scalarText(item.value, pdoc);
        if (!value) continue;
        for (const { appId, start } of topicScopeApps(value)) {
          const offsets = substringOffsets(pdoc, item.value, start, appId.length);
          out.push({ appId, at: { pdoc, node: item.value, ...(offsets ? { offsets } : {}) }, namespace: inst.namespace, inst, what: 'topic-scope', path: `spec.metadata[${item.name}].${appId}` });
        }
      }
    }
  }
  return out.filter((ref) => ref.appId && !isTemplated(ref.appId));
}
