// Which Component metadata fields carry credentials, per component type, and
// whether a literal value holds one. Knowledge for DAPR201 (plaintext-secret)
// and DAPR202 (empty-credential). Written by us from the components-contrib
// metadata.yaml files as summarised in dapr-security-facts.md §5 (CC
// `c23900d2760d`); paths below are relative to dapr/components-contrib.
//
// Three sources make up a type's credential fields (§5.1):
//   1. `sensitive: true` items of its metadata.yaml, auth profiles included;
//   2. credential fields the yaml does *not* flag (marked † in §5.2) —
//      Vault `vaultToken`, MySQL/MongoDB `connectionString`, Consul
//      `aclToken`, … — the reason the `sensitive` flag alone is not enough;
//   3. the built-in auth profiles it references
//      (CC .build-tools/builtin-authentication-profiles.yaml).
// Fields outside the table fall back to a name heuristic (§5.2, last
// paragraph) minus a list of known non-credential names.
//
// Nothing returned here ever contains a value or part of one: descriptions
// are built from field names, component types and fixed words only.
import { canonicalComponentType } from './component-types.js';
import { classifyLiteral, findUrls, type LiteralClass, parseConnectionParams, parseMysqlDsn, percentDecode, placeholderKind, type ValueRange } from './metadata-values.js';

// ---------------------------------------------------------------------------
// Types

export type AuthProfileName = 'azuread' | 'aws' | 'gcp';

/**
 * What a credential field's value is:
 * - `secret`: the value itself is the secret (password, token, private key);
 * - `connection`: an address or connection string that *may* embed a secret
 *   (`amqp://user:pass@…`, `Password=…`); a literal is a finding only when
 *   findEmbeddedCredentials finds one in it;
 * - `identifier`: names an account or user, not secret by itself (listed †);
 * - `certificate`: a public certificate that components-contrib flags
 *   `sensitive` together with its key; the key field is the secret.
 */
export type CredentialKind = 'secret' | 'connection' | 'identifier' | 'certificate';

/** Where a table entry comes from. */
export type CredentialOrigin =
  | 'sensitive' // `sensitive: true` in the component's metadata.yaml
  | 'unflagged' // credential-bearing but not flagged (§5.2 †)
  | 'auth-profile'; // a built-in auth profile the component references

export interface CredentialFieldSpec {
  /** Field name as components-contrib spells it. */
  readonly name: string;
  /** Other names the component decodes into the same setting (`mapstructurealiases`). */
  readonly aliases?: readonly string[];
  readonly kind: CredentialKind;
  readonly origin: CredentialOrigin;
  /**
   * An empty value means "no authentication" (DAPR202) rather than "use
   * another auth method": true for login passwords and sole-auth tokens
   * (`redisPassword: ""` connects without AUTH). False where empty means a
   * different profile applies (`azureClientSecret: ""` → managed identity,
   * `accessKey: ""` → AWS default credential chain) or is simply optional
   * (`sessionToken`, `clientKey`, `privateKeyPassphrase`).
   */
  readonly emptyDisablesAuth: boolean;
  /** Set for fields that come from a built-in auth profile. */
  readonly profile?: AuthProfileName;
}

export interface ComponentCredentialSpec {
  /** components-contrib metadata.yaml path(s) the entry was written from. */
  readonly metadataYaml: readonly string[];
  /** The component's own credential fields (profiles not included). */
  readonly fields: readonly CredentialFieldSpec[];
  /** Built-in auth profiles the component references. */
  readonly profiles: readonly AuthProfileName[];
}

// ---------------------------------------------------------------------------
// Table builders (keep the table one line per field)

interface FieldOptions {
  readonly aliases?: readonly string[];
  readonly emptyDisablesAuth?: boolean;
}

const LOGIN: FieldOptions = { emptyDisablesAuth: true };

function entry(name: string, kind: CredentialKind, origin: CredentialOrigin, options: FieldOptions = {}): CredentialFieldSpec {
  return Object.freeze({
    name,
    ...(options.aliases !== undefined ? { aliases: Object.freeze([...options.aliases]) } : {}),
    kind,
    origin,
    emptyDisablesAuth: options.emptyDisablesAuth ?? false,
  });
}

/** `sensitive: true`, the value is the secret. */
const sensitive = (name: string, options?: FieldOptions): CredentialFieldSpec => entry(name, 'secret', 'sensitive', options);
/** Not flagged in the yaml (†), but the value is the secret. */
const unflagged = (name: string, options?: FieldOptions): CredentialFieldSpec => entry(name, 'secret', 'unflagged', options);
/** An address / connection string that may embed a credential. */
const connection = (name: string, origin: 'sensitive' | 'unflagged', options?: FieldOptions): CredentialFieldSpec => entry(name, 'connection', origin, options);
const identifier = (name: string, origin: 'sensitive' | 'unflagged'): CredentialFieldSpec => entry(name, 'identifier', origin);
const certificate = (name: string): CredentialFieldSpec => entry(name, 'certificate', 'sensitive');

