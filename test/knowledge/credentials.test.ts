// Credential fields per component type, the name heuristic and its
// exceptions, and the judgement of literal values (DAPR201 / DAPR202).
import { describe, expect, it } from 'vitest';
import {
  assessCredentialValue,
  AUTH_PROFILES,
  COMPONENT_CREDENTIALS,
  credentialFieldsFor,
  type CredentialKind,
  type CredentialOrigin,
  findEmbeddedCredentials,
  heuristicSuffix,
  isKnownCredentialType,
  matchCredentialField,
  matchCredentialHeader,
  NON_CREDENTIAL_FIELD_NAMES,
  nonCredentialReason,
  redactRanges,
} from '../../src/knowledge/credentials.js';

/** No description may contain the secret (or, for short secrets, be built from the value). */
function expectNoLeak(descriptions: readonly string[], secret: string): void {
  for (const d of descriptions) expect(d).not.toContain(secret);
}

describe('credential table: fields found per component type', () => {
  // [type as written, field as written, kind, origin, literalIsSecret]
  const cases: ReadonlyArray<readonly [string, string, CredentialKind, CredentialOrigin, boolean]> = [
    ['state.redis', 'redisPassword', 'secret', 'sensitive', true],
    ['pubsub.redis', 'sentinelPassword', 'secret', 'sensitive', true],
    ['bindings.redis', 'clientKey', 'secret', 'unflagged', true],
    ['configuration.redis', 'redisUsername', 'identifier', 'unflagged', false],
    ['lock.redis', 'clientKey', 'secret', 'sensitive', true],
    ['lock.redis', 'clientCert', 'certificate', 'sensitive', false],
    ['pubsub.kafka', 'saslPassword', 'secret', 'sensitive', true],
    ['bindings.kafka', 'schemaRegistryAPISecret', 'secret', 'unflagged', true],
    ['pubsub.kafka', 'awsSessionToken', 'secret', 'sensitive', true],
    ['pubsub.kafka', 'secretKey', 'secret', 'auth-profile', true],
    ['pubsub.rabbitmq', 'connectionString', 'connection', 'sensitive', false],
    ['pubsub.rabbitmq', 'password', 'secret', 'sensitive', true],
    ['bindings.rabbitmq', 'host', 'connection', 'sensitive', false],
    ['pubsub.mqtt3', 'url', 'connection', 'sensitive', false],
    ['bindings.mqtt3', 'url', 'connection', 'unflagged', false],
    ['pubsub.pulsar', 'token', 'secret', 'sensitive', true],
    ['pubsub.pulsar', 'oauth2ClientSecret', 'secret', 'sensitive', true],
    ['pubsub.pulsar', 'privateKey', 'secret', 'unflagged', true],
    ['pubsub.jetstream', 'token', 'secret', 'unflagged', true],
    ['pubsub.jetstream', 'seedKey', 'secret', 'unflagged', true],
    ['pubsub.jetstream', 'jwt', 'secret', 'unflagged', true],
    ['state.jetstream', 'tls_client_key', 'secret', 'unflagged', true],
    ['pubsub.azure.servicebus.topics', 'connectionString', 'connection', 'sensitive', false],
    ['pubsub.azure.servicebus.queues', 'azureClientSecret', 'secret', 'auth-profile', true],
    ['bindings.azure.eventhubs', 'azureCertificatePassword', 'secret', 'auth-profile', true],
    ['bindings.aws.s3', 'secretKey', 'secret', 'auth-profile', true],
    ['state.aws.dynamodb', 'sessionToken', 'secret', 'auth-profile', true],
    ['secretstores.aws.secretsmanager', 'accessKey', 'secret', 'auth-profile', true],
    ['secretstores.aws.secretmanager', 'secretKey', 'secret', 'auth-profile', true],
    ['pubsub.gcp.pubsub', 'privateKey', 'secret', 'auth-profile', true],
    ['bindings.gcp.bucket', 'private_key_id', 'secret', 'auth-profile', true],
    ['secretstores.azure.keyvault', 'azureCertificate', 'secret', 'auth-profile', true],
    ['crypto.azure.keyvault', 'azureClientSecret', 'secret', 'auth-profile', true],
    ['secretstores.hashicorp.vault', 'vaultToken', 'secret', 'unflagged', true],
    ['state.postgresql', 'connectionString', 'connection', 'sensitive', false],
    ['state.postgresql', 'password', 'secret', 'unflagged', true],
    ['configuration.postgresql', 'sessionToken', 'secret', 'auth-profile', true],
    ['state.mysql', 'connectionString', 'connection', 'unflagged', false],
    ['bindings.mysql', 'url', 'connection', 'unflagged', false],
    ['state.sqlserver', 'connectionString', 'connection', 'sensitive', false],
    ['state.mongodb', 'password', 'secret', 'sensitive', true],
    ['state.mongodb', 'connectionString', 'connection', 'unflagged', false],
    ['state.cassandra', 'password', 'secret', 'sensitive', true],
    ['state.cockroachdb', 'connectionString', 'connection', 'sensitive', false],
    ['state.azure.cosmosdb', 'masterKey', 'secret', 'sensitive', true],
    ['bindings.azure.cosmosdb', 'masterKey', 'secret', 'sensitive', true],
    ['state.azure.blobstorage', 'accountKey', 'secret', 'sensitive', true],
    ['bindings.azure.blobstorage', 'storageAccessKey', 'secret', 'sensitive', true],
    ['state.azure.tablestorage', 'accountKey', 'secret', 'sensitive', true],
    ['bindings.azure.storagequeues', 'accountKey', 'secret', 'sensitive', true],
    ['state.etcd', 'key', 'secret', 'unflagged', true],
    ['state.hashicorp.consul', 'aclToken', 'secret', 'unflagged', true],
    ['nameresolution.hashicorp.consul', 'queryToken', 'secret', 'sensitive', true],
    ['state.coherence', 'tlsClientKey', 'secret', 'unflagged', true],
    ['state.rethinkdb', 'authKey', 'secret', 'sensitive', true],
    ['bindings.rethinkdb.statechange', 'clientKey', 'secret', 'sensitive', true],
    ['state.couchbase', 'password', 'secret', 'unflagged', true],
    ['state.ravendb', 'connectionString', 'connection', 'unflagged', false],
    ['state.oracledatabase', 'connectionString', 'connection', 'unflagged', false],
    ['state.cloudflare.workerskv', 'key', 'secret', 'sensitive', true],
    ['bindings.cloudflare.queues', 'cfAPIToken', 'secret', 'unflagged', true],
    ['state.cloudflare.workerskv', 'cfAccountID', 'identifier', 'unflagged', false],
    ['state.gcp.firestore', 'private_key', 'secret', 'unflagged', true],
    ['state.alicloud.tablestore', 'accessKey', 'secret', 'unflagged', true],
    ['state.alicloud.tablestore', 'accessKeyID', 'identifier', 'unflagged', false],
    ['bindings.alicloud.oss', 'accessKeyID', 'secret', 'sensitive', true],
    ['bindings.alicloud.sls', 'accessKeySecret', 'secret', 'sensitive', true],
    ['secretstores.alicloud.parameterstore', 'accessKeySecret', 'secret', 'unflagged', true],
    ['secretstores.tencentcloud.ssm', 'secretKey', 'secret', 'unflagged', true],
    ['secretstores.huaweicloud.csms', 'secretAccessKey', 'secret', 'unflagged', true],
    ['bindings.http', 'securityToken', 'secret', 'unflagged', true],
    ['bindings.http', 'MTLSClientKey', 'secret', 'unflagged', true],
    ['bindings.smtp', 'password', 'secret', 'sensitive', true],
    ['bindings.sftp', 'privateKeyPassphrase', 'secret', 'sensitive', true],
    ['bindings.zeebe.jobworker', 'clientSecret', 'secret', 'sensitive', true],
    ['bindings.apns', 'private-key', 'secret', 'sensitive', true],
    ['bindings.twilio.sendgrid', 'apiKey', 'secret', 'sensitive', true],
    ['bindings.twilio.sms', 'authToken', 'secret', 'sensitive', true],
    ['bindings.postmark', 'accountToken', 'secret', 'unflagged', true],
    ['bindings.influx', 'token', 'secret', 'sensitive', true],
    ['bindings.huawei.obs', 'secretKey', 'secret', 'sensitive', true],
    ['bindings.rocketmq', 'secretKey', 'secret', 'sensitive', true],
    ['bindings.commercetools', 'clientSecret', 'secret', 'sensitive', true],
    ['bindings.azure.openai', 'apiKey', 'secret', 'sensitive', true],
    ['bindings.azure.signalr', 'accessKey', 'secret', 'sensitive', true],
    ['configuration.azure.appconfig', 'connectionString', 'connection', 'sensitive', false],
    ['conversation.anthropic', 'key', 'secret', 'sensitive', true],
    ['conversation.aws.bedrock', 'secretKey', 'secret', 'auth-profile', true],
    ['nameresolution.aws.cloudmap', 'accessKey', 'secret', 'auth-profile', true],
    ['middleware.http.oauth2', 'clientSecret', 'secret', 'sensitive', true],
    ['middleware.http.oauth2clientcredentials', 'clientSecret', 'secret', 'sensitive', true],
    ['pubsub.solace.amqp', 'url', 'connection', 'sensitive', false],
    ['pubsub.kubemq', 'authToken', 'secret', 'unflagged', true],
    ['bindings.twitter', 'consumerSecret', 'secret', 'unflagged', true],
  ];

  it.each(cases)('%s %s → %s (%s)', (type, field, kind, origin, literalIsSecret) => {
    const m = matchCredentialField(type, field);
    expect(m).toBeDefined();
    expect(m?.matchedBy).toBe('table');
    expect(m?.kind).toBe(kind);
    expect(m?.spec?.origin).toBe(origin);
    expect(m?.literalIsSecret).toBe(literalIsSecret);
    expect(m?.field).toBe(field);
  });

  it('covers more than 25 distinct component types in these cases', () => {
    expect(new Set(cases.map(([t]) => t)).size).toBeGreaterThanOrEqual(80);
  });

  it('names the profile and the metadata.yaml of a table match', () => {
    const m = matchCredentialField('pubsub.azure.servicebus.topics', 'azureClientSecret');
    expect(m?.spec?.profile).toBe('azuread');
    expect(m?.componentType).toBe('pubsub.azure.servicebus.topics');
    expect(m?.metadataYaml).toContain('pubsub/azure/servicebus/topics/metadata.yaml');
    expect(m?.description).toBe('`azureClientSecret` is a credential of the built-in azuread auth profile that pubsub.azure.servicebus.topics uses');
    expect(matchCredentialField('state.redis', 'redisPassword')?.description).toBe('`redisPassword` is marked sensitive in the state.redis metadata');
    expect(matchCredentialField('secretstores.hashicorp.vault', 'vaultToken')?.description).toBe(
      '`vaultToken` is a credential field of secretstores.hashicorp.vault that its metadata does not mark sensitive',
    );
  });

  it('does not attach auth profiles to types that do not use them', () => {
    // pubsub.rabbitmq has no cloud profile: accessKey there is only a heuristic match.
    expect(matchCredentialField('pubsub.rabbitmq', 'accessKey')?.matchedBy).toBe('heuristic');
    expect(matchCredentialField('state.redis', 'secretKey')?.matchedBy).toBe('heuristic');
    expect(matchCredentialField('state.redis', 'azureClientSecret')?.matchedBy).toBe('table');
    expect(matchCredentialField('state.redis', 'azureCertificate')?.matchedBy).toBe('table');
    // azureCertificate does not end in a credential word: only the table knows it.
    expect(matchCredentialField('pubsub.rabbitmq', 'azureCertificate')).toBeUndefined();
  });

  it('lists every built-in profile field from builtin-authentication-profiles.yaml', () => {
    expect(AUTH_PROFILES.azuread.map((f) => f.name)).toEqual(['azureClientSecret', 'azureCertificate', 'azureCertificatePassword']);
    expect(AUTH_PROFILES.aws.map((f) => f.name)).toEqual(['accessKey', 'secretKey', 'sessionToken']);
    expect(AUTH_PROFILES.gcp.map((f) => f.name)).toEqual(['privateKeyID', 'privateKey']);
  });

  it('merges own fields and profile fields, in that order', () => {
    expect(credentialFieldsFor('state.postgres').map((f) => f.name)).toEqual([
      'connectionString',
      'password',
      'azureClientSecret',
      'azureCertificate',
      'azureCertificatePassword',
      'accessKey',
      'secretKey',
      'sessionToken',
    ]);
    expect(credentialFieldsFor('bindings.unknown')).toEqual([]);
    expect(credentialFieldsFor(undefined)).toEqual([]);
  });

  it('knows at least every §5.2 row (and the types are canonical)', () => {
    const types = Object.keys(COMPONENT_CREDENTIALS);
    expect(types.length).toBe(105);
    for (const t of types) expect(t).toBe(t.toLowerCase());
    expect(isKnownCredentialType('secretstores.local.file')).toBe(true);
    expect(isKnownCredentialType('bindings.wasm')).toBe(true);
    expect(isKnownCredentialType('state.in-memory')).toBe(false);
    expect(isKnownCredentialType(undefined)).toBe(false);
  });
});

