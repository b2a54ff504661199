// Settings that turn a component's transport security or its peer
// verification off, per component type: knowledge for DAPR501
// (component-tls-disabled). Written by us from the TLS/insecure column of
// dapr-security-facts.md §5.2 (components-contrib `c23900d2760d`; paths are
// relative to dapr/components-contrib) and the DAPR501 row of rules.md.
//
// Three kinds of evidence, all *explicit* settings (a component that merely
// omits `enableTLS` is only reported under the rule's `requireTLS` option,
// see missingTlsOptIn):
//   1. a toggle field with a risky value (`enableTLS: "false"`,
//      `skipVerify: "true"`, `authType: none`, `publicAccessLevel: blob`);
//   2. a plaintext URL scheme (`http://`, `redis://`, …) to a host that is
//      not loopback;
//   3. a connection-string parameter (`sslmode=disable`, `encrypt=disable`,
//      `TrustServerCertificate=true`, MongoDB `tls=false`, MySQL
//      `tls=skip-verify`).
// Descriptions never quote the value.
import { isTruthy } from './annotations.js';
import { canonicalComponentType } from './component-types.js';
import { classifyLiteral, findUrls, parseConnectionParams, placeholderKind, type ValueRange } from './metadata-values.js';

// ---------------------------------------------------------------------------
// Loopback

/**
 * Is `host` (no port; brackets and a trailing dot allowed) the local
 * machine? `localhost`, `127.0.0.0/8`, `::1` in any spelling (`[::1]`,
 * `0:0:0:0:0:0:0:1`) and IPv4-mapped `::ffff:127.x.y.z`.
 *
 * Deliberately *not* loopback:
 * - `host.docker.internal` / `host.containers.internal`: they resolve to the
 *   host's address on a bridge or VM network, so the traffic leaves the
 *   container's loopback interface and crosses a (virtual) network;
 * - `0.0.0.0` / `::`: the "any" address; as a destination it works only by
 *   accident of the OS, and as a listen address it is public (DAPR301);
 * - `*.localhost` subdomains: Go's resolver does not special-case them.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const zone = h.indexOf('%');
  if (zone !== -1) h = h.slice(0, zone);
  if (h === 'localhost') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4 !== null) return v4.slice(1).every((o) => Number(o) <= 255) && Number(v4[1]) === 127;
  if (!h.includes(':')) return false;
  let normalised: string;
  try {
    normalised = new URL(`http://[${h}]/`).hostname;
  } catch {
    return false;
  }
  return normalised === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(normalised);
}

/** Strip `user@`, a path and a port from one `host[:port]` item. */
function hostOfItem(item: string): string {
  let s = item.trim();
  const at = s.lastIndexOf('@');
  if (at !== -1) s = s.slice(at + 1);
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    return close === -1 ? s : s.slice(0, close + 1);
  }
  const slash = s.indexOf('/');
  if (slash !== -1) s = s.slice(0, slash);
  const colons = (s.match(/:/g) ?? []).length;
  if (colons === 1) s = s.slice(0, s.indexOf(':'));
  return s; // several colons and no brackets: a bare IPv6 address
}

/**
 * The hosts a value names: from each URL's authority (multi-host URLs
 * included), else from a `host[:port]` list separated by commas, semicolons
 * or whitespace (`redisHost: "a:6379,b:6379"`, etcd `endpoints`, Cassandra
 * `hosts`).
 */
export function extractHosts(value: string): string[] {
  const urls = findUrls(value);
  if (urls.length > 0) {
    return urls.flatMap((u) => u.hosts.map((r) => hostOfItem(value.slice(r.start, r.end)))).filter((h) => h !== '');
  }
  return value
    .split(/[\s,;]+/)
    .map(hostOfItem)
    .filter((h) => h !== '');
}

export type HostState = 'loopback' | 'remote' | 'unknown';

