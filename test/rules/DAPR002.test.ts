// DAPR002 dapr-resource-schema: dapr.io documents checked against the JSON
// Schemas of schema/dapr/ (derived from Dapr's CRDs), one finding per
// violation at the node to change.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/engine/config.js';
import type { Result } from '../../src/engine/policy.js';
import { scan } from '../../src/engine/run.js';
import { rule } from '../../src/rules/DAPR002-dapr-resource-schema.js';
import { CORPUS, hasCorpus, hits, NOW, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR002';

function messageAt(results: readonly Result[], file: string, line: number, column: number): string[] {
  return results.filter((r) => r.location.file === file && r.location.region.startLine === line && r.location.region.startColumn === column).map((r) => r.message);
}

describe('DAPR002 dapr-resource-schema', () => {
  const fires = scanFixture('rules/DAPR002/fires');
  const results = of(fires, ID);

  it('reports every violation at the node to change', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // header with both value and envRef: the ignored envRef key
      { rule: ID, file: 'deploy/httpendpoint.yaml', line: 10, column: 7 },
      // clientTLS.rootCA with both value and secretKeyRef: the value key
      { rule: ID, file: 'deploy/httpendpoint.yaml', line: 13, column: 7 },
      // renegotiation outside its enum: the value
      { rule: ID, file: 'deploy/httpendpoint.yaml', line: 17, column: 20 },
      // apiVersion dapr.io/v1: the value
      { rule: ID, file: 'deploy/pubsub.yaml', line: 1, column: 13 },
      // version: 1 is a number
      { rule: ID, file: 'deploy/pubsub.yaml', line: 7, column: 12 },
      // auth.secretstore: the key
      { rule: ID, file: 'deploy/pubsub.yaml', line: 10, column: 3 },
      // kind: Componnet
      { rule: ID, file: 'deploy/pubsub.yaml', line: 13, column: 7 },
      // no spec at all: metadata.name
      { rule: ID, file: 'deploy/pubsub.yaml', line: 24, column: 9 },
      // no spec.version: the spec key
      { rule: ID, file: 'deploy/statestore.yaml', line: 5, column: 1 },
      // initTimout: the key (the spec.scopes key on line 8 is DAPR103's)
      { rule: ID, file: 'deploy/statestore.yaml', line: 7, column: 3 },
      // value beside secretKeyRef: the value key
      { rule: ID, file: 'deploy/statestore.yaml', line: 14, column: 7 },
      // metadata item without a name: the item
      { rule: ID, file: 'deploy/statestore.yaml', line: 18, column: 7 },
      // valueFrom: the key
      { rule: ID, file: 'deploy/statestore.yaml', line: 20, column: 7 },
      // scopes as a string: the value
      { rule: ID, file: 'deploy/statestore.yaml', line: 21, column: 9 },
      // routes in a v1alpha1 Subscription: the key
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 8, column: 3 },
      // routing rule without a path: the rule
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 21, column: 9 },
      // unquoted boolean in subscription metadata
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 24, column: 17 },
      // a number among the scopes
      { rule: ID, file: 'deploy/subscriptions.yaml', line: 25, column: 25 },
      // samplingRate: 1 is a number
      { rule: ID, file: 'production/configuration.yaml', line: 8, column: 19 },
      // mtls without controlPlaneTrustDomain, and without sentryAddress: the mtls key, twice
      { rule: ID, file: 'production/configuration.yaml', line: 9, column: 3 },
      { rule: ID, file: 'production/configuration.yaml', line: 9, column: 3 },
      // access control policy without appId: the policy
      { rule: ID, file: 'production/configuration.yaml', line: 14, column: 9 },
      // enabled: "true" is a string
      { rule: ID, file: 'production/configuration.yaml', line: 18, column: 16 },
      // apiLoging: the key
      { rule: ID, file: 'production/configuration.yaml', line: 20, column: 5 },
      // no spec.targets: the spec key
      { rule: ID, file: 'staging/resiliency.yaml', line: 5, column: 1 },
      // maxRetries: "3" is a string
      { rule: ID, file: 'staging/resiliency.yaml', line: 11, column: 21 },
    ]);
  });

  it('says what is wrong, why it matters and how to fix it', () => {
    const at = (file: string, line: number, column: number): string[] => messageAt(results, file, line, column);
    expect(at('deploy/statestore.yaml', 5, 1)).toEqual(['Component "statestore" has no spec.version: the API server rejects the Component (self-hosted Dapr assumes v1).']);
    expect(at('deploy/statestore.yaml', 7, 3)).toEqual([
      'Unknown field "initTimout" under spec of Component "statestore": the Component CRD does not define it, so the API server drops it and Dapr never reads it. Did you mean "initTimeout"?',
    ]);
    expect(at('deploy/statestore.yaml', 14, 7)).toEqual([
      'Metadata item "redisPassword" of Component "statestore" sets both value and secretKeyRef: Dapr uses secretKeyRef and ignores value, so the literal value only sits in the repository. Keep only one.',
    ]);
    expect(at('deploy/statestore.yaml', 18, 7)).toEqual(['Metadata item 3 of Component "statestore" has no name: the API server rejects the Component.']);
    expect(at('deploy/statestore.yaml', 20, 7)).toEqual([
      'Unknown field "valueFrom" in metadata item "enableTLS" of Component "statestore": the Component CRD does not define it, so the API server drops it and Dapr never reads it. Did you mean "value"?',
    ]);
    expect(at('deploy/statestore.yaml', 21, 9)).toEqual(['scopes of Component "statestore" is a string, not a list of app-ids: the API server rejects the Component.']);
    expect(at('deploy/pubsub.yaml', 1, 13)).toEqual(['Component "pubsub" has apiVersion "dapr.io/v1", which Dapr does not serve for Component: use dapr.io/v1alpha1.']);
    expect(at('deploy/pubsub.yaml', 7, 12)).toEqual(['spec.version of Component "pubsub" is the number 1, not a string: the API server rejects the Component. Quote it: "1".']);
    // One mistake, one finding: no separate "has no auth.secretStore".
    expect(at('deploy/pubsub.yaml', 10, 3)).toEqual([
      'Field "secretstore" under auth of Component "pubsub" must be spelt "secretStore": the API server matches field names exactly and drops it (only self-hosted Dapr ignores the case).',
    ]);
    expect(at('deploy/pubsub.yaml', 13, 7)).toEqual(['Unknown Dapr kind "Componnet": no dapr.io CRD defines it, so the API server rejects the document. Did you mean "Component"?']);
    expect(at('deploy/pubsub.yaml', 24, 9)).toEqual(['Component "lonely" has no spec: Dapr cannot use the Component.']);
    // Also one finding: no separate "has no spec.route".
    expect(at('deploy/subscriptions.yaml', 8, 3)).toEqual([
      'Field "routes" under spec of Subscription "orders-v1" exists only in dapr.io/v2alpha1 Subscriptions, so the API server drops it from this one. Change apiVersion to dapr.io/v2alpha1, or write spec.route.',
    ]);
    expect(at('deploy/subscriptions.yaml', 21, 9)).toEqual(['Subscription "orders-v2" has no spec.routes.rules[0].path: the API server rejects the Subscription.']);
    expect(at('deploy/subscriptions.yaml', 25, 25)).toEqual(['scopes[1] of Subscription "orders-v2" is the number 42, not a string: the API server rejects the Subscription. Quote it: "42".']);
    expect(at('deploy/httpendpoint.yaml', 10, 7)).toEqual(['Header "Authorization" of HTTPEndpoint "payments" sets both value and envRef: Dapr uses value and ignores envRef. Keep only one.']);
    expect(at('deploy/httpendpoint.yaml', 13, 7)).toEqual(['spec.clientTLS.rootCA of HTTPEndpoint "payments" sets both value and secretKeyRef: only one can be used. Keep only one.']);
    expect(at('deploy/httpendpoint.yaml', 17, 20)).toEqual([
      'spec.clientTLS.renegotiation of HTTPEndpoint "payments" is the string "Sometimes", not one of "Never", "OnceAsClient", "FreelyAsClient": the API server rejects the HTTPEndpoint.',
    ]);
    expect(at('production/configuration.yaml', 9, 3).sort()).toEqual([
      'Configuration "appconfig" has no spec.mtls.controlPlaneTrustDomain: the API server rejects the Configuration. (production)',
      'Configuration "appconfig" has no spec.mtls.sentryAddress: the API server rejects the Configuration. (production)',
    ]);
    expect(at('production/configuration.yaml', 14, 9)).toEqual(['Access control policy 1 of Configuration "appconfig" has no appId: the API server rejects the Configuration. (production)']);
    expect(at('staging/resiliency.yaml', 11, 21)).toEqual([
      'spec.policies.retries.standard.maxRetries of Resiliency "checkout" is the string "3", not an integer: the API server rejects the Resiliency. (non-production)',
    ]);
  });

  it('is an error, and a warning outside production', () => {
    const levels = new Map(results.map((r) => [r.location.file, r.level]));
    expect(levels.get('production/configuration.yaml')).toBe('error');
    expect(levels.get('deploy/statestore.yaml')).toBe('error');
    expect(levels.get('staging/resiliency.yaml')).toBe('warning');
    expect(results.every((r) => r.securitySeverity === undefined || r.securitySeverity === 5.0)).toBe(true);
  });

  it('leaves a scopes key under spec to DAPR103', () => {
    expect(hits(of(fires, 'DAPR103'))).toEqual([{ rule: 'DAPR103', file: 'deploy/statestore.yaml', line: 8, column: 3 }]);
    expect(results.filter((r) => r.location.region.startLine === 8 && r.location.file === 'deploy/statestore.yaml')).toEqual([]);
  });

  it('gives every violation its own fingerprint', () => {
    const prints = results.map((r) => r.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('does not fire on valid resources of every kind and version, nor on non-Dapr kinds', () => {
    const passes = scanFixture('rules/DAPR002/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    const dapr = passes.model.instances.filter((i) => i.resource.group === 'dapr.io').map((i) => `${i.resource.apiVersion} ${i.resource.kind}`);
    expect([...new Set(dapr)].sort()).toEqual([
      'dapr.io/v1alpha1 Component',
      'dapr.io/v1alpha1 Configuration',
      'dapr.io/v1alpha1 HTTPEndpoint',
      'dapr.io/v1alpha1 MCPServer',
      'dapr.io/v1alpha1 Resiliency',
      'dapr.io/v1alpha1 Subscription',
      'dapr.io/v1alpha1 WorkflowAccessPolicy',
      'dapr.io/v2alpha1 Subscription',
    ]);
    // The Backstage Component is in the model but not a Dapr resource.
    expect(passes.model.instances.some((i) => i.resource.group === 'backstage.io' && i.resource.kind === 'Component')).toBe(true);
    // The misplaced scopes are still found, by DAPR103.
    expect(of(passes, 'DAPR103').length).toBe(2);
  });

  it('reports a resource reached by two kustomize overlays once, naming both placements', () => {
    const base = ['apiVersion: dapr.io/v1alpha1', 'kind: Component', 'metadata:', '  name: cache', 'spec:', '  type: state.redis', '  metadata: []', 'scopes: [orders]', ''].join('\n');
    const result = scanFiles({
      'base/kustomization.yaml': 'resources:\n  - cache.yaml\n',
      'base/cache.yaml': base,
      'overlays/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../../base\n',
      'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n  - ../../base\n',
    });
    const found = of(result, ID);
    expect(hits(found)).toEqual([{ rule: ID, file: 'base/cache.yaml', line: 5, column: 1 }]);
    expect(found[0].level).toBe('error');
    expect(found[0].namespaces).toEqual(['dev', 'prod']);
    expect(found[0].message).toMatch(/^Component "cache" has no spec\.version: .* Applies to namespace "(dev|prod)"/);
  });

  it('treats a null field as missing and an empty metadata value as fine, like the API server', () => {
    const result = scanFiles({
      'deploy/cache.yaml': ['apiVersion: dapr.io/v1alpha1', 'kind: Component', 'metadata:', '  name: cache', 'spec:', '  type: state.in-memory', '  version: v1', '  metadata:', 'auth:', ''].join('\n'),
      'deploy/store.yaml': ['apiVersion: dapr.io/v1alpha1', 'kind: Component', 'metadata:', '  name: store', 'spec:', '  type: state.redis', '  version: v1', '  metadata:', '    - name: redisPassword', '      value:', ''].join('\n'),
    });
    const found = of(result, ID);
    expect(hits(found)).toEqual([{ rule: ID, file: 'deploy/cache.yaml', line: 8, column: 3 }]);
    expect(found[0].message).toBe('Component "cache" has an empty spec.metadata: the API server rejects the Component (write `metadata: []` when it has no settings).');
  });

  it('reports an entry with all three sources once, and a kind it does not check only for its version', () => {
    const result = scanFiles({
      'deploy/store.yaml': [
        'apiVersion: dapr.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: store',
        'spec:',
        '  type: state.redis',
        '  version: v1',
        '  metadata:',
        '    - name: redisPassword',
        '      envRef: REDIS_PASSWORD',
        '      value: hunter2',
        '      secretKeyRef: { name: redis, key: password }',
        '---',
        'apiVersion: dapr.io/v2',
        'kind: MCPServer',
        'metadata:',
        '  name: tools',
        'spec:',
        '  anything: goes',
        '',
      ].join('\n'),
    });
    const found = of(result, ID);
    expect(hits(found)).toEqual([
      // the ignored literal value, the line to delete
      { rule: ID, file: 'deploy/store.yaml', line: 11, column: 7 },
      { rule: ID, file: 'deploy/store.yaml', line: 14, column: 13 },
    ]);
    expect(found.map((r) => r.message)).toEqual([
      'Metadata item "redisPassword" of Component "store" sets value, secretKeyRef and envRef: Dapr uses secretKeyRef and ignores value and envRef, so the literal value only sits in the repository. Keep only one.',
      'MCPServer "tools" has apiVersion "dapr.io/v2", which Dapr does not serve for MCPServer: use dapr.io/v1alpha1.',
    ]);
  });

  it('leaves an alias bomb to DAPR001 and does not crash', () => {
    const bomb = [
      'apiVersion: dapr.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: bomb',
      'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'spec: { type: state.redis, version: v1, metadata: [{ name: x, value: *e }] }',
      '',
    ].join('\n');
    const result = scanFiles({ 'deploy/bomb.yaml': bomb });
    expect(result.executionSuccessful).toBe(true);
    expect(of(result, ID)).toEqual([]);
    expect(of(result, 'DAPR001').map((r) => r.location.file)).toEqual(['deploy/bomb.yaml']);
  });

  it('does not fire in a repository without Dapr resources', () => {
    const result = scanFiles({ 'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: b\n' });
    expect(of(result, ID)).toEqual([]);
  });
});

/**
 * Every DAPR002 finding on the shared corpus, read one by one. All are real
 * departures from the CRDs Dapr ships; none comes from a field Dapr supports.
 * Most sit in components that only ever run self-hosted (components-contrib
 * tests, SDK examples), where daprd is more lenient than the API server.
 */
const CORPUS_MISTAKES: ReadonlyArray<{ why: string; file: RegExp; message: RegExp; count: number }> = [
  {
    why: 'components-contrib test components with `metadata:` empty or absent; the CRD requires the list (dapr/dapr#4740)',
    file: /^dapr__components-contrib\/tests\//,
    message: /^Component "[^"]+" has (no|an empty) spec\.metadata: /,
    count: 82,
  },
  { why: 'components-contrib test components without spec.version (daprd assumes v1, the CRD requires it)', file: /^dapr__components-contrib\/tests\//, message: /^Component "[^"]+" has no spec\.version: /, count: 36 },
  {
    why: 'components-contrib certification tests spell auth.secretStore as `secretstore`: daprd ignores case, the API server does not',
    file: /^dapr__components-contrib\/tests\/certification\//,
    message: /^Field "secretstore" under auth of Component "[^"]+" must be spelt "secretStore"/,
    count: 34,
  },
  {
    why: 'components-contrib certification tests write `secretKeyRef: { name, value }` instead of `{ name, key }` (works only because key defaults to name)',
    file: /^dapr__components-contrib\/tests\/certification\/(bindings\/azure\/eventhubs|state\/sqlserver)\//,
    message: /^Unknown field "value" under secretKeyRef of metadata item /,
    count: 21,
  },
  { why: 'a Component without metadata (no name)', file: /^dapr__components-contrib\/tests\/config\/pubsub\/solace\/amqp\/pubsub\.yml$/, message: /^Component "\(unnamed\)" has no metadata: /, count: 1 },
  { why: '`- timeout:` written instead of `- name: timeout`', file: /memcached\/components\/docker\/20secondsTimeout\/memcachedstatestore\.yaml$/, message: /^Metadata item 2 of Component "statestore" has no name/, count: 1 },
  {
    why: 'unit-test fixtures of the self-hosted config loader, partial or deliberately invalid (tracing_invalid_config.yaml), with otel headers in an older string form',
    file: /^dapr__dapr\/pkg\/config\/testdata\/(metric_rec|mtls_config|override|tracing_config|tracing_invalid_config)\.yaml$/,
    message: /^(Configuration "[^"]+" has no spec\.|Tracing header \d of Configuration )/,
    count: 15,
  },
  { why: 'a resiliency loader fixture in an early format (`buildingBlocks`, no targets)', file: /^dapr__dapr\/pkg\/resiliency\/testdata\/resiliency_scoped\.yaml$/, message: /spec\.targets|"buildingBlocks"/, count: 2 },
  { why: 'mtls with only enabled/TTL/skew, which the CRD of Dapr 1.15+ rejects (dapr/dapr#8716)', file: /^dapr__dapr\/tests\/config\/dapr_mtls_off_config\.yaml$/, message: /has no spec\.mtls\.(sentryAddress|controlPlaneTrustDomain)/, count: 2 },
  {
    why: 'SDK examples, quickstarts and samples with Components lacking spec.metadata or spec.version',
    file: /^(dapr__dotnet-sdk|dapr__go-sdk|dapr__quickstarts|dapr__samples|rnlaigner__MarketplaceOnDapr)\//,
    message: /^Component "[^"]+" has (no|an empty) spec\.(metadata|version): /,
    count: 12,
  },
  { why: 'tracing fields of Dapr 0.x (enabled, expandParams, includeBody) and no samplingRate', file: /^dapr__samples\/middleware-oauth-microsoftazure\/deploy\/msgraphpipeline\.yaml$/, message: /spec\.tracing/, count: 4 },
  { why: 'an HTTPEndpoint with spec.version, which the CRD does not have', file: /^dapr__samples\/workflow-external-invocation\/Resources\/httpEndpoint\.yaml$/, message: /^Unknown field "version" under spec of HTTPEndpoint/, count: 1 },
];

