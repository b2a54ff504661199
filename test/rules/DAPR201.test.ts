// DAPR201 plaintext-secret: a literal credential in a Component metadata item,
// an HTTPEndpoint header or clientTLS key, or a Configuration otel header;
// the finding covers the secret itself (inside a connection string or after
// `Bearer `) and the message says where it is, never what it is.
import { describe, expect, it } from 'vitest';
import { of, scanFixture } from '../helpers.js';
import { expectNoSecretLeak, highlighted } from '../support/findings.js';

const ID = 'DAPR201';

/** Every credential written in the firing fixture. */
const SECRETS = [
  'Rd7-kQ2w-Zp9x',
  'Pg4-vL8n-Tq2',
  'My5-hJ3c-Wb6',
  'Rq3-nM7d-Yx1',
  'Kf8-tB2s-Hv4',
  'Sb6wQ1xR9zT3=',
  'Hp2-cW7k-Nf5',
  'Ak9-rD3j-Lm8',
  'Zq8Wm3Xv7Lp2Rt9Ks4Nb6Hd1Jf5Gc0TyQw',
  'Ot4-gS6p-Qe7',
  'Lg5-yF8u-Cz3',
  'SG.Dv3-hN5q-Jt8',
  'hvs.Vt6-mK1z-Rp4',
  'AKIADEVFIXTURE0001',
  'S3k-wE9v-Ua2',
  'Wh1-xJ4b-Gn6',
  'Az7bXk2mQ9vT4wR1yP6sL3nC8dF5gH0j==',
  'Qa2-pV5c-Xs9',
  'Mq4-dT7h-Bk2',
];

