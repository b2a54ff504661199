// Transport-security toggles, plaintext URL schemes, connection-string
// parameters and the loopback judgement behind DAPR501.
import { describe, expect, it } from 'vitest';
import {
  classifyHosts,
  CONNECTION_STRING_TOGGLES,
  extractHosts,
  findPlaintextUrls,
  findTransportIssues,
  hostStateOf,
  isLoopbackHost,
  missingTlsOptIn,
  PLAINTEXT_SCHEMES,
  SECURE_SCHEMES,
  TRANSPORT_PROFILES,
  transportProfileFor,
} from '../../src/knowledge/transport-security.js';

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in its spellings', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::1%lo0]']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
  });
  it('rejects everything else, including host.docker.internal and 0.0.0.0', () => {
    for (const h of ['host.docker.internal', 'host.containers.internal', '0.0.0.0', '::', '[::]', '128.0.0.1', '127.0.0.256', '127.0.0', 'redis', 'redis.default.svc.cluster.local', 'app.localhost', '::2', '::ffff:10.0.0.1', '10.0.0.1', '']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});

describe('extractHosts / classifyHosts', () => {
  it('reads hosts from host:port lists and URLs', () => {
    expect(extractHosts('localhost:6379')).toEqual(['localhost']);
    expect(extractHosts('redis-0:6379, redis-1:6379')).toEqual(['redis-0', 'redis-1']);
    expect(extractHosts('[::1]:6379')).toEqual(['[::1]']);
    expect(extractHosts('::1')).toEqual(['::1']);
    expect(extractHosts('amqp://user:pw@rabbit:5672/vhost')).toEqual(['rabbit']);
    expect(extractHosts('mongodb://u:p@m1:27017,m2:27017/db')).toEqual(['m1', 'm2']);
    expect(extractHosts('nats://a:4222,nats://127.0.0.1:4222')).toEqual(['a', '127.0.0.1']);
  });
  it('classifies', () => {
    expect(classifyHosts('localhost:6379')).toBe('loopback');
    expect(classifyHosts('127.0.0.1:6379,[::1]:6379')).toBe('loopback');
    expect(classifyHosts('localhost:6379,redis:6379')).toBe('remote');
    expect(classifyHosts('host.docker.internal:6379')).toBe('remote');
    expect(classifyHosts('{{ .Values.redis.host }}:6379')).toBe('unknown');
    expect(classifyHosts('${REDIS_HOST}')).toBe('unknown');
    expect(classifyHosts('http://{{ .Values.host }}:8080')).toBe('unknown');
    expect(classifyHosts('')).toBe('unknown');
    expect(classifyHosts(undefined)).toBe('unknown');
  });
  it('combines several host fields: remote wins, then unknown', () => {
    expect(hostStateOf(['hostname', 'connectionString'], { hostname: 'localhost' })).toBe('loopback');
    expect(hostStateOf(['hostname', 'connectionString'], { HOSTNAME: 'localhost', connectionString: 'amqp://rabbit:5672' })).toBe('remote');
    expect(hostStateOf(['hostname'], {})).toBe('unknown');
    expect(hostStateOf(['a', 'b'], { a: 'localhost', b: '{{ .Values.b }}' })).toBe('unknown');
  });
});

describe('URL schemes', () => {
  it('pairs every plaintext scheme with a secure one', () => {
    expect(PLAINTEXT_SCHEMES).toEqual({ http: 'https', tcp: 'ssl', mqtt: 'mqtts', ws: 'wss', amqp: 'amqps', nats: 'tls', pulsar: 'pulsar+ssl', redis: 'rediss', couchbase: 'couchbases' });
    for (const secure of Object.values(PLAINTEXT_SCHEMES)) expect(SECURE_SCHEMES.has(secure)).toBe(true);
  });

  it('finds plaintext URLs with exact scheme ranges and host states', () => {
    const v = 'nats://nats-0:4222,nats://localhost:4222';
    expect(findPlaintextUrls(v)).toEqual([
      { scheme: 'nats', secureScheme: 'tls', schemeRange: { start: 0, end: 4 }, urlRange: { start: 0, end: 18 }, hostState: 'remote' },
      { scheme: 'nats', secureScheme: 'tls', schemeRange: { start: 19, end: 23 }, urlRange: { start: 19, end: 40 }, hostState: 'loopback' },
    ]);
  });

  it('ignores secure schemes and URLs quoted inside text', () => {
    for (const v of ['https://vault:8200', 'rediss://redis:6380', 'amqps://rabbit:5671', 'pulsar+ssl://pulsar:6651', 'tls://nats:4222', 'ssl://mqtt:8883', 'package dapr\nallow { input.url == "http://x" }']) {
      expect(findPlaintextUrls(v), v).toEqual([]);
    }
  });
});

describe('findTransportIssues: toggles', () => {
  it('redis enableTLS false counts only for a non-loopback host', () => {
    const remote = findTransportIssues('state.redis', 'enableTLS', 'false', { redisHost: 'redis-master.prod:6379' });
    expect(remote).toEqual([
      {
        field: 'enableTLS',
        effect: 'tls-off',
        matchedBy: 'table',
        start: 0,
        end: 5,
        description: 'enableTLS on state.redis: TLS is off by default and this keeps it off: the connection is plaintext',
        hostState: 'remote',
        hostFields: ['redisHost'],
      },
    ]);
    expect(findTransportIssues('state.redis', 'enableTLS', 'false', { redisHost: 'localhost:6379' })).toEqual([]);
    expect(findTransportIssues('pubsub.redis', 'enableTLS', 'False', { redisHost: '127.0.0.1:6379' })).toEqual([]);
    // Unknown host (templated, or missing): reported.
    expect(findTransportIssues('state.redis', 'enableTLS', 'FALSE', { redisHost: '{{ .Values.redis }}' }).map((i) => i.hostState)).toEqual(['unknown']);
    expect(findTransportIssues('lock.redis', 'enableTLS', 'false', {}).map((i) => i.hostState)).toEqual(['unknown']);
    // daprd reads anything that is not truthy as false, typos included.
    expect(findTransportIssues('state.redis', 'enableTLS', 'ture', { redisHost: 'redis:6379' })).toHaveLength(1);
    // Not risky: true, empty, placeholder.
    for (const v of ['true', 'True', '1', '', '{{ .Values.tls }}']) {
      expect(findTransportIssues('state.redis', 'enableTLS', v, { redisHost: 'redis:6379' }), v).toEqual([]);
    }
  });

  it('matches field names case-insensitively and resolves type aliases', () => {
    expect(findTransportIssues('state.redis', 'EnableTls', 'false', { REDISHOST: 'redis:6379' }).map((i) => i.matchedBy)).toEqual(['table']);
    expect(findTransportIssues('state.consul', 'scheme', 'http', { httpAddr: 'consul:8500' }).map((i) => [i.matchedBy, i.effect])).toEqual([['table', 'tls-off']]);
    expect(findTransportIssues('state.consul', 'scheme', 'http', { httpAddr: '127.0.0.1:8500' })).toEqual([]);
  });

  it('per-type toggles across component types', () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      ['state.redis', 'insecureSkipTLSVerify', 'true', 'verification-off'],
      ['configuration.redis', 'insecureSkipTLSVerify', 'yes', 'verification-off'],
      ['pubsub.kafka', 'disableTls', 'true', 'tls-off'],
      ['bindings.kafka', 'skipVerify', 'TRUE', 'verification-off'],
      ['pubsub.kafka', 'authType', 'none', 'auth-off'],
      ['pubsub.kafka', 'authType', 'NONE', 'auth-off'],
      ['bindings.kafka', 'authRequired', 'false', 'auth-off'],
      ['bindings.aws.s3', 'disableSSL', 'true', 'tls-off'],
      ['bindings.aws.s3', 'insecureSSL', 'true', 'verification-off'],
      ['secretstores.hashicorp.vault', 'skipVerify', 'true', 'verification-off'],
      ['nameresolution.hashicorp.consul', 'insecureSkipVerify', 'true', 'verification-off'],
      ['state.coherence', 'ignoreInvalidCerts', 'true', 'verification-off'],
      ['bindings.smtp', 'skipTLSVerify', 'true', 'verification-off'],
      ['bindings.sftp', 'insecureIgnoreHostKey', 'true', 'host-key-unchecked'],
      ['bindings.zeebe.command', 'usePlainTextConnection', 'true', 'tls-off'],
      ['bindings.zeebe.jobworker', 'usePlainTextConnection', 'on', 'tls-off'],
      ['state.azure.blobstorage', 'publicAccessLevel', 'blob', 'public-access'],
      ['bindings.azure.blobstorage', 'publicAccessLevel', 'Container', 'public-access'],
    ];
    for (const [type, field, value, effect] of cases) {
      const issues = findTransportIssues(type, field, value, {});
      expect(issues.map((i) => [i.matchedBy, i.effect]), `${type} ${field}`).toEqual([['table', effect]]);
      expect(issues[0].hostState).toBeUndefined();
    }
  });

  it('toggles that are not loopback-exempt count even on localhost', () => {
    expect(findTransportIssues('pubsub.kafka', 'disableTls', 'true', { brokers: 'localhost:9092' })).toHaveLength(1);
    expect(findTransportIssues('bindings.smtp', 'skipTLSVerify', 'true', { host: 'localhost' })).toHaveLength(1);
  });

  it('opt-in TLS fields of other types are loopback-exempt', () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      ['pubsub.pulsar', 'enableTLS', 'host', 'pulsar.prod:6650'],
      ['state.rethinkdb', 'enableTLS', 'address', 'rethink:28015'],
      ['bindings.rethinkdb.statechange', 'enableTLS', 'address', 'rethink:28015'],
      ['state.etcd', 'tlsEnable', 'endpoints', 'etcd-0:2379,etcd-1:2379'],
      ['state.coherence', 'tlsEnabled', 'serverAddress', 'coherence:1408'],
      ['state.cassandra', 'enableHostVerification', 'hosts', 'cassandra-0,cassandra-1'],
    ];
    for (const [type, field, hostField, host] of cases) {
      expect(findTransportIssues(type, field, 'false', { [hostField]: host }).map((i) => i.hostState), type).toEqual(['remote']);
      expect(findTransportIssues(type, field, 'false', { [hostField]: 'localhost' }), type).toEqual([]);
    }
    expect(findTransportIssues('pubsub.rabbitmq', 'protocol', 'amqp', { hostname: 'rabbit' }).map((i) => i.effect)).toEqual(['tls-off']);
    expect(findTransportIssues('pubsub.rabbitmq', 'protocol', 'amqp', { hostname: 'localhost' })).toEqual([]);
    expect(findTransportIssues('pubsub.rabbitmq', 'protocol', 'amqps', { hostname: 'rabbit' })).toEqual([]);
  });

  it('legacy authRequired is ignored when authType is set', () => {
    expect(findTransportIssues('pubsub.kafka', 'authRequired', 'false', { authType: 'password' })).toEqual([]);
    expect(findTransportIssues('pubsub.kafka', 'authRequired', 'false', { authType: '' })).toHaveLength(1);
    expect(findTransportIssues('pubsub.kafka', 'authRequired', 'true', {})).toEqual([]);
  });

  it('safe values are not reported', () => {
    expect(findTransportIssues('pubsub.kafka', 'authType', 'password', {})).toEqual([]);
    expect(findTransportIssues('pubsub.kafka', 'skipVerify', 'false', {})).toEqual([]);
    expect(findTransportIssues('state.azure.blobstorage', 'publicAccessLevel', 'none', {})).toEqual([]);
    expect(findTransportIssues('bindings.sftp', 'insecureIgnoreHostKey', 'false', {})).toEqual([]);
  });

  it('generic toggles apply to unknown types and unknown fields', () => {
    expect(findTransportIssues('bindings.custom', 'insecureSkipVerify', 'true', {}).map((i) => [i.matchedBy, i.effect])).toEqual([['generic', 'verification-off']]);
    expect(findTransportIssues(undefined, 'skipTLSVerify', 'true', {}).map((i) => i.matchedBy)).toEqual(['generic']);
    expect(findTransportIssues('bindings.custom', 'enableTLS', 'false', { host: 'db.prod' }).map((i) => [i.matchedBy, i.hostState])).toEqual([['generic', 'remote']]);
    expect(findTransportIssues('bindings.custom', 'enableTLS', 'false', { url: 'localhost:1234' })).toEqual([]);
    // A type's own toggle wins over the generic one of the same name.
    expect(findTransportIssues('pubsub.kafka', 'skipVerify', 'true', {}).map((i) => i.matchedBy)).toEqual(['table']);
    expect(findTransportIssues('bindings.custom', 'timeout', '30s', {})).toEqual([]);
  });
});