describe('credential table: field-name matching follows daprd', () => {
  it('matches case-insensitively, like kitmd.DecodeMetadata', () => {
    for (const written of ['redisPassword', 'REDISPASSWORD', 'redispassword', ' RedisPassword ']) {
      const m = matchCredentialField('state.redis', written);
      expect(m?.matchedBy).toBe('table');
      expect(m?.spec?.name).toBe('redisPassword');
      expect(m?.field).toBe(written);
    }
  });

  it('matches mapstructure aliases', () => {
    expect(matchCredentialField('bindings.gcp.pubsub', 'private_key')?.spec?.name).toBe('privateKey');
    expect(matchCredentialField('state.gcp.firestore', 'privateKeyID')?.spec?.name).toBe('private_key_id');
    expect(matchCredentialField('bindings.azure.storagequeues', 'STORAGEACCESSKEY')?.spec?.name).toBe('accountKey');
    // pubsub.rabbitmq still reads the connection URL from the legacy `host`.
    expect(matchCredentialField('pubsub.rabbitmq', 'host')).toMatchObject({ matchedBy: 'table', kind: 'connection', spec: { name: 'connectionString' } });
  });

  it('resolves component type aliases through canonicalComponentType', () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['state.postgres', 'connectionString', 'state.postgresql'],
      ['state.yugabytedb', 'password', 'state.postgresql'],
      ['pubsub.mqtt', 'url', 'pubsub.mqtt3'],
      ['bindings.mqtt', 'clientKey', 'bindings.mqtt3'],
      ['pubsub.azure.servicebus', 'connectionString', 'pubsub.azure.servicebus.topics'],
      ['pubsub.snssqs', 'secretKey', 'pubsub.aws.snssqs'],
      ['state.consul', 'aclToken', 'state.hashicorp.consul'],
      ['configuration.postgres', 'connectionString', 'configuration.postgresql'],
      ['bindings.postgresql', 'connectionString', 'bindings.postgres'],
      ['bindings.azure.servicebusqueues', 'connectionString', 'bindings.azure.servicebus.queues'],
      ['State.Redis', 'redisPassword', 'state.redis'],
    ];
    for (const [alias, field, canonical] of cases) {
      const m = matchCredentialField(alias, field);
      expect(m?.matchedBy, `${alias} ${field}`).toBe('table');
      expect(m?.componentType).toBe(canonical);
    }
    // The alias and the original give the same answer.
    expect(matchCredentialField('state.postgres', 'password')).toEqual({ ...matchCredentialField('state.postgresql', 'password'), field: 'password' });
    expect(matchCredentialField('pubsub.mqtt', 'url')?.spec).toBe(matchCredentialField('pubsub.mqtt3', 'url')?.spec);
  });
});