/** CC .build-tools/builtin-authentication-profiles.yaml: the sensitive items of each profile. */
export const AUTH_PROFILES: Readonly<Record<AuthProfileName, readonly CredentialFieldSpec[]>> = Object.freeze({
  azuread: Object.freeze([
    entry('azureClientSecret', 'secret', 'auth-profile'),
    // "Certificate and private key" (PEM or PFX): the key makes it a secret.
    entry('azureCertificate', 'secret', 'auth-profile'),
    entry('azureCertificatePassword', 'secret', 'auth-profile'),
  ]),
  aws: Object.freeze([
    // The access key *ID*; flagged sensitive upstream and caught by every
    // secret scanner, so it counts like its secretKey companion.
    entry('accessKey', 'secret', 'auth-profile'),
    entry('secretKey', 'secret', 'auth-profile'),
    entry('sessionToken', 'secret', 'auth-profile'),
  ]),
  gcp: Object.freeze([
    // Components decode the service-account JSON names too
    // (`mapstructurealiases`, e.g. CC bindings/gcp/bucket/metadata.go).
    entry('privateKeyID', 'secret', 'auth-profile', { aliases: ['private_key_id'] }),
    entry('privateKey', 'secret', 'auth-profile', { aliases: ['private_key'] }),
  ]),
});

interface TableRow {
  readonly types: readonly string[];
  readonly metadataYaml: readonly string[];
  readonly fields: readonly CredentialFieldSpec[];
  readonly profiles?: readonly AuthProfileName[];
}

