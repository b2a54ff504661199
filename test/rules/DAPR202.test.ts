// DAPR202 empty-credential: a login credential present but empty, so the
// component connects without authentication. Points at the empty value (its
// key when nothing follows `value:`, the item's name when it has no value);
// warning by default, error in production, off outside production.
import { describe, expect, it } from 'vitest';
import { of, scanFixture } from '../helpers.js';
import { highlighted } from '../support/findings.js';

const ID = 'DAPR202';

describe('DAPR202 empty-credential', () => {
  const fires = scanFixture('rules/DAPR202/fires');
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

  it('points at the empty value, the value key, or the name of a valueless item', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endColumn, highlighted(fires, r)])).toEqual([
      // whitespace only
      ['production/messaging.yaml', 17, 14, 19, '"   "'],
      // `- name: authToken` with no value at all: its name
      ['production/messaging.yaml', 32, 13, 22, 'authToken'],
      ['production/messaging.yaml', 50, 14, 16, '""'],
      ['production/stores.yaml', 13, 14, 16, '""'],
      // state.postgres (alias of state.postgresql), single quotes
      ['production/stores.yaml', 29, 14, 16, "''"],
      // `value:` with nothing after it: the key
      ['production/stores.yaml', 47, 7, 12, 'value'],
      ['shared/stores.yaml', 14, 14, 16, '""'],
      // unknown type, name heuristic (…Password)
      ['shared/stores.yaml', 25, 14, 16, '""'],
    ]);
  });

  it('uses error in production, warning when unclassified, and is off outside production', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.level, r.environments])).toEqual([
      ['production/messaging.yaml', 17, 'error', ['production']],
      ['production/messaging.yaml', 32, 'error', ['production']],
      ['production/messaging.yaml', 50, 'error', ['production']],
      ['production/stores.yaml', 13, 'error', ['production']],
      ['production/stores.yaml', 29, 'error', ['production']],
      ['production/stores.yaml', 47, 'error', ['production']],
      ['shared/stores.yaml', 14, 'warning', ['unclassified']],
      ['shared/stores.yaml', 25, 'warning', ['unclassified']],
    ]);
    // development/stores.yaml has an empty redisPassword too: off there
    expect(results.filter((r) => r.location.file.startsWith('development/'))).toEqual([]);
  });

  it('says which item is empty, what follows, and what to do', () => {
    expect(at('production/stores.yaml', 13).message).toBe(
      'Component "cache" (state.redis): metadata item "redisPassword" is empty, so state.redis connects without a credential (`redisPassword` is marked sensitive in the state.redis metadata, and an empty value means no authentication). The server then accepts anyone who can reach it. Turn authentication on in the server and set the credential with secretKeyRef or envRef. (production)',
    );
    expect(at('production/messaging.yaml', 32).message).toContain('Component "queue" (pubsub.kubemq): metadata item "authToken" has no value, so pubsub.kubemq connects without a credential');
    expect(at('production/stores.yaml', 29).message).toContain('Component "orders-store" (state.postgres): metadata item "password" is empty, so state.postgres connects without a credential (`password` is a credential field of state.postgresql');
    expect(at('production/stores.yaml', 47).message).toContain('metadata item "aclToken" is empty, so state.consul connects without a credential (`aclToken` is a credential field of state.hashicorp.consul');
    expect(at('production/messaging.yaml', 17).message).toContain('metadata item "saslPassword" is empty, so pubsub.kafka connects without a credential');
    expect(at('production/messaging.yaml', 50).message).toContain('Component "mail" (bindings.smtp): metadata item "password" is empty');
    expect(at('shared/stores.yaml', 14).message).toContain('Component "sessions" (state.cassandra)');
    expect(at('shared/stores.yaml', 25).message).toContain('(`dbPassword` looks like a credential field (its name ends in "password"), and an empty value means no authentication)');
    expect(results.every((r) => r.securitySeverity === undefined)).toBe(true);
  });

  it('gives every finding its own fingerprint', () => {
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
  });

  it('does not fire where empty means another auth method, is optional, or is set by reference', () => {
    const passes = scanFixture('rules/DAPR202/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(of(passes, ID)).toEqual([]);
    expect(passes.model.ofType('component').map((c) => c.resource.name).sort()).toEqual(['cache', 'events', 'secrets', 'uploads', 'vault']);
  });
});