/**
 * Where a host field points: `loopback` when every host is local, `remote`
 * when any host is not, `unknown` when the value is missing, empty, a
 * placeholder, or names no host we can read. Rules should treat `unknown`
 * like `remote`: a templated host is what production manifests look like.
 */
export function classifyHosts(value: string | null | undefined): HostState {
  if (value === null || value === undefined || value.trim() === '') return 'unknown';
  if (placeholderKind(value) !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return 'unknown';
  const hosts = extractHosts(value);
  if (hosts.length === 0) return 'unknown';
  let unknown = false;
  for (const h of hosts) {
    if (/[{}$<>]/.test(h)) unknown = true;
    else if (!isLoopbackHost(h)) return 'remote';
  }
  return unknown ? 'unknown' : 'loopback';
}

// ---------------------------------------------------------------------------
// URL schemes

/** Plaintext schemes and the secure counterpart to suggest. */
export const PLAINTEXT_SCHEMES: Readonly<Record<string, string>> = Object.freeze({
  http: 'https',
  tcp: 'ssl', // MQTT (paho): tcp:// is plaintext, ssl:// / tls:// / mqtts:// are TLS
  mqtt: 'mqtts',
  ws: 'wss',
  amqp: 'amqps',
  nats: 'tls',
  pulsar: 'pulsar+ssl',
  redis: 'rediss',
  couchbase: 'couchbases', // state.couchbase couchbaseURL
});

/** Schemes that are fine: TLS by construction. */
export const SECURE_SCHEMES: ReadonlySet<string> = new Set(['https', 'ssl', 'tls', 'mqtts', 'wss', 'amqps', 'pulsar+ssl', 'rediss', 'couchbases']);

export interface PlaintextUrl {
  readonly scheme: string;
  readonly secureScheme: string;
  /** The scheme's characters, e.g. `http` of `http://…`. */
  readonly schemeRange: ValueRange;
  /** The whole URL token. */
  readonly urlRange: ValueRange;
  readonly hostState: HostState;
}

/**
 * Plaintext-scheme URLs in a value, whatever their host (filter on
 * `hostState`). Only URLs that start the value or follow whitespace, `,`,
 * `;` or `=` count, so a URL quoted inside a policy text does not.
 */
export function findPlaintextUrls(value: string): PlaintextUrl[] {
  const out: PlaintextUrl[] = [];
  for (const url of findUrls(value)) {
    const secureScheme = PLAINTEXT_SCHEMES[url.scheme];
    if (secureScheme === undefined || !url.standalone) continue;
    const hostText = url.hosts.map((r) => value.slice(r.start, r.end)).join(',');
    out.push({
      scheme: url.scheme,
      secureScheme,
      schemeRange: { start: url.start, end: url.start + url.scheme.length },
      urlRange: { start: url.start, end: url.end },
      hostState: classifyHosts(hostText),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Table

export type TransportEffect =
  | 'tls-off' // traffic is plaintext
  | 'verification-off' // TLS without checking the peer's certificate (MITM)
  | 'auth-off' // the server is reached without authentication
  | 'public-access' // data is readable anonymously
  | 'host-key-unchecked'; // SSH without host key verification (MITM)

/** When a toggle's value is risky. Booleans follow daprd's IsTruthy: anything not truthy is false. */
export type RiskyWhen = { readonly kind: 'truthy' } | { readonly kind: 'falsy' } | { readonly kind: 'one-of'; readonly values: readonly string[] };

export interface TransportToggle {
  readonly field: string;
  readonly risky: RiskyWhen;
  readonly effect: TransportEffect;
  /**
   * Only counts when the host is not loopback (rules.md DAPR501: `enableTLS:
   * false` where TLS is off by default, e.g. the `dapr init` Redis on
   * localhost). False for toggles the catalog reports unconditionally.
   */
  readonly loopbackExempt: boolean;
  /** The toggle is ignored by the component when this field is set (legacy settings). */
  readonly ignoredWhenSet?: string;
  /** Message-safe explanation, without the field name. */
  readonly why: string;
}

export type ConnectionDialect = 'libpq' | 'sqlserver' | 'mongodb' | 'mysql';

export interface TransportProfile {
  /** components-contrib metadata.yaml path(s). */
  readonly metadataYaml: readonly string[];
  /** Fields that name the server(s), to judge loopback. */
  readonly hostFields: readonly string[];
  readonly toggles: readonly TransportToggle[];
  /** Fields holding connection strings, with their dialect. */
  readonly connectionStrings: readonly { readonly field: string; readonly dialect: ConnectionDialect }[];
  /** TLS is off unless this field is truthy (for the `requireTLS` option). */
  readonly tlsOptIn?: string;
}

const TRUTHY: RiskyWhen = { kind: 'truthy' };
const FALSY: RiskyWhen = { kind: 'falsy' };
const oneOf = (...values: string[]): RiskyWhen => ({ kind: 'one-of', values });

function toggle(field: string, risky: RiskyWhen, effect: TransportEffect, why: string, options: { loopbackExempt?: boolean; ignoredWhenSet?: string } = {}): TransportToggle {
  return Object.freeze({ field, risky, effect, loopbackExempt: options.loopbackExempt ?? false, ...(options.ignoredWhenSet !== undefined ? { ignoredWhenSet: options.ignoredWhenSet } : {}), why });
}

/** `enableTLS`-style opt-in left false: TLS is off by default for these components. */
const optInOff = (field: string): TransportToggle => toggle(field, FALSY, 'tls-off', 'TLS is off by default and this keeps it off: the connection is plaintext', { loopbackExempt: true });

const SKIP_VERIFY_WHY = 'the server certificate is not verified, so anyone on the path can impersonate the server';

interface ProfileRow {
  readonly types: readonly string[];
  readonly metadataYaml: readonly string[];
  readonly hostFields?: readonly string[];
  readonly toggles?: readonly TransportToggle[];
  readonly connectionStrings?: readonly { readonly field: string; readonly dialect: ConnectionDialect }[];
  readonly tlsOptIn?: string;
}

const ROWS: readonly ProfileRow[] = [
  {
    types: ['state.redis', 'pubsub.redis', 'bindings.redis', 'configuration.redis', 'lock.redis'],
    metadataYaml: ['state/redis/metadata.yaml', 'pubsub/redis/metadata.yaml', 'bindings/redis/metadata.yaml', 'configuration/redis/metadata.yaml', 'lock/redis/metadata.yaml'],
    hostFields: ['redisHost'],
    toggles: [optInOff('enableTLS'), toggle('insecureSkipTLSVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY)],
    tlsOptIn: 'enableTLS',
  },
  {
    types: ['pubsub.kafka', 'bindings.kafka'],
    metadataYaml: ['pubsub/kafka/metadata.yaml', 'bindings/kafka/metadata.yaml'],
    hostFields: ['brokers'],
    toggles: [
      toggle('disableTls', TRUTHY, 'tls-off', 'TLS to the brokers is turned off: the connection is plaintext'),
      toggle('skipVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
      toggle('authType', oneOf('none'), 'auth-off', 'the brokers are used without authentication'),
      // Legacy: read only when authType is absent (CC common/component/kafka/metadata.go).
      toggle('authRequired', FALSY, 'auth-off', 'the brokers are used without authentication (legacy setting)', { ignoredWhenSet: 'authType' }),
    ],
  },
  {
    types: ['pubsub.rabbitmq'],
    metadataYaml: ['pubsub/rabbitmq/metadata.yaml'],
    hostFields: ['hostname', 'connectionString', 'host'],
    toggles: [toggle('protocol', oneOf('amqp'), 'tls-off', 'AMQP without TLS (amqps) is plaintext', { loopbackExempt: true })],
  },
  { types: ['bindings.rabbitmq'], metadataYaml: ['bindings/rabbitmq/metadata.yaml'], hostFields: ['host'] },
  { types: ['pubsub.mqtt3', 'bindings.mqtt3'], metadataYaml: ['pubsub/mqtt3/metadata.yaml', 'bindings/mqtt3/metadata.yaml'], hostFields: ['url'] },
  {
    types: ['pubsub.pulsar'],
    metadataYaml: ['pubsub/pulsar/metadata.yaml'],
    hostFields: ['host'],
    toggles: [optInOff('enableTLS')],
    tlsOptIn: 'enableTLS',
  },
  { types: ['pubsub.jetstream', 'state.jetstream'], metadataYaml: ['pubsub/jetstream/metadata.yaml', 'state/jetstream/metadata.yaml'], hostFields: ['natsURL'] },
  { types: ['pubsub.solace.amqp'], metadataYaml: ['pubsub/solace/amqp/metadata.yaml'], hostFields: ['url'] },
  {
    types: ['bindings.aws.s3'],
    metadataYaml: ['bindings/aws/s3/metadata.yaml'],
    hostFields: ['endpoint'],
    toggles: [
      toggle('disableSSL', TRUTHY, 'tls-off', 'requests to the object store are sent over plain HTTP'),
      toggle('insecureSSL', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
    ],
  },
  {
    types: ['secretstores.hashicorp.vault'],
    metadataYaml: ['secretstores/hashicorp/vault/metadata.yaml'],
    hostFields: ['vaultAddr'],
    toggles: [toggle('skipVerify', TRUTHY, 'verification-off', `${SKIP_VERIFY_WHY}; secrets and the Vault token cross that path`)],
  },
  {
    types: ['state.postgresql', 'configuration.postgresql', 'state.cockroachdb'],
    metadataYaml: ['state/postgresql/v1/metadata.yaml', 'state/postgresql/v2/metadata.yaml', 'configuration/postgres/metadata.yaml', 'state/cockroachdb/metadata.yaml'],
    connectionStrings: [{ field: 'connectionString', dialect: 'libpq' }],
  },
  {
    // The binding also takes the connection string as `url` (older spelling).
    types: ['bindings.postgres'],
    metadataYaml: ['bindings/postgres/metadata.yaml'],
    connectionStrings: [
      { field: 'connectionString', dialect: 'libpq' },
      { field: 'url', dialect: 'libpq' },
    ],
  },
  { types: ['state.mysql'], metadataYaml: ['state/mysql/metadata.yaml'], connectionStrings: [{ field: 'connectionString', dialect: 'mysql' }] },
  { types: ['bindings.mysql'], metadataYaml: ['bindings/mysql/metadata.yaml'], connectionStrings: [{ field: 'url', dialect: 'mysql' }] },
  {
    types: ['state.sqlserver'],
    metadataYaml: ['state/sqlserver/metadata.yaml', 'state/sqlserver/v2/metadata.yaml'],
    connectionStrings: [{ field: 'connectionString', dialect: 'sqlserver' }],
  },
  {
    types: ['state.mongodb'],
    metadataYaml: ['state/mongodb/metadata.yaml'],
    hostFields: ['host', 'server'],
    connectionStrings: [
      { field: 'connectionString', dialect: 'mongodb' },
      { field: 'params', dialect: 'mongodb' },
      { field: 'host', dialect: 'mongodb' },
      { field: 'server', dialect: 'mongodb' },
    ],
  },
  {
    // enableHostVerification is the only TLS switch: when true the component
    // sets gocql SslOpts, otherwise the session is plaintext (CC state/cassandra/cassandra.go).
    types: ['state.cassandra'],
    metadataYaml: ['state/cassandra/metadata.yaml'],
    hostFields: ['hosts'],
    toggles: [optInOff('enableHostVerification')],
    tlsOptIn: 'enableHostVerification',
  },
  { types: ['state.etcd'], metadataYaml: ['state/etcd/metadata.yaml'], hostFields: ['endpoints'], toggles: [optInOff('tlsEnable')], tlsOptIn: 'tlsEnable' },
  {
    types: ['state.hashicorp.consul'],
    metadataYaml: ['state/hashicorp/consul/metadata.yaml'],
    hostFields: ['httpAddr'],
    toggles: [toggle('scheme', oneOf('http'), 'tls-off', 'the Consul API is called over plain HTTP, ACL token included', { loopbackExempt: true })],
  },
  {
    types: ['nameresolution.hashicorp.consul'],
    metadataYaml: ['nameresolution/consul/metadata.yaml'],
    hostFields: ['address'],
    toggles: [
      toggle('scheme', oneOf('http'), 'tls-off', 'the Consul API is called over plain HTTP, ACL token included', { loopbackExempt: true }),
      toggle('insecureSkipVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
    ],
  },
  {
    types: ['state.coherence'],
    metadataYaml: ['state/coherence/metadata.yaml'],
    hostFields: ['serverAddress'],
    toggles: [optInOff('tlsEnabled'), toggle('ignoreInvalidCerts', TRUTHY, 'verification-off', SKIP_VERIFY_WHY)],
    tlsOptIn: 'tlsEnabled',
  },
  {
    types: ['state.rethinkdb', 'bindings.rethinkdb.statechange'],
    metadataYaml: ['state/rethinkdb/metadata.yaml', 'bindings/rethinkdb/statechange/metadata.yaml'],
    hostFields: ['address'],
    toggles: [optInOff('enableTLS')],
    tlsOptIn: 'enableTLS',
  },
  { types: ['state.couchbase'], metadataYaml: ['state/couchbase/metadata.yaml'], hostFields: ['couchbaseURL'] },
  { types: ['state.ravendb'], metadataYaml: ['state/ravendb/metadata.yaml'], hostFields: ['serverURL'] },
  { types: ['bindings.http'], metadataYaml: ['bindings/http/metadata.yaml'], hostFields: ['url'] },
  {
    types: ['bindings.smtp'],
    metadataYaml: ['bindings/smtp/metadata.yaml'],
    hostFields: ['host'],
    toggles: [toggle('skipTLSVerify', TRUTHY, 'verification-off', `${SKIP_VERIFY_WHY}; the SMTP password crosses that path`)],
  },
  {
    types: ['bindings.sftp'],
    metadataYaml: ['bindings/sftp/metadata.yaml'],
    hostFields: ['address'],
    toggles: [toggle('insecureIgnoreHostKey', TRUTHY, 'host-key-unchecked', "the SFTP server's host key is not checked, so anyone on the path can impersonate it")],
  },
  {
    types: ['bindings.zeebe.command', 'bindings.zeebe.jobworker'],
    metadataYaml: ['bindings/zeebe/command/metadata.yaml', 'bindings/zeebe/jobworker/metadata.yaml'],
    hostFields: ['gatewayAddr'],
    toggles: [toggle('usePlainTextConnection', TRUTHY, 'tls-off', 'the gateway connection is plaintext')],
  },
  {
    types: ['state.azure.blobstorage', 'bindings.azure.blobstorage'],
    metadataYaml: ['state/azure/blobstorage/v1/metadata.yaml', 'state/azure/blobstorage/v2/metadata.yaml', 'bindings/azure/blobstorage/metadata.yaml'],
    toggles: [toggle('publicAccessLevel', oneOf('blob', 'container'), 'public-access', 'the container is created with anonymous public read access (the default is none)')],
  },
];

function buildProfiles(rows: readonly ProfileRow[]): Readonly<Record<string, TransportProfile>> {
  const table: Record<string, TransportProfile> = {};
  for (const row of rows) {
    for (const type of row.types) {
      if (table[type] !== undefined) throw new Error(`transport table: ${type} listed twice`);
      table[type] = Object.freeze({
        metadataYaml: Object.freeze([...row.metadataYaml]),
        hostFields: Object.freeze([...(row.hostFields ?? [])]),
        toggles: Object.freeze([...(row.toggles ?? [])]),
        connectionStrings: Object.freeze([...(row.connectionStrings ?? [])]),
        ...(row.tlsOptIn !== undefined ? { tlsOptIn: row.tlsOptIn } : {}),
      });
    }
  }
  return Object.freeze(table);
}

/** Transport-security knowledge per canonical component type. */
export const TRANSPORT_PROFILES: Readonly<Record<string, TransportProfile>> = buildProfiles(ROWS);

export function transportProfileFor(type: string | undefined): TransportProfile | undefined {
  return type === undefined ? undefined : TRANSPORT_PROFILES[canonicalComponentType(type)];
}

/**
 * Toggles whose names are unambiguous in any component: applied when the
 * type's own profile has no toggle of that name (unknown types, or fields
 * our table does not list).
 */
export const GENERIC_TOGGLES: readonly TransportToggle[] = Object.freeze([
  toggle('skipVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('insecureSkipVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('insecureSkipTLSVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('skipTLSVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('tlsSkipVerify', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('ignoreInvalidCerts', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('insecureSSL', TRUTHY, 'verification-off', SKIP_VERIFY_WHY),
  toggle('disableTls', TRUTHY, 'tls-off', 'TLS is turned off: the connection is plaintext'),
  toggle('disableSSL', TRUTHY, 'tls-off', 'TLS is turned off: the connection is plaintext'),
  toggle('usePlainTextConnection', TRUTHY, 'tls-off', 'the connection is plaintext'),
  toggle('insecureIgnoreHostKey', TRUTHY, 'host-key-unchecked', 'the SSH host key is not checked, so anyone on the path can impersonate the server'),
  optInOff('enableTLS'),
  optInOff('tlsEnable'),
  optInOff('tlsEnabled'),
]);

/** Host fields to look at for a type without a profile. */
export const GENERIC_HOST_FIELDS: readonly string[] = Object.freeze([
  'host',
  'hosts',
  'hostname',
  'redisHost',
  'brokers',
  'url',
  'endpoint',
  'endpoints',
  'address',
  'server',
  'serverAddress',
  'natsURL',
  'vaultAddr',
  'httpAddr',
  'gatewayAddr',
  'connectionString',
]);

// ---------------------------------------------------------------------------
// Connection-string parameters

interface DsnToggle {
  readonly key: string;
  readonly values: readonly string[];
  readonly effect: TransportEffect;
  readonly why: string;
}

/**
 * Risky parameters per dialect. Values compare trimmed and lower-cased.
 * - libpq (pgx): `sslmode=disable` never uses TLS, `allow` tries plaintext first.
 * - go-mssqldb: `encrypt=disable` never encrypts; `false`/`optional`/`no`/`0`/`f`
 *   encrypt only the login packet; `TrustServerCertificate=true` skips verification.
 * - MongoDB: `tls=false`/`ssl=false`; `tlsInsecure`, `tlsAllowInvalidCertificates`,
 *   `tlsAllowInvalidHostnames` skip verification.
 * - go-sql-driver/mysql: `tls=false`/`0` plaintext; `skip-verify` and
 *   `preferred` (which also skips verification and may fall back) are weak.
 */
export const CONNECTION_STRING_TOGGLES: Readonly<Record<ConnectionDialect, readonly DsnToggle[]>> = Object.freeze({
  libpq: [{ key: 'sslmode', values: ['disable', 'allow'], effect: 'tls-off', why: 'the PostgreSQL connection may run without TLS' }],
  sqlserver: [
    { key: 'encrypt', values: ['disable', 'false', 'optional', 'no', '0', 'f'], effect: 'tls-off', why: 'SQL Server traffic is not encrypted (at most the login packet is)' },
    { key: 'trustservercertificate', values: ['true', '1', 't'], effect: 'verification-off', why: 'the SQL Server certificate is not verified' },
  ],
  mongodb: [
    { key: 'tls', values: ['false'], effect: 'tls-off', why: 'the MongoDB connection does not use TLS' },
    { key: 'ssl', values: ['false'], effect: 'tls-off', why: 'the MongoDB connection does not use TLS' },
    { key: 'tlsinsecure', values: ['true'], effect: 'verification-off', why: 'the MongoDB server certificate and host name are not verified' },
    { key: 'tlsallowinvalidcertificates', values: ['true'], effect: 'verification-off', why: 'the MongoDB server certificate is not verified' },
    { key: 'tlsallowinvalidhostnames', values: ['true'], effect: 'verification-off', why: 'the MongoDB server host name is not verified' },
  ],
  mysql: [
    { key: 'tls', values: ['false', '0'], effect: 'tls-off', why: 'the MySQL connection does not use TLS' },
    { key: 'tls', values: ['skip-verify', 'preferred'], effect: 'verification-off', why: 'the MySQL server certificate is not verified' },
  ],
});

/** Parameters unambiguous enough to check in any value of any component. */
const GENERIC_DSN_TOGGLES: readonly DsnToggle[] = [CONNECTION_STRING_TOGGLES.libpq[0], CONNECTION_STRING_TOGGLES.sqlserver[1]];

// ---------------------------------------------------------------------------
// Evaluation

/** The literal values of a component's other metadata items, by name as written (matched case-insensitively). */
export type SiblingValues = Readonly<Record<string, string | null | undefined>>;

function lookupField(siblings: SiblingValues, name: string): string | null | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(siblings)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Combined state of several host fields: remote wins, then unknown. Missing fields are skipped; none present → unknown. */
export function hostStateOf(hostFields: readonly string[], siblings: SiblingValues): HostState {
  const states = hostFields.map((f) => lookupField(siblings, f)).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map(classifyHosts);
  if (states.length === 0 || states.includes('remote')) return states.length === 0 ? 'unknown' : 'remote';
  return states.includes('unknown') ? 'unknown' : 'loopback';
}

function isRisky(risky: RiskyWhen, value: string): boolean {
  switch (risky.kind) {
    case 'truthy':
      return isTruthy(value);
    case 'falsy':
      return !isTruthy(value);
    case 'one-of':
      return risky.values.includes(value.trim().toLowerCase());
  }
}

/**
 * Fields whose URL-looking values are identifiers, never dialled: an OIDC
 * audience or issuer (`oidcAudience: http://…` in CC Kafka tests), OAuth scopes.
 */
const URL_IDENTIFIER_FIELD = /(?:audience|audiences|issuer|scopes?)$/i;

export interface TransportIssue extends ValueRange {
  /** The metadata field, as the caller wrote it. */
  readonly field: string;
  readonly effect: TransportEffect;
  /** `table`/`generic`: a toggle; `url-scheme`: a plaintext URL; `connection-string`: a DSN parameter. */
  readonly matchedBy: 'table' | 'generic' | 'url-scheme' | 'connection-string';
  /** Message-safe; never quotes the value. */
  readonly description: string;
  /** Host judgement behind a loopback-exempt issue (the issue is only returned when it is not `loopback`). */
  readonly hostState?: HostState;
  /** Field(s) the host was read from, for a related location. */
  readonly hostFields?: readonly string[];
}

/**
 * Transport-security problems set by one metadata item `field: value` of a
 * component of `type`, given the literal values of its other items (for the
 * host check). Returns only what counts: loopback-exempt settings aimed at
 * loopback hosts are dropped. Placeholders and empty values are never a
 * risky toggle value; a placeholder host counts as unknown (reported).
 * Ranges: the whole trimmed value for toggles, the scheme for URLs, the
 * `key=value` pair for connection-string parameters.
 */
export function findTransportIssues(type: string | undefined, field: string, value: string | null | undefined, siblings: SiblingValues = {}): TransportIssue[] {
  if (value === null || value === undefined || value.trim() === '') return [];
  const profile = transportProfileFor(type);
  const canonical = type === undefined ? 'the component' : canonicalComponentType(type);
  const lower = field.trim().toLowerCase();
  const issues: TransportIssue[] = [];

  // 1. Toggles.
  const own = profile?.toggles.find((t) => t.field.toLowerCase() === lower);
  const generic = own === undefined ? GENERIC_TOGGLES.find((t) => t.field.toLowerCase() === lower) : undefined;
  const chosen = own ?? generic;
  const literal = classifyLiteral(value);
  if (chosen !== undefined && literal.kind === 'literal' && isRisky(chosen.risky, value)) {
    const ignoredBy = chosen.ignoredWhenSet === undefined ? undefined : lookupField(siblings, chosen.ignoredWhenSet);
    if (ignoredBy === undefined || ignoredBy === null || ignoredBy.trim() === '') {
      const hostFields = profile !== undefined && profile.hostFields.length > 0 ? profile.hostFields : GENERIC_HOST_FIELDS;
      const hostState = chosen.loopbackExempt ? hostStateOf(hostFields, siblings) : undefined;
      if (hostState !== 'loopback') {
        issues.push({
          field,
          effect: chosen.effect,
          matchedBy: own !== undefined ? 'table' : 'generic',
          start: literal.start,
          end: literal.end,
          description: `${field} on ${canonical}: ${chosen.why}`,
          ...(hostState !== undefined ? { hostState, hostFields } : {}),
        });
      }
    }
  }

  // 2. Plaintext URL schemes.
  const urls = URL_IDENTIFIER_FIELD.test(field.trim()) ? [] : findPlaintextUrls(value);
  for (const url of urls) {
    if (url.hostState === 'loopback') continue;
    issues.push({
      field,
      effect: 'tls-off',
      matchedBy: 'url-scheme',
      ...url.schemeRange,
      description: `${field} on ${canonical}: a plaintext ${url.scheme}:// URL to a host that is not loopback (use ${url.secureScheme}://)`,
      hostState: url.hostState,
    });
  }

  // 3. Connection-string parameters.
  const dialects = (profile?.connectionStrings ?? []).filter((c) => c.field.toLowerCase() === lower).map((c) => c.dialect);
  const dsnToggles = [...dialects.flatMap((d) => CONNECTION_STRING_TOGGLES[d]), ...GENERIC_DSN_TOGGLES];
  const seen = new Set<string>();
  for (const param of parseConnectionParams(value)) {
    const v = param.value.trim().toLowerCase();
    const hit = dsnToggles.find((t) => t.key === param.key && t.values.includes(v));
    if (hit === undefined) continue;
    const where = `${param.keyRange.start}:${param.valueRange.end}`;
    if (seen.has(where)) continue;
    seen.add(where);
    issues.push({
      field,
      effect: hit.effect,
      matchedBy: 'connection-string',
      start: param.keyRange.start,
      end: param.valueRange.end,
      description: `${field} on ${canonical}: the connection string sets ${param.key}=${v}, so ${hit.why}`,
    });
  }
  return issues;
}

export interface MissingTlsOptIn {
  /** The field that would turn TLS on (`enableTLS`, `tlsEnable`, …). */
  readonly field: string;
  readonly hostState: HostState;
  readonly hostFields: readonly string[];
  readonly description: string;
}

/**
 * For DAPR501's `requireTLS: true` option: the component is of a type whose
 * TLS is off unless a field opts in, that field is absent, and its host is
 * not loopback. An explicit falsy value is findTransportIssues' finding,
 * not this one.
 */
export function missingTlsOptIn(type: string | undefined, siblings: SiblingValues): MissingTlsOptIn | undefined {
  const profile = transportProfileFor(type);
  if (profile?.tlsOptIn === undefined || type === undefined) return undefined;
  if (lookupField(siblings, profile.tlsOptIn) !== undefined) return undefined;
  const hostState = hostStateOf(profile.hostFields, siblings);
  if (hostState === 'loopback') return undefined;
  return {
    field: profile.tlsOptIn,
    hostState,
    hostFields: profile.hostFields,
    description: `${canonicalComponentType(type)} connects without TLS unless ${profile.tlsOptIn} is true, and it is not set`,
  };
}