// One row per line of the §5.2 table (split where the paths differ). Types
// are canonical (component-types.ts resolves aliases before lookup).
const ROWS: readonly TableRow[] = [
  // Redis family. clientKey is sensitive only in lock.redis; it is the TLS
  // client private key everywhere, so it counts in all five (†).
  {
    types: ['state.redis', 'pubsub.redis', 'bindings.redis', 'configuration.redis'],
    metadataYaml: ['state/redis/metadata.yaml', 'pubsub/redis/metadata.yaml', 'bindings/redis/metadata.yaml', 'configuration/redis/metadata.yaml'],
    fields: [sensitive('redisPassword', LOGIN), sensitive('sentinelPassword', LOGIN), sensitive('oidcClientAssertionKey'), unflagged('clientKey'), identifier('redisUsername', 'unflagged')],
    profiles: ['azuread'],
  },
  {
    types: ['lock.redis'],
    metadataYaml: ['lock/redis/metadata.yaml'],
    fields: [sensitive('redisPassword', LOGIN), sensitive('sentinelPassword', LOGIN), certificate('clientCert'), sensitive('clientKey'), sensitive('oidcClientAssertionKey')],
  },
  {
    types: ['pubsub.kafka', 'bindings.kafka'],
    metadataYaml: ['pubsub/kafka/metadata.yaml', 'bindings/kafka/metadata.yaml'],
    fields: [
      sensitive('saslPassword', LOGIN),
      sensitive('clientKey'),
      sensitive('oidcClientSecret'),
      sensitive('oidcClientAssertionKey'),
      sensitive('awsSecretKey'),
      sensitive('awsSessionToken'),
      unflagged('schemaRegistryAPISecret'),
    ],
    profiles: ['aws'],
  },
  {
    types: ['pubsub.rabbitmq'],
    metadataYaml: ['pubsub/rabbitmq/metadata.yaml'],
    // Older releases read the amqp:// URL from `host`; manifests still use it
    // (e.g. eShopOnDapr), so it is treated as the same field.
    fields: [connection('connectionString', 'sensitive', { aliases: ['host'] }), sensitive('password', LOGIN), certificate('clientCert'), sensitive('clientKey')],
  },
  // `host` is the whole amqp:// connection URL here.
  { types: ['bindings.rabbitmq'], metadataYaml: ['bindings/rabbitmq/metadata.yaml'], fields: [connection('host', 'sensitive')] },
  { types: ['pubsub.mqtt3'], metadataYaml: ['pubsub/mqtt3/metadata.yaml'], fields: [connection('url', 'sensitive'), sensitive('clientKey')] },
  { types: ['bindings.mqtt3'], metadataYaml: ['bindings/mqtt3/metadata.yaml'], fields: [connection('url', 'unflagged'), sensitive('clientKey')] },
  {
    types: ['pubsub.pulsar'],
    metadataYaml: ['pubsub/pulsar/metadata.yaml'],
    // privateKey is the end-to-end encryption key (its publicKey is not secret).
    fields: [connection('host', 'sensitive'), sensitive('token', LOGIN), sensitive('oauth2ClientSecret'), unflagged('privateKey')],
  },
  {
    types: ['pubsub.jetstream', 'state.jetstream'],
    metadataYaml: ['pubsub/jetstream/metadata.yaml', 'state/jetstream/metadata.yaml'],
    fields: [unflagged('token', LOGIN), unflagged('jwt'), unflagged('seedKey'), unflagged('tls_client_key')],
  },
  {
    types: ['pubsub.azure.servicebus.topics', 'pubsub.azure.servicebus.queues', 'bindings.azure.servicebus.queues', 'pubsub.azure.eventhubs', 'bindings.azure.eventhubs'],
    metadataYaml: [
      'pubsub/azure/servicebus/topics/metadata.yaml',
      'pubsub/azure/servicebus/queues/metadata.yaml',
      'bindings/azure/servicebusqueues/metadata.yaml',
      'pubsub/azure/eventhubs/metadata.yaml',
      'bindings/azure/eventhubs/metadata.yaml',
    ],
    fields: [connection('connectionString', 'sensitive')],
    profiles: ['azuread'],
  },
  {
    types: [
      'pubsub.aws.snssqs',
      'bindings.aws.sns',
      'bindings.aws.s3',
      'bindings.aws.dynamodb',
      'bindings.aws.kinesis',
      'bindings.aws.sqs',
      'bindings.aws.ses',
      'secretstores.aws.secretsmanager',
      // The name daprd actually registers (dapr/dapr
      // cmd/daprd/components/secretstores_aws_secretmanager.go); the
      // metadata.yaml spells it `aws.secretsmanager`.
      'secretstores.aws.secretmanager',
      'secretstores.aws.parameterstore',
      'state.aws.dynamodb',
      'conversation.aws.bedrock',
      'nameresolution.aws.cloudmap',
    ],
    metadataYaml: [
      'pubsub/aws/snssqs/metadata.yaml',
      'bindings/aws/{sns,s3,dynamodb,kinesis,sqs,ses}/metadata.yaml',
      'secretstores/aws/secretmanager/metadata.yaml',
      'secretstores/aws/parameterstore/metadata.yaml',
      'state/aws/dynamodb/metadata.yaml',
      'conversation/aws/bedrock/metadata.yaml',
      'nameresolution/aws/cloudmap/metadata.yaml',
    ],
    fields: [],
    profiles: ['aws'],
  },
  {
    types: ['pubsub.gcp.pubsub', 'bindings.gcp.pubsub', 'bindings.gcp.bucket', 'secretstores.gcp.secretmanager'],
    metadataYaml: ['pubsub/gcp/pubsub/metadata.yaml', 'bindings/gcp/pubsub/metadata.yaml', 'bindings/gcp/bucket/metadata.yaml', 'secretstores/gcp/secretmanager/metadata.yaml'],
    fields: [],
    profiles: ['gcp'],
  },
  {
    types: ['secretstores.azure.keyvault', 'crypto.azure.keyvault'],
    metadataYaml: ['secretstores/azure/keyvault/metadata.yaml', 'crypto/azure/keyvault/metadata.yaml'],
    fields: [],
    profiles: ['azuread'],
  },
  // vaultToken is required unless vaultTokenMountPath is used; an empty one
  // makes the store fail to start rather than run unauthenticated.
  { types: ['secretstores.hashicorp.vault'], metadataYaml: ['secretstores/hashicorp/vault/metadata.yaml'], fields: [unflagged('vaultToken')] },
  // Development stores: `secretsFile` is a path, not a credential.
  { types: ['secretstores.local.file', 'secretstores.local.env'], metadataYaml: ['secretstores/local/file/metadata.yaml', 'secretstores/local/env/metadata.yaml'], fields: [] },
  {
    types: ['state.postgresql', 'bindings.postgres', 'configuration.postgresql'],
    metadataYaml: ['state/postgresql/v1/metadata.yaml', 'state/postgresql/v2/metadata.yaml', 'bindings/postgres/metadata.yaml', 'configuration/postgres/metadata.yaml'],
    fields: [connection('connectionString', 'sensitive'), unflagged('password', LOGIN)],
    profiles: ['azuread', 'aws'],
  },
  { types: ['state.mysql'], metadataYaml: ['state/mysql/metadata.yaml'], fields: [connection('connectionString', 'unflagged')] },
  { types: ['bindings.mysql'], metadataYaml: ['bindings/mysql/metadata.yaml'], fields: [connection('url', 'unflagged')] },
  {
    types: ['state.sqlserver'],
    metadataYaml: ['state/sqlserver/metadata.yaml', 'state/sqlserver/v2/metadata.yaml'],
    fields: [connection('connectionString', 'sensitive')],
    profiles: ['azuread'],
  },
  {
    types: ['state.mongodb'],
    metadataYaml: ['state/mongodb/metadata.yaml'],
    // host/server may be full mongodb:// URIs with user:password@ (†).
    fields: [sensitive('password', LOGIN), connection('connectionString', 'unflagged'), connection('host', 'unflagged'), connection('server', 'unflagged')],
  },
  { types: ['state.cassandra'], metadataYaml: ['state/cassandra/metadata.yaml'], fields: [sensitive('password', LOGIN)] },
  { types: ['state.cockroachdb'], metadataYaml: ['state/cockroachdb/metadata.yaml'], fields: [connection('connectionString', 'sensitive')] },
  {
    types: ['state.azure.cosmosdb', 'bindings.azure.cosmosdb'],
    metadataYaml: ['state/azure/cosmosdb/metadata.yaml', 'bindings/azure/cosmosdb/metadata.yaml'],
    fields: [sensitive('masterKey')],
    profiles: ['azuread'],
  },
  {
    types: ['state.azure.blobstorage', 'bindings.azure.blobstorage'],
    metadataYaml: ['state/azure/blobstorage/v1/metadata.yaml', 'state/azure/blobstorage/v2/metadata.yaml', 'bindings/azure/blobstorage/metadata.yaml'],
    // `storageAccessKey` is the older spelling the components still decode.
    fields: [connection('connectionString', 'sensitive'), sensitive('accountKey', { aliases: ['storageAccessKey'] })],
    profiles: ['azuread'],
  },
  {
    types: ['state.azure.tablestorage', 'bindings.azure.storagequeues'],
    metadataYaml: ['state/azure/tablestorage/metadata.yaml', 'bindings/azure/storagequeues/metadata.yaml'],
    fields: [sensitive('accountKey', { aliases: ['storageAccessKey'] })],
    profiles: ['azuread'],
  },
  // `key` is the TLS client private key (†).
  { types: ['state.etcd'], metadataYaml: ['state/etcd/metadata.yaml'], fields: [unflagged('key')] },
  { types: ['state.hashicorp.consul'], metadataYaml: ['state/hashicorp/consul/metadata.yaml'], fields: [unflagged('aclToken', LOGIN)] },
  {
    types: ['nameresolution.hashicorp.consul'],
    metadataYaml: ['nameresolution/consul/metadata.yaml'],
    fields: [sensitive('queryToken'), sensitive('token', LOGIN), sensitive('password', LOGIN)],
  },
  { types: ['state.coherence'], metadataYaml: ['state/coherence/metadata.yaml'], fields: [unflagged('tlsClientKey')] },
  {
    types: ['state.rethinkdb', 'bindings.rethinkdb.statechange'],
    metadataYaml: ['state/rethinkdb/metadata.yaml', 'bindings/rethinkdb/statechange/metadata.yaml'],
    fields: [sensitive('authKey', LOGIN), sensitive('clientKey')],
  },
  { types: ['state.couchbase'], metadataYaml: ['state/couchbase/metadata.yaml'], fields: [unflagged('password', LOGIN)] },
  // `keyPath` is a file path, not a credential.
  { types: ['state.ravendb'], metadataYaml: ['state/ravendb/metadata.yaml'], fields: [connection('connectionString', 'unflagged')] },
  { types: ['state.oracledatabase'], metadataYaml: ['state/oracledatabase/metadata.yaml'], fields: [connection('connectionString', 'unflagged')] },
  {
    types: ['state.cloudflare.workerskv', 'bindings.cloudflare.queues'],
    metadataYaml: ['state/cloudflare/workerskv/metadata.yaml', 'bindings/cloudflare/queues/metadata.yaml'],
    // key: the Ed25519 private key (sensitive). cfAPIToken and cfAccountID are
    // not flagged in the yaml; the token is a secret, the account ID is not.
    fields: [sensitive('key'), unflagged('cfAPIToken'), identifier('cfAccountID', 'unflagged')],
  },
  {
    types: ['state.gcp.firestore'],
    metadataYaml: ['state/gcp/firestore/metadata.yaml'],
    fields: [unflagged('private_key', { aliases: ['privateKey'] }), unflagged('private_key_id', { aliases: ['privateKeyID'] })],
  },
  // Alibaba Cloud: `accessKey` is the access key *secret* in the components
  // below (checked against each metadata.yaml; §5.2 lumps them together).
  {
    types: ['state.alicloud.tablestore'],
    metadataYaml: ['state/alicloud/tablestore/metadata.yaml'],
    fields: [unflagged('accessKey'), identifier('accessKeyID', 'unflagged')],
  },
  { types: ['bindings.alicloud.oss'], metadataYaml: ['bindings/alicloud/oss/metadata.yaml'], fields: [sensitive('accessKey'), sensitive('accessKeyID')] },
  { types: ['bindings.alicloud.sls'], metadataYaml: ['bindings/alicloud/sls/metadata.yaml'], fields: [sensitive('accessKeySecret'), sensitive('accessKeyID')] },
  {
    types: ['bindings.alicloud.tablestore'],
    metadataYaml: ['bindings/alicloud/tablestore/metadata.yaml'],
    fields: [sensitive('accessKeySecret'), identifier('accessKeyID', 'unflagged')],
  },
  { types: ['secretstores.alicloud.parameterstore'], metadataYaml: ['secretstores/alicloud/parameterstore/metadata.yaml'], fields: [unflagged('accessKeySecret')] },
  { types: ['secretstores.tencentcloud.ssm'], metadataYaml: ['secretstores/tencentcloud/ssm/metadata.yaml'], fields: [unflagged('secretKey')] },
  { types: ['secretstores.huaweicloud.csms'], metadataYaml: ['secretstores/huaweicloud/csms/metadata.yaml'], fields: [unflagged('secretAccessKey')] },
  // securityToken is the only auth the HTTP binding sends; empty = none.
  { types: ['bindings.http'], metadataYaml: ['bindings/http/metadata.yaml'], fields: [unflagged('securityToken', LOGIN), unflagged('MTLSClientKey')] },
  { types: ['bindings.smtp'], metadataYaml: ['bindings/smtp/metadata.yaml'], fields: [sensitive('password', LOGIN)] },
  {
    types: ['bindings.sftp'],
    metadataYaml: ['bindings/sftp/metadata.yaml'],
    fields: [sensitive('password', LOGIN), sensitive('privateKey'), sensitive('privateKeyPassphrase')],
  },
  { types: ['bindings.zeebe.command', 'bindings.zeebe.jobworker'], metadataYaml: ['bindings/zeebe/command/metadata.yaml', 'bindings/zeebe/jobworker/metadata.yaml'], fields: [sensitive('clientSecret')] },
  { types: ['bindings.apns'], metadataYaml: ['bindings/apns/metadata.yaml'], fields: [sensitive('private-key')] },
  { types: ['bindings.twilio.sendgrid'], metadataYaml: ['bindings/twilio/sendgrid/metadata.yaml'], fields: [sensitive('apiKey')] },
  { types: ['bindings.twilio.sms'], metadataYaml: ['bindings/twilio/sms/metadata.yaml'], fields: [sensitive('authToken')] },
  { types: ['bindings.postmark'], metadataYaml: ['bindings/postmark/metadata.yaml'], fields: [unflagged('serverToken'), unflagged('accountToken')] },
  { types: ['bindings.influx'], metadataYaml: ['bindings/influx/metadata.yaml'], fields: [sensitive('token')] },
  { types: ['bindings.huawei.obs'], metadataYaml: ['bindings/huawei/obs/metadata.yaml'], fields: [sensitive('secretKey')] },
  { types: ['bindings.rocketmq'], metadataYaml: ['bindings/rocketmq/metadata.yaml'], fields: [sensitive('secretKey')] },
  { types: ['bindings.commercetools'], metadataYaml: ['bindings/commercetools/metadata.yaml'], fields: [sensitive('clientSecret')] },
  { types: ['bindings.azure.openai'], metadataYaml: ['bindings/azure/openai/metadata.yaml'], fields: [sensitive('apiKey')], profiles: ['azuread'] },
  {
    types: ['bindings.azure.signalr'],
    metadataYaml: ['bindings/azure/signalr/metadata.yaml'],
    fields: [connection('connectionString', 'sensitive'), sensitive('accessKey')],
    profiles: ['azuread'],
  },
  { types: ['configuration.azure.appconfig'], metadataYaml: ['configuration/azure/appconfig/metadata.yaml'], fields: [connection('connectionString', 'sensitive')], profiles: ['azuread'] },
  {
    types: ['conversation.openai', 'conversation.anthropic', 'conversation.deepseek', 'conversation.googleai', 'conversation.huggingface', 'conversation.mistral'],
    metadataYaml: ['conversation/{openai,anthropic,deepseek,googleai,huggingface,mistral}/metadata.yaml'],
    fields: [sensitive('key')],
  },
  {
    types: ['middleware.http.oauth2', 'middleware.http.oauth2clientcredentials'],
    metadataYaml: ['middleware/http/oauth2/metadata.yaml', 'middleware/http/oauth2clientcredentials/metadata.yaml'],
    fields: [sensitive('clientSecret')],
  },
  {
    types: ['pubsub.solace.amqp'],
    metadataYaml: ['pubsub/solace/amqp/metadata.yaml'],
    fields: [connection('url', 'sensitive'), sensitive('clientKey'), sensitive('password', LOGIN)],
  },
  // authToken is the only credential KubeMQ takes; empty = anonymous.
  { types: ['pubsub.kubemq', 'bindings.kubemq'], metadataYaml: ['pubsub/kubemq/metadata.yaml', 'bindings/kubemq/metadata.yaml'], fields: [unflagged('authToken', LOGIN)] },
  { types: ['bindings.wasm', 'middleware.http.wasm'], metadataYaml: ['bindings/wasm/metadata.yaml', 'middleware/http/wasm/metadata.yaml'], fields: [] },
  // Not in §5.2 (no metadata.yaml upstream; fields from CC bindings/twitter/twitter.go);
  // common in dapr/samples with literal OAuth 1.0a credentials.
  {
    types: ['bindings.twitter'],
    metadataYaml: ['bindings/twitter/twitter.go'],
    fields: [unflagged('consumerKey'), unflagged('consumerSecret'), unflagged('accessToken'), unflagged('accessSecret')],
  },
];