describe('findTransportIssues: URL schemes', () => {
  it('reports plaintext schemes to non-loopback hosts, pointing at the scheme', () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      ['secretstores.hashicorp.vault', 'vaultAddr', 'http://vault.vault:8200', 'https'],
      ['bindings.http', 'url', 'http://api.example.com/hook', 'https'],
      ['pubsub.mqtt3', 'url', 'tcp://mosquitto:1883', 'ssl'],
      ['bindings.mqtt3', 'url', 'mqtt://emqx:1883', 'mqtts'],
      ['pubsub.jetstream', 'natsURL', 'nats://nats:4222', 'tls'],
      ['pubsub.pulsar', 'host', 'pulsar://pulsar:6650', 'pulsar+ssl'],
      ['pubsub.rabbitmq', 'connectionString', 'amqp://rabbitmq:5672', 'amqps'],
      ['pubsub.solace.amqp', 'url', 'amqp://solace:5672', 'amqps'],
      ['bindings.rabbitmq', 'host', 'amqp://guest:guest@rabbit:5672', 'amqps'],
      ['state.redis', 'redisHost', 'redis://redis:6379', 'rediss'],
      ['state.couchbase', 'couchbaseURL', 'couchbase://cb', 'couchbases'],
      ['state.ravendb', 'serverURL', 'http://raven:8080', 'https'],
    ];
    for (const [type, field, value, secure] of cases) {
      const issues = findTransportIssues(type, field, value, {});
      expect(issues.map((i) => [i.matchedBy, i.effect, i.start, i.end, i.hostState]), `${type} ${field}`).toEqual([['url-scheme', 'tls-off', 0, value.indexOf(':'), 'remote']]);
      expect(issues[0].description).toContain(`(use ${secure}://)`);
    }
  });

  it('never quotes the URL (it may carry a password)', () => {
    const [issue] = findTransportIssues('bindings.rabbitmq', 'host', 'amqp://guest:Sup3rS3cret@rabbit:5672', {});
    expect(issue.description).toBe('host on bindings.rabbitmq: a plaintext amqp:// URL to a host that is not loopback (use amqps://)');
    expect(issue.description).not.toContain('Sup3rS3cret');
    expect(issue.description).not.toContain('rabbit:5672');
  });

  it('does not report loopback hosts or secure schemes', () => {
    for (const v of ['http://localhost:8200', 'http://127.0.0.1:9411', 'tcp://[::1]:1883', 'https://vault:8200', 'amqps://rabbit:5671', 'rediss://redis:6380']) {
      expect(findTransportIssues('bindings.custom', 'url', v, {}), v).toEqual([]);
    }
  });

  it('does not treat identifier fields (audience, issuer, scopes) as endpoints', () => {
    expect(findTransportIssues('pubsub.kafka', 'oidcAudience', 'http://kafka.example.com', {})).toEqual([]);
    expect(findTransportIssues('middleware.http.bearer', 'issuer', 'http://issuer.example.com', {})).toEqual([]);
    expect(findTransportIssues('middleware.http.oauth2', 'scopes', 'http://scope.example.com/read', {})).toEqual([]);
    // …but a token endpoint is dialled.
    expect(findTransportIssues('middleware.http.oauth2', 'tokenURL', 'http://idp.example.com/token', {})).toHaveLength(1);
  });

  it('uses the legacy rabbitmq host field to judge loopback', () => {
    expect(findTransportIssues('pubsub.rabbitmq', 'protocol', 'amqp', { host: 'amqp://localhost:5672' })).toEqual([]);
    expect(findTransportIssues('pubsub.rabbitmq', 'protocol', 'amqp', { host: 'amqp://rabbit:5672' })).toHaveLength(1);
  });

  it('reports templated hosts (unknown)', () => {
    expect(findTransportIssues('secretstores.hashicorp.vault', 'vaultAddr', 'http://{{ .Values.vault.host }}:8200', {}).map((i) => i.hostState)).toEqual(['unknown']);
  });
});

