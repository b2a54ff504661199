// Every place a Kubernetes manifest makes Kubernetes itself (or the Dapr
// operator) read a key of a Secret in its own namespace: Component,
// HTTPEndpoint and Configuration `secretKeyRef`s that the operator resolves,
// and the sidecar annotations that become `env.valueFrom.secretKeyRef` on
// daprd. DAPR204 checks them against the Secrets the repository manages.
import { text } from '../engine/extract/kubernetes.js';
import { metadataItems } from '../engine/extract/dapr.js';
import type { AppInstance, Instance, Model } from '../engine/model.js';
import type { NodeRef, ResourceOf, Str } from '../engine/resources.js';
import { child, childPath, mapEntries, substringOffsets } from '../engine/yaml.js';
import { isTemplated } from './app-references.js';
import { describe, describeApp } from './helpers.js';
import { parseEnvAnnotation, secretSelector } from './sidecar-env.js';

export interface SecretReference {
  secret: string;
  /** The key Kubernetes reads; '' when a required key is left out. */
  key: string;
  /** False when the key was left out (it then defaults, or is required). */
  keyWritten: boolean;
  /** True when leaving the key out is an error (Configuration otel headers). */
  keyRequired: boolean;
  /** Where a "no such Secret" finding points. */
  nameAt: NodeRef;
  /** Where a "no such key" finding points. */
  keyAt: NodeRef;
  on: Instance | AppInstance;
  namespace: string;
  /** Fingerprint path inside the resource. */
  path: string;
  /** Subject of the message: `secretKeyRef of metadata "redisPassword" of Component "statestore"`. */
  what: string;
  /** What goes wrong when the Secret is missing, and when it lacks the key. */
  ifMissing: string;
  ifNoKey: string;
  /** Said when the key is missing and cannot be chosen (token Secrets). */
  keyNote?: string;
}

type Consequence = Pick<SecretReference, 'ifMissing' | 'ifNoKey'>;

const COMPONENT: Consequence = {
  // pkg/operator/api/components.go: a failed Get aborts ListComponents for the whole namespace.
  ifMissing: 'the Dapr operator cannot resolve it and fails to hand components to the sidecars of this namespace',
  // …while a missing key is skipped silently.
  ifNoKey: 'the operator leaves the value empty and the component starts without it',
};
const ENDPOINT: Consequence = {
  ifMissing: 'the Dapr operator cannot resolve it and fails to hand HTTP endpoints to the sidecars of this namespace',
  ifNoKey: 'the operator leaves the value empty',
};
const CONFIGURATION: Consequence = {
  // pkg/operator/api/configurations.go: every failure is an error returned to daprd.
  ifMissing: 'the Dapr operator fails to serve the Configuration, so sidecars that use it do not start',
  ifNoKey: 'the Dapr operator fails to serve the Configuration, so sidecars that use it do not start',
};
const POD: Consequence = {
  ifMissing: 'the kubelet cannot build the daprd container and the pod does not start',
  ifNoKey: 'the kubelet cannot build the daprd container and the pod does not start',
};

/** Dapr resolves `secretKeyRef` through Kubernetes when no store is named, or the built-in `kubernetes` one is. */
function usesKubernetesStore(store: Str | undefined): boolean {
  return !store || store.value === '' || store.value === 'kubernetes';
}

/** `auth.secretStore` of a Component or HTTPEndpoint, as extraction read it. */
export function authSecretStore(inst: Instance<ResourceOf<'component' | 'httpendpoint'>>): Str | undefined {
  return inst.resource.secretStore;
}

/** The `name` and `key` nodes of a `secretKeyRef` map. */
interface RefNodes {
  name?: Str;
  key?: Str;
}

function fromRefNodes(ref: RefNodes, base: Omit<SecretReference, 'secret' | 'key' | 'keyWritten' | 'keyRequired' | 'nameAt' | 'keyAt'>, keyRequired = false): SecretReference | undefined {
  const name = ref.name;
  if (!name || name.value === '' || isTemplated(name.value)) return undefined;
  const key = ref.key && ref.key.value !== '' ? ref.key : undefined;
  if (key && isTemplated(key.value)) return undefined;
  return {
    ...base,
    secret: name.value,
    // The operator reads the key named like the Secret when none is given (components.go, getSecret).
    key: key ? key.value : keyRequired ? '' : name.value,
    keyWritten: key !== undefined,
    keyRequired,
    nameAt: name,
    keyAt: key ?? name,
  };
}

function componentRefs(inst: Instance<ResourceOf<'component'>>): SecretReference[] {
  const c = inst.resource;
  if (!usesKubernetesStore(authSecretStore(inst))) return [];
  const out: SecretReference[] = [];
  for (const item of c.metadataItems) {
    if (!item.secretKeyRef) continue;
    const what = `secretKeyRef of metadata "${item.name}" of ${describe(inst)}`;
    const ref = fromRefNodes(item.secretKeyRef, { on: inst, namespace: inst.namespace, path: `spec.metadata[${item.name}].secretKeyRef`, what, ...COMPONENT });
    if (ref) out.push(ref);
  }
  return out;
}