describe.skipIf(!hasCorpus)('DAPR002 on the shared corpus of real Dapr manifests', () => {
  it('reports only the known mistakes, each of them', () => {
    const result = scan({ root: CORPUS, config: resolveConfig({ root: CORPUS }), now: NOW, rules: [rule] });
    expect(result.executionSuccessful).toBe(true);
    const found = of(result, ID);
    const counts = CORPUS_MISTAKES.map(() => 0);
    const unexplained: string[] = [];
    for (const r of found) {
      const i = CORPUS_MISTAKES.findIndex((m) => m.file.test(r.location.file) && m.message.test(r.message));
      if (i === -1) unexplained.push(`${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn} ${r.message}`);
      else counts[i]++;
    }
    expect(unexplained).toEqual([]);
    expect(counts).toEqual(CORPUS_MISTAKES.map((m) => m.count));
    // Every kind the corpus holds was checked: Subscriptions of both versions, Resiliency, HTTPEndpoint, WorkflowAccessPolicy.
    const kinds = new Set(result.model.instances.filter((i) => i.resource.group === 'dapr.io').map((i) => `${i.resource.apiVersion} ${i.resource.kind}`));
    expect(kinds).toEqual(
      new Set([
        'dapr.io/v1alpha1 Component',
        'dapr.io/v1alpha1 Configuration',
        'dapr.io/v1alpha1 HTTPEndpoint',
        'dapr.io/v1alpha1 Resiliency',
        'dapr.io/v1alpha1 Subscription',
        'dapr.io/v2alpha1 Subscription',
        'dapr.io/v1alpha1 WorkflowAccessPolicy',
      ]),
    );
  });

  it('never quotes a string that could be a credential', () => {
    const result = scanFiles({
      'c.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: tracing\nspec:\n  tracing:\n    samplingRate: "1"\n    otel:\n      endpointAddress: otel:4317\n      headers: "Authorization=Basic c2VjcmV0OnMzY3IzdA=="\n---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n  ignoreErrors: hunter2hunter2\n',
    });
    const messages = of(result, 'DAPR002').map((r) => r.message);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const m of messages) {
      expect(m).not.toContain('c2VjcmV0');
      expect(m).not.toContain('hunter2');
    }
  });
});