function buildTable(rows: readonly TableRow[]): Readonly<Record<string, ComponentCredentialSpec>> {
  const table: Record<string, ComponentCredentialSpec> = {};
  for (const row of rows) {
    for (const type of row.types) {
      if (table[type] !== undefined) throw new Error(`credentials table: ${type} listed twice`);
      table[type] = Object.freeze({
        metadataYaml: Object.freeze([...row.metadataYaml]),
        fields: Object.freeze([...row.fields]),
        profiles: Object.freeze([...(row.profiles ?? [])]),
      });
    }
  }
  return Object.freeze(table);
}

/** Credential knowledge per canonical component type. */
export const COMPONENT_CREDENTIALS: Readonly<Record<string, ComponentCredentialSpec>> = buildTable(ROWS);

/** True when the table knows the type (after alias resolution). */
export function isKnownCredentialType(type: string | undefined): boolean {
  return type !== undefined && Object.hasOwn(COMPONENT_CREDENTIALS, canonicalComponentType(type));
}

/** All credential fields of a type: its own fields, then those of its auth profiles. Empty for unknown types. */
export function credentialFieldsFor(type: string | undefined): readonly CredentialFieldSpec[] {
  if (type === undefined) return [];
  const spec = COMPONENT_CREDENTIALS[canonicalComponentType(type)];
  if (spec === undefined) return [];
  const fromProfiles = spec.profiles.flatMap((p) => AUTH_PROFILES[p].map((f) => ({ ...f, profile: p })));
  return [...spec.fields, ...fromProfiles];
}

