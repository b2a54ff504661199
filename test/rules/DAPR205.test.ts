// DAPR205 unknown-secret-store: auth.secretStore (Component or HTTPEndpoint)
// names no secretstores.* Component of the namespace. The built-in
// "kubernetes" store counts on Kubernetes only. Points at the store name.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR205';

function related(r: Result): Array<{ file: string; line: number; column: number; label?: string }> {
  return r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
}

describe('DAPR205 unknown-secret-store', () => {
  const fires = scanFixture('rules/DAPR205/fires');
  const results = of(fires, ID);

  it('points at the auth.secretStore value', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
    expect(hits(results)).toEqual([
      // self-hosted (Multi-App Run) component naming "kubernetes"
      { rule: ID, file: 'local/components/statestore.yaml', line: 13, column: 16 },
      // store defined in another namespace
      { rule: ID, file: 'production/statestore.yaml', line: 14, column: 16 },
      // typo
      { rule: ID, file: 'shop/components.yaml', line: 26, column: 16 },
      // names a state store
      { rule: ID, file: 'shop/components.yaml', line: 41, column: 16 },
      // no secretKeyRef yet
      { rule: ID, file: 'shop/components.yaml', line: 55, column: 16 },
      // HTTPEndpoint
      { rule: ID, file: 'shop/components.yaml', line: 69, column: 16 },
    ]);
    expect(results[2].location.region).toEqual({ startLine: 26, startColumn: 16, endLine: 26, endColumn: 21 });
  });

  it('is an error in every environment', () => {
    expect(results.map((r) => [r.level, r.environments[0]])).toEqual([
      ['error', 'non-production'],
      ['error', 'production'],
      ['error', 'unclassified'],
      ['error', 'unclassified'],
      ['error', 'unclassified'],
      ['error', 'unclassified'],
    ]);
  });

  it('explains what happens and suggests the intended store', () => {
    const [selfHosted, otherNamespace, typo, notAStore, unused, endpoint] = results;
    expect(typo.message).toBe(
      'Component "statestore" reads its secrets from store "vualt", which no secretstores.* Component defines in namespace "shop": daprd cannot resolve its secretKeyRefs and holds it back until a store of that name loads. Did you mean "vault"? Define the secret store there or correct the name.',
    );
    expect(related(typo)).toEqual([]);
    expect(otherNamespace.message).toContain('A secret store "vault" exists in namespace "shop"; a resource only sees the stores of its own namespace.');
    expect(otherNamespace.message).toMatch(/\(production\)$/);
    expect(selfHosted.message).toContain('no secretstores.* Component defines in the self-hosted project of local/dapr.yaml (the built-in "kubernetes" store exists only on Kubernetes)');
    expect(notAStore.message).toBe(
      'Component "pubsub" reads its secrets from store "statestore", but "statestore" is a state.redis component, not a secret store: daprd cannot resolve its secretKeyRefs and holds it back until a store of that name loads. Name a secretstores.* component.',
    );
    expect(related(notAStore)).toEqual([{ file: 'shop/components.yaml', line: 17, column: 9, label: 'component "statestore"' }]);
    expect(unused.message).toContain('"azure-keyvault", which no secretstores.* Component defines in namespace "shop": it has no secretKeyRef today, but any it gets will not resolve.');
    expect(endpoint.message).toContain('HTTPEndpoint "partner" reads its secrets from store "partner-secrets"');
  });

  it('does not fire on existing stores, the built-in Kubernetes store, templates or a case-insensitive key', () => {
    const passes = scanFixture('rules/DAPR205/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('component').filter((c) => c.resource.secretStore || c.resource.name === 'statestore').length).toBeGreaterThanOrEqual(4);
  });
  it('reads auth.secretstore in any letter case, as self-hosted daprd does, on a Component and an HTTPEndpoint', () => {
    const header = 'apiVersion: dapr.io/v1alpha1\n';
    const result = scanFiles({
      'shop/components.yaml': [
        `${header}kind: Component\nmetadata:\n  name: statestore\n  namespace: shop\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nauth:\n  secretstore: vault\nscopes: [api]\n`,
        `${header}kind: HTTPEndpoint\nmetadata:\n  name: payments\n  namespace: shop\nspec:\n  baseUrl: https://payments.example.com\nauth:\n  SecretStore: vault\n`,
      ].join('---\n'),
    });
    expect(hits(of(result, ID))).toEqual([
      { rule: ID, file: 'shop/components.yaml', line: 11, column: 16 },
      { rule: ID, file: 'shop/components.yaml', line: 22, column: 16 },
    ]);
  });
});
