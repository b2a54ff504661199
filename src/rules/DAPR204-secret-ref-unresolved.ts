// DAPR204 secret-ref-unresolved: a reference to a Kubernetes Secret that the repository manages, but that is missing or lacks the key.
import type { Model, SecretSource } from '../engine/model.js';
import { child, stringValue } from '../engine/yaml.js';
import { component, daprAnnotations, deployment, docs } from './examples.js';
import { describeNamespace, nearest, quoteList } from './helpers.js';
import { type SecretReference, secretReferences } from './secret-references.js';
import { placedOf, SecretScope } from './secret-scope.js';
import type { Rule, RuleContext } from './types.js';

const secret = (name: string, keys: string[]): string =>
  ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, 'type: Opaque', 'stringData:', ...keys.map((k) => `  ${k}: "{{ from-the-vault }}"`), ''].join('\n');

const sealed = (name: string, keys: string[]): string =>
  ['apiVersion: bitnami.com/v1alpha1', 'kind: SealedSecret', 'metadata:', `  name: ${name}`, 'spec:', '  encryptedData:', ...keys.map((k) => `    ${k}: AgBy3i4OJSWK+PiTySYZZA==`), ''].join('\n');

const statestore = (secretName: string, key: string): string =>
  component('statestore', 'state.redis', {
    metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', `  secretKeyRef: { name: ${secretName}, key: ${key} }`],
    tail: ['scopes: [task-api]'],
  });

/** Keys the token controller fills into a service-account-token Secret: absent from the manifest, present at run time. */
const SERVICE_ACCOUNT_TOKEN_KEYS = new Set(['token', 'ca.crt', 'namespace']);

function filledByController(src: SecretSource, key: string): boolean {
  if (src.kind !== 'Secret' || !SERVICE_ACCOUNT_TOKEN_KEYS.has(key)) return false;
  const { pdoc } = src.at;
  return stringValue(child(pdoc.doc.contents, 'type', pdoc), pdoc) === 'kubernetes.io/service-account-token';
}

function providesKey(src: SecretSource, key: string): boolean {
  return src.anyKey || src.keys.has(key) || filledByController(src, key);
}

function label(s: SecretSource): string {
  const keys = [...s.keys].sort();
  return `${s.kind} "${s.name}"${keys.length ? ` (keys: ${keys.join(', ')})` : ' (no keys)'}`;
}

/** Namespaces other than `namespace` where a Secret of this name is defined: a likely cause. */
function elsewhere(model: Model, name: string, namespace: string): string[] {
  const kinds = ['secret', 'sealedsecret', 'externalsecret'] as const;
  const found = kinds.flatMap((k) => model.ofType(k)).filter((i) => i.namespace !== namespace && (i.resource.secretName ?? i.resource.name) === name);
  return [...new Set(found.map((i) => i.namespace))].sort();
}

function reportMissingSecret(ctx: RuleContext, ref: SecretReference, sources: SecretSource[]): void {
  let message = `${ref.what} names Secret "${ref.secret}", which the repository does not define in ${describeNamespace(ref.namespace)}: ${ref.ifMissing}.`;
  const suggestion = nearest(ref.secret, new Set(sources.map((s) => s.name)));
  if (suggestion) message += ` Did you mean "${suggestion}"?`;
  const other = elsewhere(ctx.model, ref.secret, ref.namespace);
  if (other.length) message += ` A Secret "${ref.secret}" exists in ${other.map(describeNamespace).join(', ')}; Secrets are only read from the referencing resource's own namespace.`;
  message += ' Define the Secret in this namespace or correct the name.';
  ctx.report({ message, at: ref.nameAt, on: ref.on, path: ref.path });
}

function reportMissingKey(ctx: RuleContext, ref: SecretReference, named: SecretSource[]): void {
  const keys = [...new Set(named.flatMap((s) => [...s.keys]))].sort();
  const has = keys.length ? `it has ${quoteList(keys)}` : 'it has no keys';
  const defaulted = ref.keyWritten ? '' : ` (no key is given, so the key named like the Secret is read)`;
  let message = `${ref.what} reads key "${ref.key}" of Secret "${ref.secret}"${defaulted}, which has no such key (${has}): ${ref.ifNoKey}.`;
  const suggestion = nearest(ref.key, keys);
  if (suggestion) message += ` Did you mean "${suggestion}"?`;
  if (ref.keyNote) message += ` ${ref.keyNote}`;
  message += ' Add the key to the Secret or correct the reference.';
  ctx.report({ message, at: ref.keyAt, on: ref.on, path: ref.path, related: named.map((s) => ({ at: s.at, label: label(s) })) });
}

function reportKeyRequired(ctx: RuleContext, ref: SecretReference): void {
  ctx.report({
    message: `${ref.what} names Secret "${ref.secret}" but no key: the Dapr operator requires one for otel headers and fails to serve the Configuration, so sidecars that use it do not start. Add \`key\`.`,
    at: ref.nameAt,
    on: ref.on,
    path: ref.path,
  });
}

function judge(ctx: RuleContext, scope: SecretScope, ref: SecretReference): void {
  // Broken whatever the Secret holds, so not tied to what the repository knows.
  if (ref.keyRequired && !ref.keyWritten) return reportKeyRequired(ctx, ref);
  // Without a Secret source deployed alongside, the Secrets come from elsewhere: the repository cannot know.
  if (!scope.manages(placedOf(ctx.model, ref.on))) return;
  // Any source of the namespace may provide the Secret, deployed alongside or not.
  const sources = ctx.model.secretsIn(ref.namespace);
  const named = sources.filter((s) => s.name === ref.secret);
  if (named.length === 0) return reportMissingSecret(ctx, ref, sources);
  if (named.some((s) => providesKey(s, ref.key))) return;
  reportMissingKey(ctx, ref, named);
}