describe('credential table: fields that are not credentials', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['state.redis', 'redisHost'],
    ['state.redis', 'keyPrefix'],
    ['state.redis', 'actorStateStore'],
    ['state.redis', 'ttlInSeconds'],
    ['pubsub.redis', 'maxLenApprox'],
    ['pubsub.kafka', 'consumerGroup'],
    ['pubsub.kafka', 'brokers'],
    ['pubsub.kafka', 'disableTls'],
    ['bindings.azure.storagequeues', 'queueName'],
    ['secretstores.azure.keyvault', 'vaultName'],
    ['secretstores.azure.keyvault', 'keyVaultName'],
    ['secretstores.azure.keyvault', 'azureClientId'],
    ['bindings.azure.cosmosdb', 'partitionKey'],
    ['state.aws.dynamodb', 'partitionKey'],
    ['state.azure.tablestorage', 'rowKey'],
    ['pubsub.rabbitmq', 'routingKey'],
    ['pubsub.gcp.pubsub', 'orderingKey'],
    ['pubsub.pulsar', 'publicKey'],
    ['bindings.sftp', 'hostPublicKey'],
    ['bindings.sftp', 'insecureIgnoreHostKey'],
    ['bindings.commercetools', 'projectKey'],
    ['secretstores.hashicorp.vault', 'vaultTokenMountPath'],
    ['secretstores.local.file', 'secretsFile'],
    ['state.ravendb', 'keyPath'],
    ['bindings.http', 'securityTokenHeader'],
    ['middleware.http.oauth2', 'tokenURL'],
    ['bindings.unknown', 'continuationToken'],
    ['bindings.unknown', 'useServiceToken'],
    ['bindings.unknown', 'skipTlsSecret'],
  ];
  it.each(cases)('%s %s is not a credential', (type, field) => {
    expect(matchCredentialField(type, field)).toBeUndefined();
  });

  it('explains each exception', () => {
    expect(nonCredentialReason('PartitionKey')).toBe('listed');
    expect(nonCredentialReason('insecureIgnoreHostKey')).toBe('listed');
    expect(nonCredentialReason('useServiceToken')).toBe('flag');
    expect(nonCredentialReason('enable_jwt')).toBe('flag');
    // A camelCase boundary is required: `issuerKey` is not `is` + `suerKey`.
    expect(nonCredentialReason('issuerKey')).toBeUndefined();
    expect(matchCredentialField('bindings.unknown', 'issuerKey')?.suffix).toBe('key');
    expect(nonCredentialReason('redisPassword')).toBeUndefined();
  });

  it('only lists names that the heuristic would otherwise match', () => {
    for (const name of NON_CREDENTIAL_FIELD_NAMES) expect(heuristicSuffix(name), name).toBeDefined();
  });

  it('does not let an exception hide a table field', () => {
    // The table wins over the heuristic and its exceptions.
    expect(matchCredentialField('pubsub.pulsar', 'privateKey')?.matchedBy).toBe('table');
  });
});