describe('findTransportIssues: connection strings', () => {
  it('libpq sslmode=disable / allow, as keyword=value and in a URL query', () => {
    const v = 'host=db user=app password=x port=5432 sslmode=disable';
    expect(findTransportIssues('state.postgresql', 'connectionString', v, {}).map((i) => [i.matchedBy, i.effect, i.start, i.end])).toEqual([['connection-string', 'tls-off', 38, 53]]);
    expect(v.slice(38, 53)).toBe('sslmode=disable');
    const url = 'postgres://app@db:5432/app?sslmode=allow';
    expect(findTransportIssues('state.postgres', 'connectionString', url, {}).map((i) => url.slice(i.start, i.end))).toEqual(['sslmode=allow']);
    expect(findTransportIssues('state.cockroachdb', 'connectionString', 'host=db sslmode=require', {})).toEqual([]);
    expect(findTransportIssues('bindings.postgres', 'url', 'host=db sslmode=disable', {})).toHaveLength(1);
  });

  it('sslmode=disable counts in any field of any type (unambiguous)', () => {
    expect(findTransportIssues('bindings.custom', 'dsn', 'host=db sslmode=disable', {}).map((i) => i.effect)).toEqual(['tls-off']);
  });

  it('SQL Server encrypt and TrustServerCertificate', () => {
    const v = 'Server=db;User Id=sa;Encrypt=disable;TrustServerCertificate=True';
    expect(findTransportIssues('state.sqlserver', 'connectionString', v, {}).map((i) => [i.effect, v.slice(i.start, i.end)])).toEqual([
      ['tls-off', 'Encrypt=disable'],
      ['verification-off', 'TrustServerCertificate=True'],
    ]);
    expect(findTransportIssues('state.sqlserver', 'connectionString', 'sqlserver://sa@db?encrypt=false', {}).map((i) => i.effect)).toEqual(['tls-off']);
    expect(findTransportIssues('state.sqlserver', 'connectionString', 'Server=db;Encrypt=true', {})).toEqual([]);
    // encrypt=… is ambiguous outside SQL Server: not checked there.
    expect(findTransportIssues('bindings.custom', 'connectionString', 'Server=db;Encrypt=false', {})).toEqual([]);
  });

  it('MongoDB tls=false / ssl=false in connectionString and params', () => {
    expect(findTransportIssues('state.mongodb', 'connectionString', 'mongodb://mongo:27017/?tls=false', {}).map((i) => i.effect)).toEqual(['tls-off']);
    expect(findTransportIssues('state.mongodb', 'params', '?ssl=false', {}).map((i) => [i.effect, i.start, i.end])).toEqual([['tls-off', 1, 10]]);
    expect(findTransportIssues('state.mongodb', 'params', '?tlsAllowInvalidCertificates=true', {}).map((i) => i.effect)).toEqual(['verification-off']);
    expect(findTransportIssues('state.mongodb', 'params', '?tls=true', {})).toEqual([]);
  });

  it('MySQL tls=false / skip-verify', () => {
    expect(findTransportIssues('state.mysql', 'connectionString', 'root@tcp(db:3306)/x?tls=false', {}).map((i) => i.effect)).toEqual(['tls-off']);
    expect(findTransportIssues('bindings.mysql', 'url', 'root@tcp(db:3306)/x?tls=skip-verify', {}).map((i) => i.effect)).toEqual(['verification-off']);
    expect(findTransportIssues('state.mysql', 'connectionString', 'root@tcp(db:3306)/x?tls=true', {})).toEqual([]);
  });

  it('keeps the dialect tables in the documented shape', () => {
    expect(Object.keys(CONNECTION_STRING_TOGGLES)).toEqual(['libpq', 'sqlserver', 'mongodb', 'mysql']);
    expect(CONNECTION_STRING_TOGGLES.libpq[0].values).toEqual(['disable', 'allow']);
  });
});

