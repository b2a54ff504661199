// DAPR107 access-policy-drift: the repository's grants against config
// accessPolicy. Undeclared grants are errors (at the scope entry, or at
// metadata.name for an unscoped Component); missing declared grants are
// warnings (at metadata.name, or in rules.config.json when the Component does
// not exist).
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR107';

describe('DAPR107 access-policy-drift', () => {
  const fires = scanFixture('rules/DAPR107/fires');
  const results = of(fires, ID);

  it('points at the scope entry, the Component name, or the policy entry in the config', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // statestore grants "reports", undeclared
      { rule: ID, file: 'production/components.yaml', line: 14, column: 5 },
      // pubsub is not scoped to "notifier", which the policy declares
      { rule: ID, file: 'production/components.yaml', line: 19, column: 9 },
      // cache has no scopes: it grants every app of the namespace
      { rule: ID, file: 'production/components.yaml', line: 33, column: 9 },
      // "secrets" is declared for task-api but no such Component exists: the "secrets" string of the policy
      { rule: ID, file: 'rules.config.json', line: 4, column: 44 },
      // prod-eu runs task-api but has no Component at all yet: the "statestore" string of the "prod-*" entry
      { rule: ID, file: 'rules.config.json', line: 8, column: 20 },
    ]);
  });

  it('makes undeclared grants errors and missing grants warnings', () => {
    expect(results.map((r) => [r.level, r.environments])).toEqual([
      ['error', ['production']],
      ['warning', ['production']],
      ['error', ['production']],
      ['warning', ['production']],
      // the environment of a namespace without Components comes from its apps
      ['warning', ['production']],
    ]);
  });

  it('names the grant and the policy key', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Component "statestore" grants "reports", which accessPolicy "production" does not declare for namespace "production". (production)',
      'accessPolicy "production" declares "notifier" → "pubsub", but Component "pubsub" is not scoped to "notifier" in namespace "production". (production)',
      'Component "cache" has no scopes, so it grants "notifier", "reports", "task-api", which accessPolicy "production" does not declare for namespace "production". (production)',
      'accessPolicy "production" declares "task-api" → "secrets", but no Component "secrets" exists in namespace "production". (production)',
      'accessPolicy "prod-*" declares "task-api" → "statestore", but no Component "statestore" exists in namespace "prod-eu". (production)',
    ]);
  });

  it('does not check namespaces that match no policy key', () => {
    expect(results.filter((r) => r.location.file.startsWith('staging/'))).toEqual([]);
  });

  it('does not fire when the manifests match the policy (globs included)', () => {
    const passes = scanFixture('rules/DAPR107/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // prod-eu really is judged against "prod-*": its unscoped config-store grants only task-api
    expect(passes.model.accessMatrix().map((ns) => [ns.namespace, ns.appIds])).toEqual([
      ['prod-eu', ['task-api']],
      ['production', ['notifier', 'task-api']],
      ['staging', ['task-api']],
    ]);
  });

  it('is silent without accessPolicy', () => {
    const noPolicy = scanFixture('rules/DAPR107/no-policy');
    expect(noPolicy.executionSuccessful).toBe(true);
    expect(hits(of(noPolicy, ID))).toEqual([]);
  });
});