describe('name heuristic', () => {
  it('applies to unknown types, to missing types, and to fields the table does not list', () => {
    const cases: ReadonlyArray<readonly [string | undefined, string, string, CredentialKind, boolean]> = [
      ['bindings.custom', 'apiToken', 'token', 'secret', false],
      ['bindings.custom', 'dbPassword', 'password', 'secret', true],
      ['bindings.custom', 'adminPasswd', 'passwd', 'secret', true],
      ['bindings.custom', 'signingSecret', 'secret', 'secret', false],
      ['bindings.custom', 'clientPrivateKey', 'privatekey', 'secret', false],
      ['bindings.custom', 'azureCredential', 'credential', 'secret', false],
      ['bindings.custom', 'natsSeed', 'seed', 'secret', false],
      ['bindings.custom', 'userJwt', 'jwt', 'secret', false],
      ['bindings.custom', 'masterAuthKey', 'authkey', 'secret', false],
      ['bindings.custom', 'sentryDsn', 'dsn', 'connection', false],
      ['bindings.custom', 'storageConnectionString', 'connectionstring', 'connection', false],
      [undefined, 'password', 'password', 'secret', true],
      // Known types, fields missing from the table (eventhubs checkpoint store).
      ['pubsub.azure.eventhubs', 'storageAccountKey', 'key', 'secret', false],
      ['pubsub.azure.eventhubs', 'storageConnectionString', 'connectionstring', 'connection', false],
      ['state.redis', 'sentinelUsername_token', 'token', 'secret', false],
    ];
    for (const [type, field, suffix, kind, emptyDisablesAuth] of cases) {
      const m = matchCredentialField(type, field);
      expect(m?.matchedBy, `${type} ${field}`).toBe('heuristic');
      expect(m?.suffix).toBe(suffix);
      expect(m?.kind).toBe(kind);
      expect(m?.literalIsSecret).toBe(kind === 'secret');
      expect(m?.emptyDisablesAuth).toBe(emptyDisablesAuth);
      expect(m?.componentType).toBeUndefined();
    }
    expect(matchCredentialField('bindings.custom', 'apiToken')?.description).toBe('`apiToken` looks like a credential field (its name ends in "token")');
  });

  it('does not match names that merely contain a credential word', () => {
    for (const f of ['tokenURL', 'keyPrefix', 'passwordFile', 'secretsFile', 'credentialsPath', 'tokens', '']) {
      expect(matchCredentialField('bindings.custom', f), f).toBeUndefined();
    }
  });
});

