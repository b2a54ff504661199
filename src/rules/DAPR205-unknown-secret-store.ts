// DAPR205 unknown-secret-store: auth.secretStore names a secret store that does not exist in the namespace.
import type { Instance, Model } from '../engine/model.js';
import { metadataItems } from '../engine/extract/dapr.js';
import type { ResourceOf, Str } from '../engine/resources.js';
import { child, childPath } from '../engine/yaml.js';
import { isSecretStoreType } from '../knowledge/component-types.js';
import { isTemplated } from './app-references.js';
import { authSecretStore } from './secret-references.js';
import { component, docs } from './examples.js';
import { describe, describeNamespace, nearest, resourceAnchor } from './helpers.js';
import type { Rule, RuleContext } from './types.js';

/** The store daprd registers on its own, in Kubernetes mode only (pkg/runtime appendBuiltinSecretStore). */
const BUILTIN_STORE = 'kubernetes';

interface StoreReference {
  inst: Instance;
  store: Str;
  /** Whether the resource has secretKeyRefs that need the store today. */
  usesStore: boolean;
}

function storeReferences(model: Model): StoreReference[] {
  const out: StoreReference[] = [];
  for (const inst of model.ofType('component')) {
    const store = authSecretStore(inst);
    if (store) out.push({ inst, store, usesStore: inst.resource.metadataItems.some((m) => m.secretKeyRef !== undefined) });
  }
  for (const inst of model.ofType('httpendpoint')) {
    const store = authSecretStore(inst);
    if (store) out.push({ inst, store, usesStore: endpointHasSecretRefs(inst) });
  }
  return out.filter((r) => r.store.value !== '' && !isTemplated(r.store.value));
}

/** Headers and clientTLS keys are the secretKeyRefs of an HTTPEndpoint. */
function endpointHasSecretRefs(inst: Instance<ResourceOf<'httpendpoint'>>): boolean {
  const { pdoc, spec } = inst.resource;
  if (metadataItems(pdoc, child(spec, 'headers', pdoc)).some((m) => m.secretKeyRef !== undefined)) return true;
  return ['rootCA', 'certificate', 'privateKey'].some((f) => childPath(spec, ['clientTLS', f, 'secretKeyRef'], pdoc) !== undefined);
}

/** Other namespaces that define a secret store of this name: a likely cause. */
function namespacesWithStore(model: Model, name: string, namespace: string): string[] {
  const found = model.ofType('component').filter((c) => c.namespace !== namespace && c.resource.name === name && isSecretStoreType(c.resource.canonicalType));
  return [...new Set(found.map((c) => c.namespace))].sort();
}

function consequence(ref: StoreReference): string {
  // pkg/runtime/processor/secret.go: a resource whose store is not loaded waits for it.
  return ref.usesStore
    ? 'daprd cannot resolve its secretKeyRefs and holds it back until a store of that name loads'
    : 'it has no secretKeyRef today, but any it gets will not resolve';
}

function subject(ref: StoreReference): string {
  return `${describe(ref.inst)} reads its secrets from store "${ref.store.value}"`;
}

function reportNotAStore(ctx: RuleContext, ref: StoreReference, other: Instance<ResourceOf<'component'>>): void {
  const name = ref.store.value;
  ctx.report({
    message: `${subject(ref)}, but "${name}" is a ${other.resource.specType?.value ?? 'non-secret-store'} component, not a secret store: ${consequence(ref)}. Name a secretstores.* component.`,
    at: ref.store,
    on: ref.inst,
    path: 'auth.secretStore',
    related: [{ at: resourceAnchor(other), label: `component "${name}"` }],
  });
}

function reportMissingStore(ctx: RuleContext, ref: StoreReference, stores: string[]): void {
  const { inst, store } = ref;
  const name = store.value;
  let message = `${subject(ref)}, which no secretstores.* Component defines in ${describeNamespace(inst.namespace)}`;
  if (!inst.kubernetes && name === BUILTIN_STORE) message += ' (the built-in "kubernetes" store exists only on Kubernetes)';
  message += `: ${consequence(ref)}.`;
  const suggestion = nearest(name, stores);
  if (suggestion) message += ` Did you mean "${suggestion}"?`;
  const other = namespacesWithStore(ctx.model, name, inst.namespace);
  if (other.length) message += ` A secret store "${name}" exists in ${other.map(describeNamespace).join(', ')}; a resource only sees the stores of its own namespace.`;
  message += ' Define the secret store there or correct the name.';
  ctx.report({ message, at: store, on: inst, path: 'auth.secretStore' });
}

