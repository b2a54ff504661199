// DAPR501 component-tls-disabled: a Component setting that turns transport
// security or its verification off — a toggle (at its value), a plaintext URL
// (at the scheme), a connection-string parameter (at `key=value`) — with the
// host situation in the message; with option requireTLS, an omitted TLS
// switch (at metadata.name).
import { describe, expect, it } from 'vitest';
import { of, scanFixture } from '../helpers.js';
import { expectNoSecretLeak, highlighted } from '../support/findings.js';

const ID = 'DAPR501';

describe('DAPR501 component-tls-disabled', () => {
  const fires = scanFixture('rules/DAPR501/fires');
  const results = of(fires, ID);
  const at = (file: string, line: number) => {
    const r = results.find((x) => x.location.file === file && x.location.region.startLine === line);
    if (!r) throw new Error(`no ${ID} at ${file}:${line}`);
    return r;
  };

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the value, the scheme or the parameter', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endColumn, highlighted(fires, r)])).toEqual([
      ['development/broker.yaml', 10, 14, 18, 'amqp'],
      ['production/bindings.yaml', 11, 14, 18, 'http'],
      ['production/bindings.yaml', 13, 14, 20, '"TRUE"'],
      ['production/bindings.yaml', 31, 14, 20, '"true"'],
      ['production/bindings.yaml', 47, 14, 20, '"true"'],
      ['production/bindings.yaml', 63, 14, 20, '"true"'],
      ['production/bindings.yaml', 81, 14, 20, '"true"'],
      ['production/messaging.yaml', 13, 14, 18, 'none'],
      ['production/messaging.yaml', 15, 14, 20, '"true"'],
      // an unquoted YAML boolean
      ['production/messaging.yaml', 17, 14, 18, 'true'],
      ['production/messaging.yaml', 31, 14, 17, 'tcp'],
      // the second URL of a list; the first is tls://
      ['production/messaging.yaml', 45, 38, 42, 'nats'],
      ['production/messaging.yaml', 59, 14, 20, 'pulsar'],
      ['production/stores.yaml', 15, 14, 21, '"false"'],
      ['production/stores.yaml', 29, 71, 86, 'sslmode=disable'],
      ['production/stores.yaml', 43, 106, 133, 'TrustServerCertificate=True'],
      ['production/stores.yaml', 59, 16, 25, 'tls=false'],
      ['production/stores.yaml', 75, 14, 18, '"no"'],
      ['production/stores.yaml', 91, 14, 18, 'http'],
      ['production/stores.yaml', 109, 14, 23, 'container'],
      ['shared/cache.yaml', 12, 14, 20, '"ture"'],
    ]);
  });

  it('uses warning, error in production and note outside it', () => {
    const levels = results.map((r) => [r.location.file.split('/')[0], r.level, r.environments[0]]);
    expect(new Set(levels.map((l) => l.join(' ')))).toEqual(new Set(['development note non-production', 'production error production', 'shared warning unclassified']));
    expect(results.every((r) => r.securitySeverity === undefined)).toBe(true);
  });

  it('names the setting, what it does, the host situation and the fix', () => {
    expect(at('production/stores.yaml', 15).message).toBe(
      'Component "cache" (state.redis): metadata item "enableTLS" is false: TLS is off by default and this keeps it off: the connection is plaintext. Its host (redisHost) is not loopback, so the traffic crosses the network. Turn TLS on for this connection (and serve TLS on the server). (production)',
    );
    expect(at('production/stores.yaml', 29).message).toBe(
      'Component "orders-store" (state.postgres): metadata item "connectionString" sets sslmode=disable in its connection string, so the PostgreSQL connection never uses TLS. Its host (connectionString) is not loopback, so the traffic crosses the network. Turn TLS on for this connection (and serve TLS on the server). (production)',
    );
    expect(at('production/bindings.yaml', 11).message).toBe(
      'Component "vault" (secretstores.hashicorp.vault): metadata item "vaultAddr" uses a plaintext http:// URL (use https://), so the connection is not encrypted. Its host (vaultAddr) is not loopback, so the traffic crosses the network. Turn TLS on for this connection (and serve TLS on the server). (production)',
    );
    expect(at('production/bindings.yaml', 13).message).toContain('metadata item "skipVerify" is true: the server certificate is not verified, so anyone on the path can impersonate the server; secrets and the Vault token cross that path. Its host (vaultAddr) is not loopback');
    expect(at('production/bindings.yaml', 13).message).toContain("Remove the setting and let the component verify the server: give it the server's CA instead.");
    expect(at('production/stores.yaml', 43).message).toContain('metadata item "connectionString" sets TrustServerCertificate=True in its connection string, so the SQL Server certificate is not verified.');
    expect(at('production/stores.yaml', 91).message).toContain('Component "kv" (state.consul): metadata item "scheme" is "http": the Consul API is called over plain HTTP, ACL token included.');
    expect(at('production/bindings.yaml', 47).message).toContain("Pin the server's host key with hostPublicKey or knownHostsFile");
    expect(at('production/messaging.yaml', 13).message).toContain('metadata item "authType" is "none": the brokers are used without authentication.');
    expect(at('production/messaging.yaml', 31).message).toContain('metadata item "url" uses a plaintext tcp:// URL (use ssl://)');
    expect(at('production/messaging.yaml', 59).message).toContain('uses a plaintext pulsar:// URL (use pulsar+ssl://)');
  });

  it('describes every host situation', () => {
    // settings reported whatever the host
    expect(at('production/messaging.yaml', 15).message).toContain('Its host (brokers) is loopback, but this setting is reported whatever the host.');
    // a templated host
    expect(at('production/bindings.yaml', 81).message).toContain('Its host (endpoint) is templated or set by reference, so it may well be remote.');
    expect(at('shared/cache.yaml', 12).message).toContain('Its host (redisHost) is templated or set by reference, so it may well be remote.');
    // MongoDB params hold no host: the host field says where the traffic goes
    expect(at('production/stores.yaml', 59).message).toContain('metadata item "params" sets tls=false in its connection string, so the MongoDB connection does not use TLS. Its host (host) is not loopback');
    // public access is about readers, not the network path
    expect(at('production/stores.yaml', 109).message).toBe(
      'Component "archive" (bindings.azure.blobstorage): metadata item "publicAccessLevel" is "container": the container is created with anonymous public read access (the default is none). Set publicAccessLevel to none and grant access with Azure AD or SAS tokens instead. (production)',
    );
  });

  it('reads booleans as daprd does, without quoting values it does not know', () => {
    expect(at('shared/cache.yaml', 12).message).toContain('metadata item "enableTLS" is not a true value (daprd reads anything but y/yes/true/t/on/1 as false)');
    expect(at('production/stores.yaml', 75).message).toContain('Component "registry" (state.etcd): metadata item "tlsEnable" is false');
  });

  it('lists the host fields of a toggle as related locations', () => {
    expect(at('production/stores.yaml', 15).related).toEqual([
      { file: 'production/stores.yaml', region: { startLine: 11, startColumn: 14, endLine: 11, endColumn: 54 }, label: 'the host the component connects to (redisHost)' },
    ]);
    // a URL or a connection string carries its own host
    expect(at('production/stores.yaml', 29).related).toEqual([]);
  });

  it('never repeats a credential carried by a reported URL or connection string', () => {
    expectNoSecretLeak(fires, [ID], ['Dv8-kL3m-Pw6', 'Sq7-bN2x-Kr5']);
    expect(at('development/broker.yaml', 10).message).toBe(
      'Component "broker" (pubsub.rabbitmq): metadata item "connectionString" uses a plaintext amqp:// URL (use amqps://), so the connection is not encrypted. Its host (connectionString) is not loopback, so the traffic crosses the network. Turn TLS on for this connection (and serve TLS on the server). (non-production)',
    );
  });

  it('gives every finding its own fingerprint', () => {
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
  });

  it('does not fire on TLS left on, loopback hosts, placeholders, identifiers, redirect URLs or an omitted switch', () => {
    const passes = scanFixture('rules/DAPR501/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(of(passes, ID)).toEqual([]);
    expect(passes.model.ofType('component').map((c) => c.resource.name).sort()).toEqual(['archive', 'broker', 'cache', 'cache', 'login', 'orders-store', 'registry', 'sessions', 'stream', 'vault']);
  });

  describe('option requireTLS', () => {
    const scan = scanFixture('rules/DAPR501/require-tls');
    const found = of(scan, ID);

    it('reports an omitted TLS switch at metadata.name, with spec.type and the host as related', () => {
      expect(scan.notifications).toEqual([]);
      expect(found.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, highlighted(scan, r), r.level])).toEqual([
        ['dev/stores.yaml', 15, 9, 'sessions', 'note'],
        ['production/stores.yaml', 4, 9, 'cache', 'error'],
        ['production/stores.yaml', 20, 9, 'topics', 'error'],
      ]);
      expect(found[1].related.map((l) => [l.region.startLine, l.label])).toEqual([
        [7, 'state.redis: TLS is off unless enableTLS is true'],
        [11, 'the host the component connects to (redisHost)'],
      ]);
    });

    it('names the switch and the host situation', () => {
      expect(found[1].message).toBe(
        'Component "cache" (state.redis) does not set enableTLS, and state.redis connects without TLS unless enableTLS is true (option requireTLS). Its host (redisHost) is not loopback, so the traffic crosses the network. Add metadata item enableTLS with value "true" and serve TLS on the server. (production)',
      );
      expect(found[0].message).toContain('Component "sessions" (state.cassandra) does not set enableHostVerification');
      expect(found[2].message).toContain('Its host (host) is templated or set by reference, so it may well be remote.');
    });

    it('is silent for loopback hosts, a switch that is set (even by reference) and types with TLS on by default', () => {
      const names = found.map((r) => highlighted(scan, r));
      for (const quiet of ['local-cache', 'secure-cache', 'referenced-cache', 'stream']) expect(names).not.toContain(quiet);
    });
  });
});