describe('HTTP header names', () => {
  it('knows the fixed list case-insensitively', () => {
    for (const h of ['Authorization', 'proxy-authorization', 'X-API-Key', 'Api-Key']) expect(matchCredentialHeader(h)?.matchedBy).toBe('header-list');
  });
  it('applies the heuristic without separators', () => {
    expect(matchCredentialHeader('X-Auth-Token')?.matchedBy).toBe('heuristic');
    expect(matchCredentialHeader('Ocp-Apim-Subscription-Key')?.matchedBy).toBe('heuristic');
    expect(matchCredentialHeader('X-Client_Secret')?.matchedBy).toBe('heuristic');
    expect(matchCredentialHeader('Idempotency-Key')).toBeUndefined();
    expect(matchCredentialHeader('Content-Type')).toBeUndefined();
    expect(matchCredentialHeader('X-Request-Id')).toBeUndefined();
  });
});

describe('findEmbeddedCredentials: URLs', () => {
  it('finds the password of scheme://user:password@host with its exact range', () => {
    const v = 'amqp://guest:guest@rabbitmq:5672';
    expect(findEmbeddedCredentials(v)).toEqual([{ kind: 'url-userinfo', start: 13, end: 18, description: 'password in the user-info of a amqp:// URL' }]);
  });

  it('finds a password with an empty user (redis://:pass@host)', () => {
    const v = 'redis://:s3cret@redis:6379';
    const [f] = findEmbeddedCredentials(v);
    expect([f.start, f.end]).toEqual([9, 15]);
    expect(v.slice(f.start, f.end)).toBe('s3cret');
  });

  it('covers the percent-encoded text as written', () => {
    const v = 'postgres://app:p%40ss@db:5432/app?sslmode=require';
    const found = findEmbeddedCredentials(v);
    expect(found.map((f) => [f.kind, f.start, f.end])).toEqual([['url-userinfo', 15, 21]]);
    expect(v.slice(15, 21)).toBe('p%40ss');
  });

  it('uses the last @ of the authority, as Go net/url does', () => {
    const v = 'mongodb://admin:p@ss@mongo-0:27017,mongo-1:27017/db';
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe('p@ss');
    expect([f.start, f.end]).toEqual([16, 20]);
  });

  it('does not count a user without password, an empty password, or a placeholder password', () => {
    for (const v of [
      'amqp://guest@rabbitmq:5672',
      'amqp://guest:@rabbitmq:5672',
      'redis://:${REDIS_PASSWORD}@redis:6379',
      'redis://:{{ .Values.redis.password }}@redis:6379',
      'postgres://app:<password>@db/app',
      'postgres://app:%3Cpassword%3E@db/app',
      'postgres://app:%24%7BPG_PASSWORD%7D@db/app',
      'http://example.com/path?email=a@b.com',
      'http://host:8080/a@b',
    ]) {
      expect(findEmbeddedCredentials(v), v).toEqual([]);
    }
  });

  it('finds a literal password next to a templated host', () => {
    const v = 'amqp://user:hunter2@{{ .Values.host }}:5672';
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe('hunter2');
  });

  it('finds each URL of a list', () => {
    const v = 'nats://a:pw1@n1:4222,nats://b:pw2@n2:4222';
    expect(findEmbeddedCredentials(v).map((f) => v.slice(f.start, f.end))).toEqual(['pw1', 'pw2']);
  });
});

