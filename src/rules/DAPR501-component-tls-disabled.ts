// DAPR501 component-tls-disabled: a Component turns transport security or
// peer verification off — a toggle, a plaintext URL scheme, a connection-string
// parameter. What counts per type is knowledge/transport-security.ts; this rule
// says which setting does it and where the traffic goes (the host situation).
import type { Instance } from '../engine/model.js';
import type { NodeRef, ResourceOf } from '../engine/resources.js';
import { isFalsy } from '../knowledge/annotations.js';
import { findUrls, parseConnectionParams } from '../knowledge/metadata-values.js';
import {
  classifyHosts,
  CONNECTION_STRING_TOGGLES,
  findTransportIssues,
  GENERIC_HOST_FIELDS,
  GENERIC_TOGGLES,
  type HostState,
  hostStateOf,
  missingTlsOptIn,
  PLAINTEXT_SCHEMES,
  type SiblingValues,
  type TransportEffect,
  type TransportIssue,
  type TransportToggle,
  transportProfileFor,
} from '../knowledge/transport-security.js';
import { component } from './examples.js';
import { resourceAnchor } from './helpers.js';
import { type ComponentSetting, componentSettings, pointAt, siblingValues } from './metadata-slots.js';
import type { Rule, RuleContext } from './types.js';

type ComponentInstance = Instance<ResourceOf<'component'>>;

/** What the component's settings say about its host(s). */
interface HostContext {
  /** Host fields of the type (or the generic list) that the component writes, by name as written. */
  present: ComponentSetting[];
  fields: readonly string[];
  siblings: SiblingValues;
}

function hostContext(inst: ComponentInstance, settings: readonly ComponentSetting[], siblings: SiblingValues): HostContext {
  const profile = transportProfileFor(inst.resource.canonicalType);
  const fields = profile !== undefined && profile.hostFields.length > 0 ? profile.hostFields : GENERIC_HOST_FIELDS;
  const lower = new Set(fields.map((f) => f.toLowerCase()));
  return { present: settings.filter((s) => lower.has(s.item.name.toLowerCase())), fields, siblings };
}

/**
 * One sentence on where the connection goes. `holders` are the metadata items
 * that name the host: the component's host fields for a toggle, the value
 * itself for a URL or a connection string.
 */
function hostSentence(state: HostState, holders: readonly string[]): string {
  const named = holders.length > 0 ? ` (${holders.join(', ')})` : '';
  switch (state) {
    case 'remote':
      return `Its host${named} is not loopback, so the traffic crosses the network.`;
    case 'loopback':
      return `Its host${named} is loopback, but this setting is reported whatever the host.`;
    case 'unknown':
      return holders.length > 0 ? `Its host${named} is templated or set by reference, so it may well be remote.` : 'Its host is not written in the manifest.';
  }
}

/**
 * The server a connection string names: libpq `host=`, ADO `Server=`/`Data
 * Source=` (without `tcp:` and the `,port`), a MySQL DSN `tcp(host:port)`, or
 * the authority of a URL. Undefined when it names none (MongoDB `params`).
 */
function connectionHostState(text: string): HostState | undefined {
  if (findUrls(text).length > 0) return classifyHosts(text);
  const param = parseConnectionParams(text).find((p) => ['host', 'hostaddr', 'server', 'data source', 'address', 'addr'].includes(p.key));
  if (param !== undefined) return classifyHosts(param.value.replace(/^(?:tcp|np|lpc|admin):/i, '').split(',')[0]);
  const mysql = /@[A-Za-z0-9]*\(([^()]*)\)/.exec(text);
  return mysql === null ? undefined : classifyHosts(mysql[1]);
}

/** The toggle behind an issue: the type's own, else the generic one of that name. */
function toggleFor(inst: ComponentInstance, field: string): TransportToggle | undefined {
  const lower = field.trim().toLowerCase();
  const own = transportProfileFor(inst.resource.canonicalType)?.toggles.find((t) => t.field.toLowerCase() === lower);
  return own ?? GENERIC_TOGGLES.find((t) => t.field.toLowerCase() === lower);
}