describe('DAPR201 plaintext-secret', () => {
  const fires = scanFixture('rules/DAPR201/fires');
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

  it('points at each secret: line, column and end column', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endLine, r.location.region.endColumn])).toEqual([
      ['development/bindings.yaml', 12, 14, 12, 29],
      ['development/bindings.yaml', 25, 14, 25, 30],
      ['development/bindings.yaml', 38, 14, 38, 32],
      ['development/bindings.yaml', 40, 14, 40, 26],
      // Multi-App Run resources: the password inside an ssl:// URL
      ['local/resources/pubsub.yaml', 10, 28, 10, 40],
      // Authorization: the token after "Bearer "
      ['production/endpoints.yaml', 12, 22, 12, 34],
      ['production/endpoints.yaml', 14, 14, 14, 26],
      // clientTLS privateKey.value: the whole block scalar
      ["production/endpoints.yaml", 25, 14, 28, 34],
      ['production/messaging.yaml', 11, 27, 11, 39],
      ['production/messaging.yaml', 33, 14, 33, 26],
      ['production/messaging.yaml', 47, 99, 47, 112],
      // a whole quoted value: the scalar, quotes included
      ['production/statestore.yaml', 14, 14, 14, 29],
      ['production/statestore.yaml', 28, 61, 28, 73],
      ['production/statestore.yaml', 42, 19, 42, 31],
      ['production/tracing.yaml', 15, 18, 15, 30],
      // the legacy "name=value" header string: the credential inside it
      ['production/tracing.yaml', 32, 32, 32, 44],
      ['shared/custom.yaml', 12, 14, 12, 26],
      ['shared/custom.yaml', 26, 14, 26, 48],
      ['shared/custom.yaml', 40, 23, 40, 35],
    ]);
  });

  it('highlights exactly the secret', () => {
    const shown = results.map((r) => highlighted(fires, r));
    expect(shown).toEqual([
      'SG.Dv3-hN5q-Jt8',
      'hvs.Vt6-mK1z-Rp4',
      'AKIADEVFIXTURE0001',
      'S3k-wE9v-Ua2',
      'Mq4-dT7h-Bk2',
      'Hp2-cW7k-Nf5',
      'Ak9-rD3j-Lm8',
      '|\n        -----BEGIN PRIVATE KEY-----\n        Zq8Wm3Xv7Lp2Rt9Ks4Nb6Hd1Jf5Gc0TyQw\n        -----END PRIVATE KEY-----',
      'Rq3-nM7d-Yx1',
      'Kf8-tB2s-Hv4',
      'Sb6wQ1xR9zT3=',
      '"Rd7-kQ2w-Zp9x"',
      'Pg4-vL8n-Tq2',
      'My5-hJ3c-Wb6',
      'Ot4-gS6p-Qe7',
      'Lg5-yF8u-Cz3',
      'Wh1-xJ4b-Gn6',
      'Az7bXk2mQ9vT4wR1yP6sL3nC8dF5gH0j==',
      'Qa2-pV5c-Xs9',
    ]);
  });

  it('uses error, and warning outside production (namespace, then folder)', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.level, r.environments])).toEqual([
      ['development/bindings.yaml', 12, 'warning', ['non-production']],
      ['development/bindings.yaml', 25, 'warning', ['non-production']],
      ['development/bindings.yaml', 38, 'warning', ['non-production']],
      ['development/bindings.yaml', 40, 'warning', ['non-production']],
      // the folder "local" of the Multi-App Run file
      ['local/resources/pubsub.yaml', 10, 'warning', ['non-production']],
      ['production/endpoints.yaml', 12, 'error', ['production']],
      ['production/endpoints.yaml', 14, 'error', ['production']],
      ['production/endpoints.yaml', 25, 'error', ['production']],
      ['production/messaging.yaml', 11, 'error', ['production']],
      ['production/messaging.yaml', 33, 'error', ['production']],
      ['production/messaging.yaml', 47, 'error', ['production']],
      ['production/statestore.yaml', 14, 'error', ['production']],
      ['production/statestore.yaml', 28, 'error', ['production']],
      ['production/statestore.yaml', 42, 'error', ['production']],
      ['production/tracing.yaml', 15, 'error', ['production']],
      ['production/tracing.yaml', 32, 'error', ['production']],
      // no namespace, folder "shared": unclassified, the default level
      ['shared/custom.yaml', 12, 'error', ['unclassified']],
      // namespace prod-eu wins over the folder
      ['shared/custom.yaml', 26, 'error', ['production']],
      // namespace qa
      ['shared/custom.yaml', 40, 'warning', ['non-production']],
    ]);
    expect(results.every((r) => r.securitySeverity === undefined)).toBe(true);
  });

  it('covers table fields, profiles, aliases and the heuristic, saying why the field counts', () => {
    expect(at('production/statestore.yaml', 14).message).toBe(
      'Component "cache" (state.redis): metadata item "redisPassword" is a credential written in plain text (`redisPassword` is marked sensitive in the state.redis metadata). Anyone who can read the repository can use it. Reference it with secretKeyRef (a Kubernetes Secret, or the store named in auth.secretStore) or envRef instead, and rotate the credential. (production)',
    );
    // field names match case-insensitively, as components-contrib decodes them
    expect(at('production/messaging.yaml', 33).message).toContain('metadata item "SASLPASSWORD" is a credential written in plain text (`SASLPASSWORD` is marked sensitive in the pubsub.kafka metadata)');
    expect(at('development/bindings.yaml', 25).message).toContain('(`vaultToken` is a credential field of secretstores.hashicorp.vault that its metadata does not mark sensitive)');
    expect(at('development/bindings.yaml', 38).message).toContain('(`accessKey` is a credential of the built-in aws auth profile that bindings.aws.s3 uses)');
    expect(at('development/bindings.yaml', 12).message).toContain('Component "mailer" (bindings.twilio.sendgrid): metadata item "apiKey"');
    expect(at('shared/custom.yaml', 12).message).toContain('(`apiToken` looks like a credential field (its name ends in "token"))');
    // the alias storageAccessKey of accountKey
    expect(at('shared/custom.yaml', 26).message).toContain('metadata item "storageAccessKey" is a credential written in plain text (`storageAccessKey` is marked sensitive in the state.azure.blobstorage metadata)');
  });

  it('names the construct that embeds a credential and advises moving the whole value', () => {
    expect(at('production/statestore.yaml', 28).message).toBe(
      'Component "orders-store" (state.postgres): metadata item "connectionString" embeds a credential in plain text: the password= value of its connection string. Anyone who can read the repository can use it. Move the whole value into a secret and reference it with secretKeyRef (a Kubernetes Secret, or the store named in auth.secretStore) or envRef instead, and rotate the credential. (production)',
    );
    expect(at('production/statestore.yaml', 42).message).toContain('metadata item "connectionString" embeds a credential in plain text: the password of its MySQL DSN (user:password@…).');
    expect(at('production/messaging.yaml', 11).message).toContain('embeds a credential in plain text: the password in the user-info of its amqps:// URL.');
    // the key as written, not lower-cased
    expect(at('production/messaging.yaml', 47).message).toContain('Component "invoices" (bindings.azure.servicebusqueues): metadata item "connectionString" embeds a credential in plain text: the SharedAccessKey= value of its connection string.');
    // any field: a password inside redisHost
    expect(at('shared/custom.yaml', 40).message).toContain('metadata item "redisHost" embeds a credential in plain text: the password in the user-info of its redis:// URL.');
  });

  it('tells self-hosted components that secretKeyRef needs a secret store', () => {
    expect(at('local/resources/pubsub.yaml', 10).message).toBe(
      'Component "telemetry" (pubsub.mqtt): metadata item "url" embeds a credential in plain text: the password in the user-info of its ssl:// URL. Anyone who can read the repository can use it. Move the whole value into a secret and reference it with secretKeyRef (through the secret store named in auth.secretStore) or envRef instead, and rotate the credential. (non-production)',
    );
  });

  it('reports HTTPEndpoint headers and clientTLS, and Configuration otel headers', () => {
    expect(at('production/endpoints.yaml', 12).message).toBe(
      'HTTPEndpoint "payments-api": header "Authorization" (spec.headers) sends a credential written in plain text (the Authorization header carries a credential). Anyone who can read the repository can use it. Set the header with secretKeyRef or envRef instead of value, and rotate the credential. (production)',
    );
    expect(at('production/endpoints.yaml', 14).message).toContain('header "X-API-Key" (spec.headers) sends a credential written in plain text (the X-API-Key header carries a credential).');
    expect(at('production/endpoints.yaml', 25).message).toBe(
      'HTTPEndpoint "payments-api": spec.clientTLS.privateKey.value is the client TLS private key written in plain text. Anyone who can read the repository can impersonate this client. Use privateKey.secretKeyRef instead (clientTLS takes no envRef), and rotate the key. (production)',
    );
    expect(at('production/tracing.yaml', 15).message).toBe(
      'Configuration "tracing": OpenTelemetry exporter header "api-key" (spec.tracing.otel.headers) sends a credential written in plain text (the api-key header carries a credential). Anyone who can read the repository can use it. Set the header with secretKeyRef or envRef instead of value, and rotate the credential. (production)',
    );
    expect(at('production/tracing.yaml', 32).message).toContain('Configuration "legacy-tracing": OpenTelemetry exporter header "Authorization" (spec.tracing.otel.headers)');
  });

  it('never repeats a secret, in messages or in the SARIF log', () => {
    expectNoSecretLeak(fires, [ID], SECRETS);
    // DAPR501 reports the plaintext redis:// URL that carries one of them
    expectNoSecretLeak(fires, ['DAPR501'], SECRETS);
  });

  it('gives every finding its own fingerprint', () => {
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
  });

  it('does not fire on references, placeholders, empty values, identifiers, key files or non-Dapr kinds', () => {
    const passes = scanFixture('rules/DAPR201/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(of(passes, ID)).toEqual([]);
    // the fixture really holds the resources, so the silence means something
    expect(passes.model.ofType('component').map((c) => c.resource.name).sort()).toEqual(['broker', 'cache', 'e2e-encryption', 'orders-index', 'orders-store', 'templated']);
    expect(passes.model.ofType('httpendpoint').map((c) => c.resource.name)).toEqual(['square']);
    expect(passes.model.ofType('configuration').map((c) => c.resource.name)).toEqual(['tracing']);
  });
});