describe('findEmbeddedCredentials: connection strings', () => {
  it('libpq keyword=value, whitespace-separated', () => {
    const v = 'host=db user=postgres password=example port=5432';
    expect(findEmbeddedCredentials(v)).toEqual([{ kind: 'connection-string-param', start: 31, end: 38, description: 'value of the password= parameter of a connection string' }]);
  });

  it('libpq single-quoted value with spaces and escapes', () => {
    const v = "host=db password='my \\'pass' dbname=x";
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe("my \\'pass");
  });

  it('libpq reads the next word after `password= ` as the password, as pgx does', () => {
    const v = 'host=db password= dbname=x';
    expect(findEmbeddedCredentials(v).map((f) => v.slice(f.start, f.end))).toEqual(['dbname=x']);
  });

  it('libpq spaces around = and a template value', () => {
    expect(findEmbeddedCredentials('host=db password = {{ .Values.pg.password }} sslmode=require')).toEqual([]);
    const v = 'host=db password = topsecret';
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe('topsecret');
  });

  it('ADO.NET Password= with a quoted value containing ; and a doubled quote', () => {
    const v = 'Server=tcp:sql,1433;User ID=sa;Password="p;ss""x";Encrypt=true';
    expect(findEmbeddedCredentials(v).map((f) => [f.start, f.end])).toEqual([[41, 48]]);
    expect(v.slice(41, 48)).toBe('p;ss""x');
  });

  it('ODBC Pwd={…}', () => {
    const v = 'Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd={a;b}}c};';
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe('a;b}}c');
  });

  it('Azure Service Bus: SharedAccessKey= but not SharedAccessKeyName=', () => {
    const v = 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abc123def=';
    const found = findEmbeddedCredentials(v);
    expect(found).toHaveLength(1);
    expect(v.slice(found[0].start, found[0].end)).toBe('abc123def=');
    expect(found[0].start).toBe(v.indexOf('abc123def='));
    expect(found[0].description).toBe('value of the sharedaccesskey= parameter of a connection string');
  });

  it('Azure Storage AccountKey= and App Configuration Secret=', () => {
    const storage = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFy==;EndpointSuffix=core.windows.net';
    expect(findEmbeddedCredentials(storage).map((f) => storage.slice(f.start, f.end))).toEqual(['Zm9vYmFy==']);
    const appconfig = 'Endpoint=https://cfg.azconfig.io;Id=abc-l0-s0:xyz;Secret=c2VjcmV0';
    expect(findEmbeddedCredentials(appconfig).map((f) => appconfig.slice(f.start, f.end))).toEqual(['c2VjcmV0']);
  });

  it('URL query password= (percent-decoded before judging)', () => {
    const v = 'postgresql://db:5432/app?user=app&password=s%26cret&sslmode=require';
    const [f] = findEmbeddedCredentials(v);
    expect(v.slice(f.start, f.end)).toBe('s%26cret');
    expect(findEmbeddedCredentials('postgresql://db/app?password=&x=1')).toEqual([]);
  });

  it('empty and placeholder parameter values do not count', () => {
    for (const v of [
      'host=db user=u password=',
      "host=db password=''",
      'Server=db;Password=;',
      'Server=db;Password=${SQL_PASSWORD};',
      'Server=db;Password=$(SQL_PASSWORD);',
      'Server=db;Password=<your-password>;',
      'Server=db;Password="";',
    ]) {
      expect(findEmbeddedCredentials(v), v).toEqual([]);
    }
  });

  it('MySQL DSN user:pass@tcp(host)/db', () => {
    const v = 'root:mysecret@tcp(mysql:3306)/dapr?parseTime=true';
    expect(findEmbeddedCredentials(v)).toEqual([{ kind: 'mysql-dsn', start: 5, end: 13, description: 'password of a MySQL DSN (user:password@…)' }]);
    const at = 'app:p@ss:w@unix(/var/run/mysqld.sock)/db';
    expect(findEmbeddedCredentials(at).map((f) => at.slice(f.start, f.end))).toEqual(['p@ss:w']);
    expect(findEmbeddedCredentials('root:@tcp(mysql:3306)/dapr')).toEqual([]);
    expect(findEmbeddedCredentials('root@tcp(mysql:3306)/dapr')).toEqual([]);
    expect(findEmbeddedCredentials('root:${MYSQL_PASSWORD}@tcp(mysql:3306)/dapr')).toEqual([]);
  });

  it('finds nothing in plain values', () => {
    for (const v of ['localhost:6379', 'my-topic', 'app1=topicA,topicB;app2=', 'https://vault:8200', 'true', 'a=b c=d']) {
      expect(findEmbeddedCredentials(v), v).toEqual([]);
    }
  });
});