// ---------------------------------------------------------------------------
// Name heuristic

/** §5.2: field names that look like credentials when the table says nothing. */
export const CREDENTIAL_NAME_HEURISTIC = /(password|passwd|secret|token|key|connectionstring|credential|privatekey|seed|jwt|authkey|dsn)$/i;

/** The heuristic's alternatives, longest first, to report which one matched. */
const HEURISTIC_SUFFIXES = ['connectionstring', 'credential', 'privatekey', 'password', 'authkey', 'passwd', 'secret', 'token', 'seed', 'key', 'jwt', 'dsn'] as const;
export type HeuristicSuffix = (typeof HEURISTIC_SUFFIXES)[number];

/**
 * Field names the heuristic would match that are not credentials, compared
 * lower-cased. Each is a real metadata name (component in the comment) or a
 * pagination/addressing key whose value is data, not a secret.
 */
export const NON_CREDENTIAL_FIELD_NAMES: ReadonlySet<string> = new Set([
  'partitionkey', // bindings.azure.cosmosdb, state.aws.dynamodb, eventhubs: a document/attribute path
  'rowkey', // Azure Table storage row key
  'sortkey', // DynamoDB sort key attribute
  'rangekey', // DynamoDB range key attribute
  'hashkey', // DynamoDB hash key attribute
  'routingkey', // RabbitMQ routing key
  'orderingkey', // pubsub.gcp.pubsub message ordering key
  'messagekey', // message key of a broker record
  'idempotencykey', // request de-duplication id
  'publickey', // pubsub.pulsar end-to-end encryption public key
  'hostpublickey', // bindings.sftp: the server's public host key, to verify it
  'insecureignorehostkey', // bindings.sftp: a boolean toggle
  'projectkey', // bindings.commercetools: the project's name
  'continuationtoken', // pagination cursors
  'pagetoken',
  'nexttoken',
  'cancellationtoken',
]);

