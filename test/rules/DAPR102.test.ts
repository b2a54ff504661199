// DAPR102 unknown-app-id: every place a Dapr resource names an app-id (scopes,
// ACL policies judged in the caller's namespace, Resiliency targets, pub/sub
// topic scopes) must name an app that runs in that namespace, or one listed in
// knownAppIds. Namespaces where the repository runs nothing are not judged.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR102';

describe('DAPR102 unknown-app-id', () => {
  const fires = scanFixture('rules/DAPR102/fires');
  const results = of(fires, ID);

  it('points at the app-id wherever it is written', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // HTTPEndpoint scope entry
      { rule: ID, file: 'development/endpoint.yaml', line: 10, column: 5 },
      // flow sequence entry; "ledger-batch" is known in production only
      { rule: ID, file: 'development/statestore.yaml', line: 13, column: 33 },
      // ACL policy appId, judged in the policy's namespace (production)
      { rule: ID, file: 'production/appconfig.yaml', line: 16, column: 16 },
      // ACL policy appId, judged in the policy's namespace (development)
      { rule: ID, file: 'production/appconfig.yaml', line: 25, column: 16 },
      // publishingScopes, inside a double-quoted string
      { rule: ID, file: 'production/pubsub.yaml', line: 13, column: 31 },
      // subscriptionScopes, inside a plain string
      { rule: ID, file: 'production/pubsub.yaml', line: 15, column: 37 },
      // Resiliency targets.apps key
      { rule: ID, file: 'production/resiliency.yaml', line: 17, column: 7 },
      // Component scope entries
      { rule: ID, file: 'production/statestore.yaml', line: 14, column: 5 },
      { rule: ID, file: 'production/statestore.yaml', line: 15, column: 5 },
      // Subscription scope entry
      { rule: ID, file: 'production/subscription.yaml', line: 13, column: 5 },
      // unclassified namespace "shop"
      { rule: ID, file: 'shop/resources.yaml', line: 33, column: 5 },
    ]);
  });

  it('covers exactly the app-id inside a topic-scope string', () => {
    const topic = results.filter((r) => r.location.file === 'production/pubsub.yaml').map((r) => r.location.region);
    expect(topic).toEqual([
      { startLine: 13, startColumn: 31, endLine: 13, endColumn: 38 },
      { startLine: 15, startColumn: 37, endLine: 15, endColumn: 45 },
    ]);
  });

  it('is an error in production and a warning elsewhere', () => {
    expect(results.map((r) => r.level)).toEqual(['warning', 'warning', 'error', 'error', 'error', 'error', 'error', 'error', 'error', 'error', 'warning']);
  });

  it('suggests the nearest app-id and names the namespace where the id does run', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Scope entry "debug-tools" of HTTPEndpoint "payments-api" names an app-id that no workload runs in namespace "development". (non-production)',
      'Scope entry "ledger-batch" of Component "statestore" names an app-id that no workload runs in namespace "development". (non-production)',
      'Access-control policy "notifer" of Configuration "appconfig" names an app-id that no workload runs in namespace "production". Did you mean "notifier"? (production)',
      'Access-control policy "notifier" of Configuration "appconfig" names an app-id that no workload runs in namespace "development". "notifier" runs in namespace "production"; scopes and policies are namespace-local. (production)',
      'Topic scope "notifer" of Component "pubsub" names an app-id that no workload runs in namespace "production". Did you mean "notifier"? (production)',
      'Topic scope "reporter" of Component "pubsub" names an app-id that no workload runs in namespace "production". (production)',
      'Resiliency target "checkout" of Resiliency "retries" names an app-id that no workload runs in namespace "production". "checkout" runs in namespace "shop"; scopes and policies are namespace-local. (production)',
      'Scope entry "task-apii" of Component "statestore" names an app-id that no workload runs in namespace "production". Did you mean "task-api"? (production)',
      'Scope entry "test-runner" of Component "statestore" names an app-id that no workload runs in namespace "production". "test-runner" runs in namespace "development"; scopes and policies are namespace-local. (production)',
      'Scope entry "order-processor" of Subscription "alerts" names an app-id that no workload runs in namespace "production". (production)',
      'Scope entry "chekout" of Component "cache" names an app-id that no workload runs in namespace "shop". Did you mean "checkout"?',
    ]);
  });

  it('lists the workload behind a suggestion or an other-namespace hint as related location', () => {
    // the app-id annotation value of that workload
    const notifier = { file: 'production/apps.yaml', line: 37, column: 25, label: 'Deployment "notifier" runs "notifier" in namespace "production"' };
    const checkout = { file: 'shop/resources.yaml', line: 16, column: 25, label: 'Deployment "checkout" runs "checkout" in namespace "shop"' };
    expect(results.map((r) => r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label })))).toEqual([
      [],
      [],
      [notifier], // "notifer" → did you mean "notifier"?
      [notifier], // "notifier" runs in production, not development
      [notifier], // topic scope "notifer"
      [],
      [checkout], // "checkout" runs in shop
      [{ file: 'production/apps.yaml', line: 16, column: 25, label: 'Deployment "task-api" runs "task-api" in namespace "production"' }],
      [{ file: 'development/apps.yaml', line: 32, column: 25, label: 'Job "test-runner" runs "test-runner" in namespace "development"' }],
      [],
      [checkout], // "chekout" → did you mean "checkout"?
    ]);
  });

  it('accepts knownAppIds ("name" anywhere, "namespace/name" in one) and skips namespaces without workloads', () => {
    const filesNaming = (id: string): string[] => results.filter((r) => r.message.includes(`"${id}"`)).map((r) => r.location.file);
    expect(filesNaming('partner-gateway')).toEqual([]);
    // "production/ledger-batch" is known in production only
    expect(filesNaming('ledger-batch')).toEqual(['development/statestore.yaml']);
    // nothing runs in "reporting": neither its scopes nor an ACL policy for it are judged
    expect(filesNaming('report-builder')).toEqual([]);
  });

  it('does not fire when every app-id runs, is known, or is templated', () => {
    const passes = scanFixture('rules/DAPR102/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
