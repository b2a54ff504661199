// DAPR101 component-unscoped: a Component without scopes (or with an empty
// list) is reported at its metadata.name, or at the empty list itself; secret
// stores use their own levels (error / error / warning) and severity.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR101';

describe('DAPR101 component-unscoped', () => {
  const fires = scanFixture('rules/DAPR101/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at metadata.name, or at an empty scopes list', () => {
    expect(hits(results)).toEqual([
      { rule: ID, file: 'development/apps.yaml', line: 42, column: 9 },
      { rule: ID, file: 'development/secrets.yaml', line: 4, column: 9 },
      { rule: ID, file: 'production/statestore.yaml', line: 4, column: 9 },
      // `scopes: []`: the `[]` node
      { rule: ID, file: 'production/vault.yaml', line: 15, column: 9 },
      { rule: ID, file: 'shared/statestore.yaml', line: 4, column: 9 },
      { rule: ID, file: 'shared/statestore.yaml', line: 22, column: 9 },
    ]);
  });

  it('uses the component levels, and error / error / warning for secret stores', () => {
    expect(results.map((r) => [r.location.file, r.location.region.startLine, r.level, r.environments])).toEqual([
      ['development/apps.yaml', 42, 'note', ['non-production']],
      // secret store, non-production
      ['development/secrets.yaml', 4, 'warning', ['non-production']],
      ['production/statestore.yaml', 4, 'error', ['production']],
      // secret store, production
      ['production/vault.yaml', 15, 'error', ['production']],
      ['shared/statestore.yaml', 4, 'warning', ['unclassified']],
      // secret store, unclassified: the variant's default is error
      ['shared/statestore.yaml', 22, 'error', ['unclassified']],
    ]);
  });

  it('gives secret stores security-severity 8.0', () => {
    expect(results.map((r) => r.securitySeverity)).toEqual([undefined, 8.0, undefined, 8.0, undefined, 8.0]);
  });

  it('says who can use the component today, and whether the list is empty or missing', () => {
    const [pubsub, localSecrets, statestore, vault, cache, keyvault] = results;
    expect(pubsub.message).toBe(
      'Component "pubsub" (pubsub.redis) has no scopes: every Dapr app in namespace "development" can use it (2 run there now: task-api, test-runner). List the app-ids that need it under top-level scopes. (non-production)',
    );
    expect(localSecrets.message).toContain('"local-secrets" (secretstores.local.file) has no scopes');
    expect(localSecrets.message).toContain('can read every secret it can reach');
    expect(statestore.message).toContain('in namespace "production" can use it (1 run there now: task-api).');
    expect(vault.message).toContain('Component "vault" (secretstores.hashicorp.vault) has an empty scopes list');
    expect(vault.message).toMatch(/\(production\)$/);
    // no app runs in "shop": no head count, and no environment suffix
    expect(cache.message).toBe(
      'Component "cache" (state.in-memory) has no scopes: every Dapr app in namespace "shop" can use it. List the app-ids that need it under top-level scopes.',
    );
    expect(keyvault.message).toContain('has an empty scopes list');
  });

  it('leaves a Component with misplaced scopes to DAPR103', () => {
    expect(results.filter((r) => r.location.file === 'production/misplaced.yaml')).toEqual([]);
    expect(hits(of(fires, 'DAPR103'))).toEqual([{ rule: 'DAPR103', file: 'production/misplaced.yaml', line: 14, column: 3 }]);
  });

  it('does not fire on scoped Components or on non-Dapr kinds named Component', () => {
    const passes = scanFixture('rules/DAPR101/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the fixture really does hold components, so the silence means something
    expect(passes.model.ofType('component').map((c) => c.resource.name).sort()).toEqual(['pubsub', 'statestore', 'vault']);
  });
});