describe('redactRanges', () => {
  it('masks exactly the ranges, whatever their order', () => {
    const v = 'nats://a:pw1@n1:4222,nats://b:pw2@n2:4222';
    expect(redactRanges(v, findEmbeddedCredentials(v))).toBe('nats://a:****@n1:4222,nats://b:****@n2:4222');
    expect(redactRanges('abcdef', [{ start: 1, end: 2 }, { start: 4, end: 6 }], '#')).toBe('a#cd#');
  });
});

describe('assessCredentialValue', () => {
  it('DAPR201: literal in a table secret field, over the trimmed value', () => {
    const a = assessCredentialValue('state.redis', 'redisPassword', '  hunter2 ');
    expect(a.field?.matchedBy).toBe('table');
    expect(a.findings).toEqual([
      { rule: 'plaintext-secret', basis: 'table', start: 2, end: 9, description: '`redisPassword` is marked sensitive in the state.redis metadata; its value is written in plain text' },
    ]);
    expectNoLeak(a.findings.map((f) => f.description), 'hunter2');
  });

  it('DAPR201: literal in a heuristic field', () => {
    const a = assessCredentialValue('bindings.custom', 'apiToken', 'tok_123');
    expect(a.findings.map((f) => [f.rule, f.basis, f.start, f.end])).toEqual([['plaintext-secret', 'heuristic', 0, 7]]);
  });

  it('DAPR202: empty login password, and only there', () => {
    expect(assessCredentialValue('state.redis', 'redisPassword', '').findings).toEqual([
      { rule: 'empty-credential', basis: 'table', start: 0, end: 0, description: '`redisPassword` is marked sensitive in the state.redis metadata; it is empty, so no credential is sent' },
    ]);
    expect(assessCredentialValue('state.redis', 'redisPassword', '   ').findings.map((f) => [f.rule, f.end])).toEqual([['empty-credential', 3]]);
    expect(assessCredentialValue('state.redis', 'redisPassword', null).findings.map((f) => f.rule)).toEqual(['empty-credential']);
    expect(assessCredentialValue('bindings.custom', 'dbPassword', '').findings.map((f) => [f.rule, f.basis])).toEqual([['empty-credential', 'heuristic']]);
    // Empty means "another auth method" or "optional" here.
    for (const [type, field] of [
      ['secretstores.azure.keyvault', 'azureClientSecret'],
      ['bindings.aws.s3', 'accessKey'],
      ['bindings.aws.s3', 'sessionToken'],
      ['secretstores.hashicorp.vault', 'vaultToken'],
      ['pubsub.azure.servicebus.topics', 'connectionString'],
      ['bindings.sftp', 'privateKeyPassphrase'],
      ['bindings.custom', 'apiToken'],
    ] as const) {
      expect(assessCredentialValue(type, field, '').findings, `${type} ${field}`).toEqual([]);
    }
  });

  it('placeholders are never literal secrets', () => {
    for (const v of ['{{ .Values.redis.password }}', '${REDIS_PASSWORD}', '$(REDIS_PASSWORD)', '<your-password>', '{uuid}']) {
      const a = assessCredentialValue('state.redis', 'redisPassword', v);
      expect(a.value.kind, v).toBe('placeholder');
      expect(a.findings, v).toEqual([]);
    }
  });

  it('connection fields count only when a credential is embedded', () => {
    expect(assessCredentialValue('pubsub.pulsar', 'host', 'pulsar://pulsar:6650').findings).toEqual([]);
    expect(assessCredentialValue('state.mysql', 'connectionString', 'root@tcp(mysql:3306)/dapr').findings).toEqual([]);
    const v = 'root:mysecret@tcp(mysql:3306)/dapr';
    const a = assessCredentialValue('state.mysql', 'connectionString', v);
    expect(a.field?.kind).toBe('connection');
    expect(a.findings).toEqual([{ rule: 'plaintext-secret', basis: 'mysql-dsn', start: 5, end: 13, description: 'password of a MySQL DSN (user:password@…)' }]);
  });

  it('any field counts when its value embeds a credential', () => {
    const v = 'host=localhost user=postgres password=docker port=5432 connect_timeout=10 database=dapr_test';
    const a = assessCredentialValue('bindings.postgres', 'url', v);
    expect(a.field).toBeUndefined();
    expect(a.findings.map((f) => [f.basis, v.slice(f.start, f.end)])).toEqual([['connection-string-param', 'docker']]);
    const redis = assessCredentialValue('state.redis', 'redisHost', 'redis://:pw@redis:6379');
    expect(redis.findings.map((f) => [f.basis, f.start, f.end])).toEqual([['url-userinfo', 9, 11]]);
  });

  it('identifiers and certificates are not plaintext secrets', () => {
    expect(assessCredentialValue('state.redis', 'redisUsername', 'default').findings).toEqual([]);
    expect(assessCredentialValue('lock.redis', 'clientCert', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----').findings).toEqual([]);
  });

  it('non-credential fields with plain values yield nothing', () => {
    const a = assessCredentialValue('state.redis', 'redisHost', 'localhost:6379');
    expect(a).toEqual({ value: { kind: 'literal', start: 0, end: 14 }, findings: [] });
  });

  it('never puts the secret in a description', () => {
    const secrets: ReadonlyArray<readonly [string, string, string, string]> = [
      ['state.redis', 'redisPassword', 'Sup3r-S3cret!', 'Sup3r-S3cret!'],
      ['pubsub.rabbitmq', 'connectionString', 'amqp://user:Sup3r-S3cret!@rabbit:5672', 'Sup3r-S3cret!'],
      ['state.sqlserver', 'connectionString', 'Server=db;User Id=sa;Password=Sup3r-S3cret!;', 'Sup3r-S3cret!'],
      ['state.mysql', 'connectionString', 'root:Sup3r-S3cret!@tcp(db:3306)/x', 'Sup3r-S3cret!'],
      ['bindings.custom', 'apiToken', 'Sup3r-S3cret!', 'Sup3r-S3cret!'],
    ];
    for (const [type, field, value, secret] of secrets) {
      const a = assessCredentialValue(type, field, value);
      expect(a.findings.length, `${type} ${field}`).toBeGreaterThan(0);
      for (const f of a.findings) expect(value.slice(f.start, f.end)).toBe(secret);
      expectNoLeak([...a.findings.map((f) => f.description), a.field?.description ?? ''], secret);
      expectNoLeak([JSON.stringify(a.findings)], secret);
    }
  });
});