function judge(ctx: RuleContext, ref: StoreReference): void {
  const { inst, store } = ref;
  if (inst.kubernetes && store.value === BUILTIN_STORE) return;
  const here = ctx.model.components(inst.namespace);
  const named = here.filter((c) => c.resource.name === store.value);
  if (named.some((c) => isSecretStoreType(c.resource.canonicalType))) return;
  if (named.length > 0) return reportNotAStore(ctx, ref, named[0]);
  reportMissingStore(ctx, ref, here.filter((c) => isSecretStoreType(c.resource.canonicalType)).map((c) => c.resource.name ?? ''));
}

const vault = component('vault', 'secretstores.hashicorp.vault', {
  metadata: ['- name: vaultAddr', '  value: https://vault.internal:8200', '- name: vaultTokenMountPath', '  value: /var/run/secrets/vault/token'],
  tail: ['scopes: [task-api]'],
});

const statestore = (store: string): string =>
  component('statestore', 'state.redis', {
    metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  secretKeyRef: { name: redis-password, key: redis-password }'],
    tail: ['auth:', `  secretStore: ${store}`, 'scopes: [task-api]'],
  });

export const rule: Rule = {
  meta: {
    id: 'DAPR205',
    name: 'unknown-secret-store',
    shortDescription: 'auth.secretStore names a secret store that no Component defines in the namespace.',
    fullDescription:
      'Reports a Component or HTTPEndpoint whose `auth.secretStore` names no `secretstores.*` Component in its namespace (or names a component of another type). The built-in `kubernetes` store is accepted on Kubernetes; in a self-hosted project (Multi-App Run, compose) it does not exist and must be defined like any other store. daprd resolves the resource\'s `secretKeyRef`s through that store, and holds the resource back until a store of that name loads.',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['correctness', 'secrets'],
    precision: 'high',
    docs: {
      why: 'A component whose secret store does not exist never gets its credentials: daprd waits for the store, and the component does not initialise. A typo in the store name, or a store renamed or moved to another namespace, is the usual cause. Hand-patching the component with literal credentials to make it work is the risky "fix" this rule wants to prevent.',
      fix: 'Correct `auth.secretStore`, or define the secret store Component in the same namespace. On Kubernetes, leave `auth.secretStore` out (or set `kubernetes`) to read Kubernetes Secrets.',
      incorrect: [{ files: { 'deploy/components.yaml': docs(vault, statestore('vualt')) } }],
      correct: [
        { files: { 'deploy/components.yaml': docs(vault, statestore('vault')) } },
        { title: 'The built-in Kubernetes store', files: { 'deploy/components.yaml': statestore('kubernetes') } },
      ],
      notes: [
        'The built-in `kubernetes` store is registered only in Kubernetes mode (dapr/dapr pkg/runtime, appendBuiltinSecretStore), so in a self-hosted project `auth.secretStore: kubernetes` is reported unless the project defines a store of that name. The catalog accepts `kubernetes` everywhere; Dapr\'s source does not.',
        'HTTPEndpoints have `auth.secretStore` too and resolve their header and clientTLS `secretKeyRef`s through it (pkg/runtime/processor/secret.go handles both kinds), so they are judged the same way.',
        'Self-hosted daprd decodes manifests with Go\'s encoding/json (through sigs.k8s.io/yaml, pkg/internal/loader/disk/manifest.go), which matches field names case-insensitively: `auth.secretstore` names a store there, and is read here too (on Kubernetes the API server rejects that spelling, because the CRD requires `auth.secretStore`).',
        'Scopes are not considered: a store that exists but is scoped away from the apps that load the component is a different mistake.',
      ],
    },
  },
  check(ctx) {
    for (const ref of storeReferences(ctx.model)) judge(ctx, ref);
  },
};
