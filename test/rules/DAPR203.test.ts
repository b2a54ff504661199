// DAPR203 committed-secret: a Kubernetes Secret with values in data/stringData,
// reported at the data / stringData key, one finding per field; never for
// SOPS-encrypted Secrets, SealedSecrets, ExternalSecrets or placeholders.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR203';
/** Every value written in the fixture's Secrets: none may appear in a message. */
const VALUES = ['Tr0ub4dor-and-3', 'c2tfbGl2ZV81MUg4eFE=', 'sk_live_51H8xQ', 'd2hzZWNfOWZLcTJ6', '4711', 'v-one', 'v-six'];

describe('DAPR203 committed-secret', () => {
  const fires = scanFixture('rules/DAPR203/fires');
  const results = of(fires, ID);

  it('points at the data / stringData key, once per field', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'development/secret.yaml', line: 7, column: 1 },
      { rule: ID, file: 'production/secrets.yaml', line: 7, column: 1 },
      // a Secret with both fields: data and stringData
      { rule: ID, file: 'production/secrets.yaml', line: 16, column: 1 },
      { rule: ID, file: 'production/secrets.yaml', line: 19, column: 1 },
      { rule: ID, file: 'shared/many.yaml', line: 6, column: 1 },
    ]);
    // the region is the key itself
    expect(results[1].location.region).toEqual({ startLine: 7, startColumn: 1, endLine: 7, endColumn: 11 });
  });

  it('uses error, and warning outside production', () => {
    expect(results.map((r) => [r.location.file, r.level, r.environments])).toEqual([
      ['development/secret.yaml', 'warning', ['non-production']],
      ['production/secrets.yaml', 'error', ['production']],
      ['production/secrets.yaml', 'error', ['production']],
      ['production/secrets.yaml', 'error', ['production']],
      ['shared/many.yaml', 'error', ['unclassified']],
    ]);
    expect(results.every((r) => r.securitySeverity === undefined)).toBe(true);
  });

  it('names the keys that hold values, skipping empty values and placeholders', () => {
    const [dev, redis, paymentsData, paymentsString, many] = results;
    expect(dev.message).toBe(
      'Secret "postgres" commits a value in stringData for password: anyone who can read the repository can read it. Commit a SealedSecret, a SOPS-encrypted file or an ExternalSecret instead, and rotate the value if it is a credential. (non-production)',
    );
    expect(redis.message).toContain('Secret "redis" commits a value in stringData for redis-password');
    expect(paymentsData.message).toContain('commits 2 values in data (base64 is an encoding, not encryption) for api-key, webhook-secret: anyone who can read the repository can read them.');
    expect(paymentsString.message).toContain('commits a value in stringData for merchant-id');
    // more than five keys: the list is cut, the count given; the placeholder k7 is not counted
    expect(many.message).toContain('commits 6 values in stringData for k1, k2, k3, k4, k5, … (6 keys)');
  });

  it('never repeats a value', () => {
    for (const r of results) for (const v of VALUES) expect(r.message).not.toContain(v);
  });

  it('gives every finding its own fingerprint', () => {
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
  });

  it('does not fire on encrypted, sealed, external, empty or templated Secrets, nor on ConfigMaps', () => {
    const passes = scanFixture('rules/DAPR203/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the fixture really holds Secrets with data, so the silence means something
    expect(passes.model.ofType('secret').map((s) => s.resource.name).sort()).toEqual(['blanks', 'empty', 'redis', 'redis-copy', 'sa-token', 'templated']);
  });
});