describe('missingTlsOptIn (requireTLS option)', () => {
  it('reports an absent opt-in field when the host is not loopback', () => {
    expect(missingTlsOptIn('state.redis', { redisHost: 'redis:6379' })).toEqual({
      field: 'enableTLS',
      hostState: 'remote',
      hostFields: ['redisHost'],
      description: 'state.redis connects without TLS unless enableTLS is true, and it is not set',
    });
    expect(missingTlsOptIn('state.etcd', { endpoints: 'etcd:2379' })?.field).toBe('tlsEnable');
  });
  it('is silent for loopback hosts, present fields and types without an opt-in', () => {
    expect(missingTlsOptIn('state.redis', { redisHost: 'localhost:6379' })).toBeUndefined();
    expect(missingTlsOptIn('state.redis', { redisHost: 'redis:6379', enabletls: 'false' })).toBeUndefined();
    expect(missingTlsOptIn('pubsub.kafka', { brokers: 'kafka:9092' })).toBeUndefined();
    expect(missingTlsOptIn(undefined, {})).toBeUndefined();
  });
});

describe('profiles', () => {
  it('resolves aliases and exposes host fields', () => {
    expect(transportProfileFor('state.postgres')).toBe(TRANSPORT_PROFILES['state.postgresql']);
    expect(transportProfileFor('pubsub.mqtt')?.hostFields).toEqual(['url']);
    expect(transportProfileFor('pubsub.jetstream')?.hostFields).toEqual(['natsURL']);
    expect(transportProfileFor('bindings.unknown')).toBeUndefined();
    expect(Object.keys(TRANSPORT_PROFILES)).toHaveLength(41);
  });
});