/**
 * How the message states the risky value. Only values the toggle's own
 * definition lists are quoted: a toggle value is never a secret, but a value
 * that is merely "not truthy" could be anything.
 */
function statedValue(toggle: TransportToggle, value: string): string {
  switch (toggle.risky.kind) {
    case 'truthy':
      return 'is true';
    case 'falsy':
      return isFalsy(value) ? 'is false' : 'is not a true value (daprd reads anything but y/yes/true/t/on/1 as false)';
    case 'one-of':
      return `is "${value.trim().toLowerCase()}"`;
  }
}

const ADVICE: Readonly<Record<TransportEffect, string>> = {
  'tls-off': 'Turn TLS on for this connection (and serve TLS on the server).',
  'verification-off': "Remove the setting and let the component verify the server: give it the server's CA instead.",
  'auth-off': 'Configure authentication (for Kafka, authType password, mtls, oidc or awsiam) and give the credential with secretKeyRef.',
  'public-access': 'Set publicAccessLevel to none and grant access with Azure AD or SAS tokens instead.',
  'host-key-unchecked': "Pin the server's host key with hostPublicKey or knownHostsFile and remove the setting.",
};

interface Described {
  what: string;
  hostState: HostState;
  /** Items that name the host; the value itself for URLs and connection strings. */
  holders: readonly string[];
  /** A toggle's host lives in other items: list them as related locations. */
  related: boolean;
  suffix: string;
}