export const rule: Rule = {
  meta: {
    id: 'DAPR204',
    name: 'secret-ref-unresolved',
    shortDescription: 'A reference names a Kubernetes Secret that the repository manages but that is missing, or that lacks the key.',
    fullDescription:
      'Reports a reference to a Kubernetes Secret of the referencing resource\'s namespace that cannot resolve: a Component `secretKeyRef` resolved by the default `kubernetes` store (no `auth.secretStore`, or `kubernetes`), an HTTPEndpoint header or `clientTLS` `secretKeyRef` (same rule), a Configuration `tracing.otel.headers` `secretKeyRef`, `dapr.io/api-token-secret` and `dapr.io/app-token-secret` (key `token`), and each `dapr.io/env-from-secret` entry (`VAR=secret` or `VAR=secret:key`). It fires when the Secret is missing, or lacks the key. Only judged where the repository manages the Secrets: a Secret, SealedSecret, ExternalSecret or kustomize secretGenerator of the namespace that names the namespace explicitly (as the reference does), or that is deployed alongside the reference (same folder or same kustomize build). Known keys: Secret `data`/`stringData`, SealedSecret `spec.encryptedData`, ExternalSecret `spec.data[].secretKey` (any with `dataFrom`), secretGenerator literals and files (any with env files).',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['correctness', 'secrets'],
    precision: 'high',
    docs: {
      why: 'A secret reference that does not resolve fails late and far from the mistake: a missing Secret makes the Dapr operator fail to hand out components (or the pod fail to start), and a missing key leaves a component without its password, so it connects unauthenticated or not at all. The usual cause is a renamed Secret or key that one side of the reference did not follow.',
      fix: 'Correct the Secret name or key, or add the key to the Secret (or to the SealedSecret / ExternalSecret / secretGenerator that produces it) in the same namespace. API and app token Secrets must hold the key `token`.',
      incorrect: [
        {
          title: 'The component reads a key the Secret does not have',
          files: {
            'deploy/statestore.yaml': statestore('redis', 'redis-password'),
            'deploy/secrets.yaml': sealed('redis', ['password']),
          },
        },
        {
          title: 'The API token Secret lacks the key `token`',
          files: {
            'deploy/task-api.yaml': docs(deployment('task-api', daprAnnotations('task-api', ['dapr.io/api-token-secret: "task-api-token"'])), sealed('task-api-token', ['api-token'])),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/statestore.yaml': statestore('redis', 'redis-password'),
            'deploy/secrets.yaml': sealed('redis', ['redis-password']),
            'deploy/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/api-token-secret: "task-api-token"', 'dapr.io/env-from-secret: "REDIS_PASSWORD=redis:redis-password"'])),
              secret('task-api-token', ['token']),
            ),
          },
        },
      ],
      notes: [
        'A `secretKeyRef` without `key` reads the key named like the Secret (dapr/dapr pkg/operator/api/components.go), and so does an env-from-secret entry without `:key` (pkg/injector/patcher/sidecar_container.go, createSecretSource).',
        'Dapr\'s operator resolves HTTPEndpoint headers and `clientTLS` references the same way as Component metadata (pkg/operator/api/httpendpoints.go), and Configuration `tracing.otel.headers` always through Kubernetes, with `key` required (pkg/operator/api/configurations.go): those count too, beyond the catalog\'s list. An otel header `secretKeyRef` without `key` is reported in every namespace, whatever the repository knows about its Secret, because the operator rejects it whatever the Secret holds.',
        'env-from-secret entries are split the way the injector splits them: at a comma followed by `NAME=`; an entry whose value holds `=` or more than one `:` is dropped by the injector and not judged.',
        'A Secret of type `kubernetes.io/service-account-token` gets `token`, `ca.crt` and `namespace` from the token controller, so those keys count as present.',
        'Kubernetes Secrets are only read from the referencing resource\'s own namespace; when a Secret of that name exists in another namespace, the message says so.',
        'The catalog judges every namespace in which the repository defines a Secret source. Namespaces that are only the fallback (`default`, for resources that name none) say nothing about where things are applied: in a monorepo of samples, one sample\'s Secret would make every other sample\'s references look broken. So a Secret source vouches for a reference only when both name the namespace explicitly (`metadata.namespace` or kustomize `namespace`), or when they live in the same folder or the same kustomize build. A Secret that exists anywhere in the namespace still satisfies a reference.',
        'A Component or HTTPEndpoint whose `auth` names another store, in any spelling of `secretStore` (self-hosted daprd reads `secretstore` too), is not judged: its references go to that store (DAPR205 checks that it exists).',
        'Self-hosted components resolve `secretKeyRef` through a secret store, not a Kubernetes Secret, and are not judged here. Secrets created outside the repository (Helm charts, operators such as cert-manager) cannot be seen: a namespace without any Secret source in the repository is not judged.',
      ],
    },
  },
  check(ctx) {
    const scope = new SecretScope(ctx.model);
    for (const ref of secretReferences(ctx.model)) judge(ctx, scope, ref);
  },
};
