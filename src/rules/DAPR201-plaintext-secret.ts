// DAPR201 plaintext-secret: a credential written as a literal `value:` in a
// Component, an HTTPEndpoint header or clientTLS key, or a Configuration otel
// header. Which fields are credentials is knowledge/credentials.ts; this rule
// walks the resources, points at the secret and says where it is, never what.
import type { Instance } from '../engine/model.js';
import type { ResourceOf } from '../engine/resources.js';
import { assessCredentialValue, type EmbeddedCredentialKind, findEmbeddedCredentials, matchCredentialHeader, type SecretFinding } from '../knowledge/credentials.js';
import type { ValueRange } from '../knowledge/metadata-values.js';
import { describeEmbedded, embeddedPathSuffix, headerCredentialRange, isLiteralSecret, looksLikeFilePath } from './credential-text.js';
import { component } from './examples.js';
import { clientTlsPrivateKey, componentSettings, endpointHeaders, type HeaderEntry, otelHeaders, pointAt, type ValueSlot } from './metadata-slots.js';
import type { Rule, RuleContext } from './types.js';

type ComponentInstance = Instance<ResourceOf<'component'>>;

const EXPOSED = 'Anyone who can read the repository can use it.';

/** `Component "cache" (state.redis)`, `HTTPEndpoint "payments"`. */
function owner(inst: Instance): string {
  const r = inst.resource;
  const type = r.type === 'component' && r.specType ? ` (${r.specType.value})` : '';
  return `${r.kind} "${r.name ?? '(unnamed)'}"${type}`;
}

/** What to write instead, for a Component item: secretKeyRef needs a secret store outside Kubernetes. */
function componentAdvice(inst: ComponentInstance, embedded: boolean): string {
  const ref = inst.kubernetes ? 'secretKeyRef (a Kubernetes Secret, or the store named in auth.secretStore)' : 'secretKeyRef (through the secret store named in auth.secretStore)';
  const what = embedded ? 'Move the whole value into a secret and reference it with' : 'Reference it with';
  return `${what} ${ref} or envRef instead, and rotate the credential.`;
}

/** Embedded credentials are named by construct and counted per kind, for stable fingerprints. */
function embeddedParts(text: string, findings: readonly { basis: SecretFinding['basis']; start: number; end: number }[]): Array<{ range: ValueRange; detail: string; suffix: string }> {
  const counts = new Map<string, number>();
  const out: Array<{ range: ValueRange; detail: string; suffix: string }> = [];
  for (const f of findings) {
    if (f.basis === 'table' || f.basis === 'heuristic') continue;
    const kind: EmbeddedCredentialKind = f.basis;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    const range = { start: f.start, end: f.end };
    if (!isLiteralSecret(text.slice(f.start, f.end))) continue;
    out.push({ range, detail: describeEmbedded(text, kind, range), suffix: embeddedPathSuffix(text, kind, range, n) });
  }
  return out;
}

/** A whole value that is key material: a literal, and not the path of a key file. */
function isWholeSecret(text: string): boolean {
  return isLiteralSecret(text) && !looksLikeFilePath(text);
}

function checkComponent(ctx: RuleContext, inst: ComponentInstance): void {
  const c = inst.resource;
  for (const s of componentSettings(c)) {
    if (s.slot === undefined || s.slot.text === null) continue;
    const text = s.slot.text;
    const assessment = assessCredentialValue(c.canonicalType, s.item.name, text);
    const findings = assessment.findings.filter((f) => f.rule === 'plaintext-secret');
    const where = `${owner(inst)}: metadata item "${s.item.name}"`;
    const whole = findings.find((f) => f.basis === 'table' || f.basis === 'heuristic');
    if (whole !== undefined && assessment.field !== undefined && isWholeSecret(text.slice(whole.start, whole.end))) {
      ctx.report({
        message: `${where} is a credential written in plain text (${assessment.field.description}). ${EXPOSED} ${componentAdvice(inst, false)}`,
        at: pointAt(s.slot, whole),
        on: inst,
        path: `${s.path}.value`,
      });
    }
    for (const part of embeddedParts(text, findings)) {
      ctx.report({
        message: `${where} embeds a credential in plain text: ${part.detail}. ${EXPOSED} ${componentAdvice(inst, true)}`,
        at: pointAt(s.slot, part.range),
        on: inst,
        path: `${s.path}.value${part.suffix}`,
      });
    }
  }
}