/** A `{name, key}` map under a parent node, with its nodes. */
function refNodesAt(inst: Instance, parent: unknown): RefNodes | undefined {
  const { pdoc } = inst.resource;
  const node = child(parent, 'secretKeyRef', pdoc);
  if (!node) return undefined;
  const out: RefNodes = {};
  const name = text(pdoc, child(node, 'name', pdoc));
  const key = text(pdoc, child(node, 'key', pdoc));
  if (name) out.name = name;
  if (key) out.key = key;
  return out;
}

function httpEndpointRefs(inst: Instance<ResourceOf<'httpendpoint'>>): SecretReference[] {
  const e = inst.resource;
  const { pdoc } = e;
  if (!usesKubernetesStore(authSecretStore(inst))) return [];
  const out: SecretReference[] = [];
  const base = { on: inst, namespace: inst.namespace, ...ENDPOINT };
  for (const item of metadataItems(pdoc, child(e.spec, 'headers', pdoc))) {
    if (!item.secretKeyRef) continue;
    const ref = fromRefNodes(item.secretKeyRef, { ...base, path: `spec.headers[${item.name}].secretKeyRef`, what: `secretKeyRef of header "${item.name}" of ${describe(inst)}` });
    if (ref) out.push(ref);
  }
  for (const field of ['rootCA', 'certificate', 'privateKey']) {
    const nodes = refNodesAt(inst, childPath(e.spec, ['clientTLS', field], pdoc));
    if (!nodes) continue;
    const ref = fromRefNodes(nodes, { ...base, path: `spec.clientTLS.${field}.secretKeyRef`, what: `secretKeyRef of clientTLS.${field} of ${describe(inst)}` });
    if (ref) out.push(ref);
  }
  return out;
}

function configurationRefs(inst: Instance<ResourceOf<'configuration'>>): SecretReference[] {
  const { pdoc, spec } = inst.resource;
  const out: SecretReference[] = [];
  // The operator always reads these from Kubernetes: a Configuration has no auth.secretStore.
  for (const item of metadataItems(pdoc, childPath(spec, ['tracing', 'otel', 'headers'], pdoc))) {
    if (!item.secretKeyRef) continue;
    const what = `secretKeyRef of otel header "${item.name}" of ${describe(inst)}`;
    const ref = fromRefNodes(item.secretKeyRef, { on: inst, namespace: inst.namespace, path: `spec.tracing.otel.headers[${item.name}].secretKeyRef`, what, ...CONFIGURATION }, true);
    if (ref) out.push(ref);
  }
  return out;
}

const TOKEN_ANNOTATIONS = ['api-token-secret', 'app-token-secret'];

function tokenRefs(a: AppInstance): SecretReference[] {
  const out: SecretReference[] = [];
  for (const name of TOKEN_ANNOTATIONS) {
    const ann = a.app.pod?.annotations.get(`dapr.io/${name}`);
    const secret = ann?.text.trim();
    if (!ann || !secret || isTemplated(secret)) continue;
    const at = { pdoc: ann.pdoc, node: ann.valueNode };
    // The injector always reads key "token" (sidecar_container.go).
    out.push({
      secret,
      key: 'token',
      keyWritten: true,
      keyRequired: false,
      nameAt: at,
      keyAt: at,
      on: a,
      namespace: a.namespace,
      path: `annotations.dapr.io/${name}`,
      what: `dapr.io/${name} of ${describeApp(a)}`,
      keyNote: 'The injector always reads the key "token"; it cannot be configured.',
      ...POD,
    });
  }
  return out;
}

function envFromSecretRefs(a: AppInstance): SecretReference[] {
  const ann = a.app.pod?.annotations.get('dapr.io/env-from-secret');
  if (!ann) return [];
  const out: SecretReference[] = [];
  for (const entry of parseEnvAnnotation(ann.text)) {
    if (entry.droppedByInjector) continue;
    const sel = secretSelector(entry.value);
    if (!sel || isTemplated(sel.secret) || isTemplated(sel.key)) continue;
    const offsets = substringOffsets(ann.pdoc, ann.valueNode, entry.start, entry.end - entry.start);
    const at: NodeRef = { pdoc: ann.pdoc, node: ann.valueNode, ...(offsets ? { offsets } : {}) };
    const what = `dapr.io/env-from-secret entry "${entry.name}" of ${describeApp(a)}`;
    out.push({ ...sel, keyRequired: false, nameAt: at, keyAt: at, on: a, namespace: a.namespace, path: `annotations.dapr.io/env-from-secret[${entry.name}]`, what, ...POD });
  }
  return out;
}

/** Every Secret reference that Kubernetes resolves in the referencing resource's namespace. */
export function secretReferences(model: Model): SecretReference[] {
  const out: SecretReference[] = [];
  // Self-hosted daprd resolves secretKeyRef through a secret store, never through a Kubernetes Secret.
  for (const inst of model.ofType('component')) if (inst.kubernetes) out.push(...componentRefs(inst));
  for (const inst of model.ofType('httpendpoint')) if (inst.kubernetes) out.push(...httpEndpointRefs(inst));
  for (const inst of model.ofType('configuration')) if (inst.kubernetes) out.push(...configurationRefs(inst));
  for (const a of model.apps) {
    // Only the injector reads these annotations, and only for pods it injects.
    if (!a.kubernetes || !a.app.enabled || !a.app.pod) continue;
    out.push(...tokenRefs(a), ...envFromSecretRefs(a));
  }
  return out;
}