/**
 * Boolean toggles whose name ends in a credential word (`insecureIgnoreHostKey`,
 * `useServiceToken`): a verb prefix followed by a camelCase, `_` or `-`
 * boundary. Case-sensitive on purpose: `issuerKey` is not `is` + `suerKey`.
 */
const FLAG_PREFIX = /^(?:use|enable|disable|ignore|insecure|skip|allow|require|validate|verify|is|has)(?=[A-Z_-])/;

/** Why a name the heuristic would match is not a credential, if it is not. */
export function nonCredentialReason(field: string): 'listed' | 'flag' | undefined {
  if (NON_CREDENTIAL_FIELD_NAMES.has(field.trim().toLowerCase())) return 'listed';
  if (FLAG_PREFIX.test(field.trim())) return 'flag';
  return undefined;
}

/** The heuristic suffix a name ends in, ignoring the non-credential exceptions. */
export function heuristicSuffix(field: string): HeuristicSuffix | undefined {
  const name = field.trim().toLowerCase();
  if (!CREDENTIAL_NAME_HEURISTIC.test(name)) return undefined;
  return HEURISTIC_SUFFIXES.find((s) => name.endsWith(s));
}

// ---------------------------------------------------------------------------
// Field lookup

export interface CredentialMatch {
  readonly matchedBy: 'table' | 'heuristic';
  /** The field name as the caller wrote it. */
  readonly field: string;
  readonly kind: CredentialKind;
  /**
   * A non-empty, non-placeholder literal in this field is a plaintext secret
   * (DAPR201). False for `connection` (judge findEmbeddedCredentials
   * instead), `identifier` and `certificate`.
   */
  readonly literalIsSecret: boolean;
  /** An empty value means no authentication (DAPR202). */
  readonly emptyDisablesAuth: boolean;
  /** Table: the entry (name as components-contrib spells it). */
  readonly spec?: CredentialFieldSpec;
  /** Table: canonical component type. */
  readonly componentType?: string;
  /** Table: metadata.yaml path(s) in components-contrib. */
  readonly metadataYaml?: readonly string[];
  /** Heuristic: which suffix matched. */
  readonly suffix?: HeuristicSuffix;
  /** Message-safe clause saying why the field counts, e.g. for a SARIF message. */
  readonly description: string;
}