/**
 * A header whose name says it carries a credential is reported over the
 * credential (after `Bearer `/`Basic `); any other header only when its value
 * embeds one (a URL with user:password@).
 */
function checkHeader(ctx: RuleContext, inst: Instance, header: HeaderEntry, place: { label: string; list: string }): void {
  const slot: ValueSlot | undefined = header.slot;
  if (slot === undefined || slot.text === null) return;
  const text = slot.text;
  const where = `${owner(inst)}: ${place.label} "${header.name}" (${place.list})`;
  const advice = 'Set the header with secretKeyRef or envRef instead of value, and rotate the credential.';
  const named = matchCredentialHeader(header.name);
  if (named !== undefined) {
    const range = headerCredentialRange(text);
    if (range === undefined) return;
    ctx.report({ message: `${where} sends a credential written in plain text (${named.description}). ${EXPOSED} ${advice}`, at: pointAt(slot, range), on: inst, path: `${header.path}.value` });
    return;
  }
  const embedded = findEmbeddedCredentials(text).map((e) => ({ basis: e.kind, start: e.start, end: e.end }));
  for (const part of embeddedParts(text, embedded)) {
    ctx.report({ message: `${where} embeds a credential in plain text: ${part.detail}. ${EXPOSED} ${advice}`, at: pointAt(slot, part.range), on: inst, path: `${header.path}.value${part.suffix}` });
  }
}

function checkClientTls(ctx: RuleContext, inst: Instance<ResourceOf<'httpendpoint'>>): void {
  const slot = clientTlsPrivateKey(inst);
  if (slot === undefined || slot.text === null || !isWholeSecret(slot.text)) return;
  ctx.report({
    message: `${owner(inst)}: spec.clientTLS.privateKey.value is the client TLS private key written in plain text. Anyone who can read the repository can impersonate this client. Use privateKey.secretKeyRef instead (clientTLS takes no envRef), and rotate the key.`,
    at: pointAt(slot),
    on: inst,
    path: 'spec.clientTLS.privateKey.value',
  });
}

const POSTGRES_URL = 'host=orders-db port=5432 user=orders password=Xq7vR2pL dbname=orders sslmode=require';