/** The setting, what it does, whose host to judge, and a fingerprint suffix, per kind of issue. */
function describeIssue(inst: ComponentInstance, s: ComponentSetting, text: string, issue: TransportIssue, n: number, host: HostContext): Described | undefined {
  const item = `metadata item "${s.item.name}"`;
  if (issue.matchedBy === 'url-scheme') {
    const scheme = text.slice(issue.start, issue.end).toLowerCase();
    const secure = PLAINTEXT_SCHEMES[scheme] ?? 'a TLS scheme';
    return { what: `${item} uses a plaintext ${scheme}:// URL (use ${secure}://), so the connection is not encrypted`, hostState: issue.hostState ?? 'unknown', holders: [s.item.name], related: false, suffix: `#${scheme}-url-${n}` };
  }
  if (issue.matchedBy === 'connection-string') {
    // The range runs from the key to the end of the value, without a closing quote (`Encrypt="false`).
    const written = text.slice(issue.start, issue.end);
    const eq = written.indexOf('=');
    const keyAsWritten = written.slice(0, eq).trim();
    const key = keyAsWritten.toLowerCase();
    const valueAsWritten = written
      .slice(eq + 1)
      .trim()
      .replace(/^["'{]/, '');
    const value = valueAsWritten.toLowerCase();
    const setting = `${keyAsWritten}=${valueAsWritten}`;
    const toggle = Object.values(CONNECTION_STRING_TOGGLES)
      .flat()
      .find((t) => t.key === key && t.values.includes(value));
    // The knowledge's sentence covers `allow` too ("may run without TLS"); `disable` is certain.
    const why = key === 'sslmode' && value === 'disable' ? 'the PostgreSQL connection never uses TLS' : (toggle?.why ?? 'transport security is weakened');
    const what = `${item} sets ${setting} in its connection string, so ${why}`;
    const own = connectionHostState(text);
    // Parameters written apart from the address (MongoDB `params`) take the host from the host fields.
    if (own === undefined) return { what, hostState: hostStateOf(host.fields, host.siblings), holders: host.present.map((h) => h.item.name), related: true, suffix: `#${key}` };
    return { what, hostState: own, holders: [s.item.name], related: false, suffix: `#${key}` };
  }
  const toggle = toggleFor(inst, s.item.name);
  if (toggle === undefined) return undefined;
  return { what: `${item} ${statedValue(toggle, text)}: ${toggle.why}`, hostState: issue.hostState ?? hostStateOf(host.fields, host.siblings), holders: host.present.map((h) => h.item.name), related: true, suffix: '' };
}

function hostRelated(host: HostContext): Array<{ at: NodeRef; label: string }> {
  return host.present.flatMap((h) => (h.slot ? [{ at: pointAt(h.slot), label: `the host the component connects to (${h.item.name})` }] : []));
}

function ownerOf(inst: ComponentInstance): string {
  const c = inst.resource;
  return `Component "${c.name ?? '(unnamed)'}"${c.specType ? ` (${c.specType.value})` : ''}`;
}

/**
 * OAuth redirect URLs are handed to the identity provider and opened by the
 * browser; the component never dials them, so their scheme says nothing about
 * the component's own connections (like the audience and issuer fields the
 * knowledge already skips).
 */
const NOT_DIALLED = /redirect(?:url|uri)$/i;

function checkSetting(ctx: RuleContext, inst: ComponentInstance, s: ComponentSetting, host: HostContext): void {
  if (s.slot === undefined || s.slot.text === null) return;
  const text = s.slot.text;
  const counts = new Map<string, number>();
  for (const issue of findTransportIssues(inst.resource.canonicalType, s.item.name, text, host.siblings)) {
    if (issue.matchedBy === 'url-scheme' && NOT_DIALLED.test(s.item.name.trim())) continue;
    const n = (counts.get(issue.matchedBy) ?? 0) + 1;
    counts.set(issue.matchedBy, n);
    const d = describeIssue(inst, s, text, issue, n, host);
    if (d === undefined) continue;
    ctx.report({
      // Public access is about who may read the data, not where the traffic goes.
      message: `${ownerOf(inst)}: ${d.what}. ${issue.effect === 'public-access' ? '' : `${hostSentence(d.hostState, d.holders)} `}${ADVICE[issue.effect]}`,
      at: pointAt(s.slot, issue),
      on: inst,
      path: `${s.path}.value${d.suffix}`,
      related: d.related ? hostRelated(host) : [],
    });
  }
}

/** Option requireTLS: a type whose TLS is opt-in, with the opt-in missing, reported at the component's name. */
function checkMissingOptIn(ctx: RuleContext, inst: ComponentInstance, host: HostContext): void {
  const c = inst.resource;
  const missing = missingTlsOptIn(c.canonicalType, host.siblings);
  if (missing === undefined) return;
  const type = c.specType?.value ?? c.canonicalType ?? 'the component';
  const related = [...(c.specType ? [{ at: { pdoc: c.pdoc, node: c.specType.node }, label: `${type}: TLS is off unless ${missing.field} is true` }] : []), ...hostRelated(host)];
  ctx.report({
    message: `${ownerOf(inst)} does not set ${missing.field}, and ${type} connects without TLS unless ${missing.field} is true (option requireTLS). ${hostSentence(missing.hostState, host.present.map((h) => h.item.name))} Add metadata item ${missing.field} with value "true" and serve TLS on the server.`,
    at: resourceAnchor(inst),
    on: inst,
    path: `spec.metadata[${missing.field}]`,
    related,
  });
}

const REDIS_REMOTE = ['- name: redisHost', '  value: redis-master.production.svc.cluster.local:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'];

export const rule: Rule = {
  meta: {
    id: 'DAPR501',
    name: 'component-tls-disabled',
    shortDescription: 'A Component turns transport security or certificate verification off.',
    fullDescription:
      'Reports a Component setting that turns transport security or its verification off, per type: `enableTLS: false` (or `tlsEnable`, `tlsEnabled`, Cassandra `enableHostVerification`) where TLS is off by default and the host is not loopback; `disableTls`, `disableSSL`, `usePlainTextConnection`; `skipVerify` and its variants; Kafka `authType: none` / `authRequired: false`; SFTP `insecureIgnoreHostKey`; Azure Blob `publicAccessLevel: blob|container`; a plaintext URL (`http://`, `tcp://`, `amqp://`, `nats://`, `pulsar://`, `redis://`, …) to a host that is not loopback; connection-string parameters (`sslmode=disable|allow`, SQL Server `encrypt=disable` / `TrustServerCertificate=true`, MongoDB `tls=false`, MySQL `tls=false|skip-verify`). Only explicit settings count, unless option `requireTLS` is true: then a Component whose TLS is opt-in (Redis, Pulsar, etcd, Coherence, RethinkDB, Cassandra) and that omits the switch is reported at its `metadata.name`. Points at the value, or at the scheme or parameter inside it.',
    levels: { default: 'warning', production: 'error', nonProduction: 'note' },
    securitySeverity: 6.5,
    tags: ['security', 'tls', 'components', 'transport'],
    precision: 'high',
    docs: {
      why: 'Without TLS, credentials and application data cross the network in clear text, readable and changeable by anyone on the path (another pod on the node, a compromised mesh, the cloud network). Without verification, TLS only defends against passive listeners: anyone who can intercept the connection can present any certificate and impersonate the server, collecting the credentials the component sends.',
      fix: 'Turn TLS on (`enableTLS: "true"`, `sslmode=verify-full`, a secure URL scheme such as `rediss://` or `amqps://`) and give the component the server\'s CA rather than skipping verification. Plaintext to `localhost` is accepted for toggles whose TLS is off by default (the `dapr init` Redis).',
      incorrect: [
        {
          title: 'TLS left off for a remote Redis',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: [...REDIS_REMOTE, '- name: enableTLS', '  value: "false"'],
              tail: ['scopes:', '  - task-api'],
            }),
          },
        },
        {
          title: 'sslmode=disable in a connection string',
          files: {
            'production/orders-store.yaml': component('orders-store', 'state.postgresql', {
              namespace: 'production',
              metadata: ['- name: connectionString', '  value: "host=orders-db.production port=5432 user=orders dbname=orders sslmode=disable"'],
              tail: ['scopes:', '  - orders'],
            }),
          },
        },
        {
          title: 'With requireTLS, a Redis component that never turns TLS on',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: REDIS_REMOTE, tail: ['scopes:', '  - task-api'] }),
          },
          config: { rules: { DAPR501: { options: { requireTLS: true } } } },
        },
      ],
      correct: [
        {
          title: 'TLS on, and a local development Redis',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: [...REDIS_REMOTE, '- name: enableTLS', '  value: "true"'],
              tail: ['scopes:', '  - task-api'],
            }),
            'dev/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'dev',
              metadata: ['- name: redisHost', '  value: localhost:6379', '- name: enableTLS', '  value: "false"'],
            }),
          },
        },
        {
          title: 'Without requireTLS, an omitted enableTLS is not reported',
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: REDIS_REMOTE, tail: ['scopes:', '  - task-api'] }),
          },
        },
      ],
      notes: [
        'Booleans are read as daprd reads them: anything that is not y/yes/true/t/on/1 (trimmed, any case) is false, so `enableTLS: "ture"` keeps TLS off. Placeholders (`{{ }}`, `${VAR}`) are not judged.',
        'A host is loopback when every host the component names is `localhost`, `127.0.0.0/8` or `::1`; `host.docker.internal` and `0.0.0.0` are not. A templated host, or one set with secretKeyRef/envRef, counts as possibly remote.',
        'The host fields are read per component type (`redisHost`, `brokers`, `vaultAddr`, `hosts`, …); the message names them and lists them as related locations.',
        'With `requireTLS`, a missing switch is reported at the Component\'s `metadata.name` (the convention for something missing on a resource), with `spec.type` and the host fields as related locations. Types whose TLS is on by default (Kafka) are never reported for a missing switch.',
        'URL-looking values of identifier fields (`oidcAudience`, `issuer`, `scopes`) are not endpoints and are not judged.',
      ],
    },
    options: [
      {
        name: 'requireTLS',
        description: 'Also report Components of types whose TLS is off unless a switch turns it on (`enableTLS`, `tlsEnable`, `tlsEnabled`, `enableHostVerification`) when they omit that switch and their host is not loopback.',
        schema: { type: 'boolean' },
        default: false,
      },
    ],
  },
  check(ctx) {
    const requireTLS = ctx.options.requireTLS === true;
    for (const inst of ctx.model.ofType('component')) {
      const settings = componentSettings(inst.resource);
      const host = hostContext(inst, settings, siblingValues(settings));
      for (const s of settings) checkSetting(ctx, inst, s, host);
      if (requireTLS) checkMissingOptIn(ctx, inst, host);
    }
  },
};