function nameMatches(spec: CredentialFieldSpec, lower: string): boolean {
  return spec.name.toLowerCase() === lower || (spec.aliases ?? []).some((a) => a.toLowerCase() === lower);
}

function describeOrigin(spec: CredentialFieldSpec, type: string): string {
  switch (spec.origin) {
    case 'sensitive':
      return `marked sensitive in the ${type} metadata`;
    case 'unflagged':
      return `a credential field of ${type} that its metadata does not mark sensitive`;
    case 'auth-profile':
      return `a credential of the built-in ${spec.profile ?? 'cloud'} auth profile that ${type} uses`;
  }
}

/**
 * Is `field` a credential field of `type`? Field names match the way
 * components-contrib decodes metadata: case-insensitively, aliases included
 * (dapr/kit metadata/utils.go `DecodeMetadata` / `GetMetadataProperty`).
 * The per-type table wins; otherwise the §5.2 name heuristic applies (to
 * unknown types and to fields the table does not list), except for the known
 * non-credential names and boolean toggles. `type` may be an alias or missing.
 */
export function matchCredentialField(type: string | undefined, field: string): CredentialMatch | undefined {
  const lower = field.trim().toLowerCase();
  if (lower === '') return undefined;
  const canonical = type === undefined ? undefined : canonicalComponentType(type);
  if (canonical !== undefined) {
    const spec = credentialFieldsFor(canonical).find((f) => nameMatches(f, lower));
    if (spec !== undefined) {
      return {
        matchedBy: 'table',
        field,
        kind: spec.kind,
        literalIsSecret: spec.kind === 'secret',
        emptyDisablesAuth: spec.emptyDisablesAuth,
        spec,
        componentType: canonical,
        metadataYaml: COMPONENT_CREDENTIALS[canonical].metadataYaml,
        description: `\`${field}\` is ${describeOrigin(spec, canonical)}`,
      };
    }
  }
  if (nonCredentialReason(field) !== undefined) return undefined;
  const suffix = heuristicSuffix(field);
  if (suffix === undefined) return undefined;
  const kind: CredentialKind = suffix === 'connectionstring' || suffix === 'dsn' ? 'connection' : 'secret';
  return {
    matchedBy: 'heuristic',
    field,
    kind,
    literalIsSecret: kind === 'secret',
    emptyDisablesAuth: suffix === 'password' || suffix === 'passwd',
    suffix,
    description: `\`${field}\` looks like a credential field (its name ends in "${suffix}")`,
  };
}

// ---------------------------------------------------------------------------
// HTTP headers (HTTPEndpoint spec.headers, Configuration otel headers)

/** Header names that carry credentials by definition (rules.md DAPR201). */
export const CREDENTIAL_HEADER_NAMES: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key']);

/**
 * Does an HTTP header carry a credential? The fixed list, else the name
 * heuristic on the name without `-`/`_` (`X-Auth-Token`, `Ocp-Apim-Subscription-Key`).
 */
export function matchCredentialHeader(name: string): { readonly matchedBy: 'header-list' | 'heuristic'; readonly description: string } | undefined {
  const lower = name.trim().toLowerCase();
  if (CREDENTIAL_HEADER_NAMES.has(lower)) return { matchedBy: 'header-list', description: `the ${name.trim()} header carries a credential` };
  const squashed = lower.replace(/[-_]/g, '');
  if (NON_CREDENTIAL_FIELD_NAMES.has(squashed)) return undefined;
  const suffix = heuristicSuffix(squashed);
  if (suffix === undefined) return undefined;
  return { matchedBy: 'heuristic', description: `the header name ${name.trim()} looks like a credential (it ends in "${suffix}")` };
}

// ---------------------------------------------------------------------------
// Credentials embedded in URLs and connection strings

export type EmbeddedCredentialKind = 'url-userinfo' | 'connection-string-param' | 'mysql-dsn';

export interface EmbeddedCredential extends ValueRange {
  readonly kind: EmbeddedCredentialKind;
  /** Message-safe: names the construct, never its content. */
  readonly description: string;
}

/**
 * `key=value` keys whose value is a secret, in ADO.NET/ODBC (`Password=`,
 * `Pwd=`), libpq (`password=`), URL queries, and Azure connection strings
 * (`SharedAccessKey=`, `AccountKey=`, `AccessKey=` for SignalR, `Secret=` for
 * App Configuration). `SharedAccessKeyName=` is a name and does not match.
 */