export const rule: Rule = {
  meta: {
    id: 'DAPR201',
    name: 'plaintext-secret',
    shortDescription: 'A credential is written as a literal value in a Dapr resource.',
    fullDescription:
      'Reports a credential written as a literal `value:` in a Component `spec.metadata` item, an HTTPEndpoint `spec.headers` entry or `spec.clientTLS.privateKey`, or a Configuration `spec.tracing.otel.headers` entry; and a password or key embedded in any metadata value: `scheme://user:password@host`, a connection-string `password=`/`Pwd=`/`AccountKey=`/`SharedAccessKey=` parameter, a MySQL DSN `user:password@tcp(…)`. Credential fields come from the per-type catalog (components-contrib `sensitive` fields, the credential fields it does not flag, built-in auth profiles; aliases such as `state.postgres` resolved), else from a name heuristic (`…password`, `…secret`, `…token`, `…key`, …). Headers named `Authorization`, `Proxy-Authorization`, `X-API-Key`, `Api-Key` or matching the heuristic count. Placeholders (`{{ }}`, `${VAR}`, `$(VAR)`, `<…>`) and empty values do not. The finding points at the secret itself and the message never repeats it.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 8.5,
    tags: ['security', 'secrets', 'components'],
    precision: 'high',
    docs: {
      why: 'A literal `value:` is stored as-is: in Git, in every fork and clone, in CI logs, and in the Component object that anyone allowed to read Dapr resources in the namespace can get. A password in a connection string is just as exposed as one in its own field.',
      fix: 'Keep the credential in a Kubernetes Secret (or any Dapr secret store) and reference it with `secretKeyRef` — naming the store in `auth.secretStore` when it is not the Kubernetes one — or read it from the sidecar environment with `envRef`. For a connection string, move the whole string into the secret. HTTPEndpoint `clientTLS` keys take `secretKeyRef` only. Then rotate the credential: it stays in the repository history.',
      incorrect: [
        {
          title: 'A password in its own field',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  value: "Xq7vR2pL9wK"'],
              tail: ['scopes:', '  - task-api'],
            }),
          },
        },
        {
          title: 'A password inside a connection string',
          files: {
            'production/orders-store.yaml': component('orders-store', 'state.postgres', { namespace: 'production', metadata: ['- name: connectionString', `  value: "${POSTGRES_URL}"`], tail: ['scopes:', '  - orders'] }),
          },
        },
        {
          title: 'An Authorization header',
          files: {
            'production/payments.yaml': [
              'apiVersion: dapr.io/v1alpha1',
              'kind: HTTPEndpoint',
              'metadata:',
              '  name: payments',
              '  namespace: production',
              'spec:',
              '  baseUrl: https://api.payments.example.com',
              '  headers:',
              '    - name: Authorization',
              '      value: "Bearer Xq7vR2pL9wK"',
              '',
            ].join('\n'),
          },
        },
      ],
      correct: [
        {
          title: 'secretKeyRef and envRef',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'],
              tail: ['scopes:', '  - task-api'],
            }),
            'production/orders-store.yaml': component('orders-store', 'state.postgres', { namespace: 'production', metadata: ['- name: connectionString', '  envRef: ORDERS_PG_DSN'], tail: ['scopes:', '  - orders'] }),
          },
        },
        {
          title: 'Placeholders filled in at deploy time',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  value: "${REDIS_PASSWORD}"'],
              tail: ['scopes:', '  - task-api'],
            }),
          },
        },
      ],
      notes: [
        'Field names match the way components-contrib decodes metadata: case-insensitively, with its aliases (`storageAccessKey` for `accountKey`, `private_key` for `privateKey`). A field the per-type catalog lists as an identifier (`redisUsername`, `cfAccountID`) or a certificate (`clientCert`) is not a secret; known non-credential names (`partitionKey`, `routingKey`, `publicKey`, `projectKey`…) and boolean toggles (`useServiceToken`) are exempt from the heuristic.',
        'A connection field (`connectionString`, `url`, a RabbitMQ `host`) is reported only when it embeds a credential, and then over the credential alone: an empty password, a user alone, or a placeholder password is not one. Percent-encoded passwords are judged decoded.',
        'An `Authorization` header is reported over the credential after its scheme word (`Bearer`, `Basic`, …).',
        'Fill-in markers are not credentials either: a whole value (or credential part) that is an upper-case `{NAME}` (`Bearer {API_TOKEN}`), a `$((name))` test template, or a `REPLACE_…`/`your-…` word. A value that is a key file name or path (`private.key`, `/etc/keys/client.key`) is not key material.',
        'A PEM private key written inline is also DAPR207\'s finding (committed-private-key), which reports PEM keys wherever they are.',
      ],
    },
  },
  check(ctx) {
    const { model } = ctx;
    for (const inst of model.ofType('component')) checkComponent(ctx, inst);
    for (const inst of model.ofType('httpendpoint')) {
      for (const header of endpointHeaders(inst)) checkHeader(ctx, inst, header, { label: 'header', list: 'spec.headers' });
      checkClientTls(ctx, inst);
    }
    for (const inst of model.ofType('configuration')) {
      for (const header of otelHeaders(inst)) checkHeader(ctx, inst, header, { label: 'OpenTelemetry exporter header', list: 'spec.tracing.otel.headers' });
    }
  },
};