export const CONNECTION_STRING_SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'pwd',
  'passwd',
  'secret',
  'client_secret',
  'sharedaccesskey',
  'sharedaccesssignature',
  'accountkey',
  'accesskey',
]);

/** A secret part that is present, non-empty and not a placeholder (percent-decoded first when asked). */
function isLiteralSecretText(raw: string, decode: boolean): boolean {
  const text = decode ? percentDecode(raw) : raw;
  return text.trim() !== '' && placeholderKind(text) === undefined;
}

/**
 * Credentials written inside a value, whatever the field: the password of
 * `scheme://user:password@host` (a user alone, or an empty password, does
 * not count; percent-encoding is decoded before judging), a secret
 * `key=value` parameter (`password=`, `Pwd=`, `AccountKey=`, …) of a
 * connection string, and the password of a MySQL DSN `user:pass@tcp(host)/db`.
 * Ranges cover exactly the secret text, as written (inside quotes, still
 * percent-encoded), sorted by start.
 */
export function findEmbeddedCredentials(value: string): EmbeddedCredential[] {
  const found: EmbeddedCredential[] = [];
  for (const url of findUrls(value)) {
    const p = url.password;
    if (p !== undefined && isLiteralSecretText(value.slice(p.start, p.end), true)) {
      found.push({ kind: 'url-userinfo', start: p.start, end: p.end, description: `password in the user-info of a ${url.scheme}:// URL` });
    }
  }
  const dsn = parseMysqlDsn(value);
  if (dsn !== undefined && isLiteralSecretText(value.slice(dsn.password.start, dsn.password.end), false)) {
    found.push({ kind: 'mysql-dsn', ...dsn.password, description: 'password of a MySQL DSN (user:password@…)' });
  }
  for (const param of parseConnectionParams(value)) {
    if (!CONNECTION_STRING_SECRET_KEYS.has(param.key)) continue;
    if (!isLiteralSecretText(param.value, false)) continue;
    found.push({ kind: 'connection-string-param', ...param.valueRange, description: `value of the ${param.key}= parameter of a connection string` });
  }
  const unique = found.filter((f, i) => found.findIndex((g) => g.start === f.start && g.end === f.end) === i);
  return unique.sort((a, b) => a.start - b.start);
}

/** The value with each range replaced by `mask`: for showing context around a secret. */
export function redactRanges(value: string, ranges: readonly ValueRange[], mask = '****'): string {
  const sorted = [...ranges].sort((a, b) => b.start - a.start);
  let out = value;
  let floor = Number.POSITIVE_INFINITY;
  for (const r of sorted) {
    const end = Math.min(r.end, floor);
    if (end <= r.start) continue;
    out = out.slice(0, r.start) + mask + out.slice(end);
    floor = r.start;
  }
  return out;
}

// ---------------------------------------------------------------------------
// One metadata item, judged

export type SecretFindingRule = 'plaintext-secret' | 'empty-credential';

export interface SecretFinding extends ValueRange {
  /** DAPR201 or DAPR202. */
  readonly rule: SecretFindingRule;
  /** What made it a finding: the field (table/heuristic) or what the value embeds. */
  readonly basis: 'table' | 'heuristic' | EmbeddedCredentialKind;
  /** Message-safe. */
  readonly description: string;
}

export interface CredentialAssessment {
  /** How the field name matched, if it is a credential field. */
  readonly field?: CredentialMatch;
  readonly value: LiteralClass;
  readonly findings: readonly SecretFinding[];
}

/**
 * Judge one Component metadata item `name: value` of a component of `type`:
 * - empty value in a field whose emptiness means no auth → `empty-credential`;
 * - literal (non-placeholder) value in a `secret` field → `plaintext-secret`
 *   over the trimmed value;
 * - otherwise, credentials embedded in the value (any field) →
 *   `plaintext-secret` over each secret part.
 * Call it only for items written with `value:`; `secretKeyRef`/`envRef`
 * items are fine by construction.
 */
export function assessCredentialValue(type: string | undefined, field: string, value: string | null | undefined): CredentialAssessment {
  const match = matchCredentialField(type, field);
  const literal = classifyLiteral(value);
  const base = match === undefined ? { value: literal } : { field: match, value: literal };
  if (literal.kind === 'empty') {
    if (match === undefined || !match.emptyDisablesAuth) return { ...base, findings: [] };
    return {
      ...base,
      findings: [{ rule: 'empty-credential', basis: match.matchedBy, start: 0, end: value?.length ?? 0, description: `${match.description}; it is empty, so no credential is sent` }],
    };
  }
  if (literal.kind === 'literal' && match?.literalIsSecret === true) {
    return {
      ...base,
      findings: [{ rule: 'plaintext-secret', basis: match.matchedBy, start: literal.start, end: literal.end, description: `${match.description}; its value is written in plain text` }],
    };
  }
  const embedded = value === null || value === undefined ? [] : findEmbeddedCredentials(value);
  return {
    ...base,
    findings: embedded.map((e) => ({ rule: 'plaintext-secret', basis: e.kind, start: e.start, end: e.end, description: e.description })),
  };
}
