// DAPR204 secret-ref-unresolved: references to Kubernetes Secrets that the
// repository manages but that are missing or lack the key. Points at the
// reference (the name or key value, the annotation value, or the entry inside
// env-from-secret); a Secret that lacks the key is the related location.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR204';

function related(r: Result): Array<{ file: string; line: number; column: number; label?: string }> {
  return r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
}

function region(r: Result): [number, number, number, number] {
  const g = r.location.region;
  return [g.startLine, g.startColumn, g.endLine, g.endColumn];
}

describe('DAPR204 secret-ref-unresolved', () => {
  const fires = scanFixture('rules/DAPR204/fires');
  const results = of(fires, ID);
  const at = (file: string, line: number): Result => {
    const r = results.find((x) => x.location.file === file && x.location.region.startLine === line);
    if (!r) throw new Error(`no ${ID} result at ${file}:${line}`);
    return r;
  };

  it('points at every unresolved reference, and only those', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
    expect(hits(results)).toEqual([
      // kustomize: base reached from overlays/production (namespace production), key missing in the secretGenerator
      { rule: ID, file: 'base/statestore.yaml', line: 12, column: 14 },
      // Secret "redis" exists only in namespace shop
      { rule: ID, file: 'billing/components.yaml', line: 21, column: 29 },
      // key missing: the key value
      { rule: ID, file: 'shop/components.yaml', line: 15, column: 14 },
      // no key given: the name value (the key defaults to it)
      { rule: ID, file: 'shop/components.yaml', line: 18, column: 15 },
      // auth.secretStore: kubernetes, Secret missing (the Component "cache" on vault is not judged)
      { rule: ID, file: 'shop/components.yaml', line: 31, column: 29 },
      // api-token-secret: Secret without key "token"
      { rule: ID, file: 'shop/deployments.yaml', line: 15, column: 35 },
      // app-token-secret: no such Secret
      { rule: ID, file: 'shop/deployments.yaml', line: 16, column: 35 },
      // env-from-secret: two of three entries
      { rule: ID, file: 'shop/deployments.yaml', line: 17, column: 70 },
      { rule: ID, file: 'shop/deployments.yaml', line: 17, column: 102 },
      // HTTPEndpoint header and clientTLS
      { rule: ID, file: 'shop/endpoint.yaml', line: 11, column: 15 },
      { rule: ID, file: 'shop/endpoint.yaml', line: 17, column: 14 },
      // Configuration otel header without key
      { rule: ID, file: 'shop/endpoint.yaml', line: 33, column: 19 },
      // fallback namespace, but the generator is in the same kustomize build
      { rule: ID, file: 'stack-components/cache.yaml', line: 10, column: 41 },
    ]);
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(['error']));
    expect(at('base/statestore.yaml', 12).environments).toEqual(['production']);
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
  });

  it('points inside env-from-secret at the whole entry', () => {
    expect(region(at('shop/deployments.yaml', 17))).toEqual([17, 70, 17, 101]); // PAYMENTS_URL=payments-creds:url
    expect(region(results.filter((r) => r.location.file === 'shop/deployments.yaml')[3])).toEqual([17, 102, 17, 113]); // REDIS=redis
  });

  it('says what is missing, and lists the Secret that lacks the key as related', () => {
    const keyMissing = at('shop/components.yaml', 15);
    expect(keyMissing.message).toBe(
      'secretKeyRef of metadata "redisPassword" of Component "statestore" reads key "redis-password" of Secret "redis", which has no such key (it has "password"): the operator leaves the value empty and the component starts without it. Add the key to the Secret or correct the reference.',
    );
    expect(related(keyMissing)).toEqual([{ file: 'shop/secrets.yaml', line: 4, column: 9, label: 'SealedSecret "redis" (keys: password)' }]);

    expect(at('shop/components.yaml', 18).message).toContain('reads key "redis" of Secret "redis" (no key is given, so the key named like the Secret is read)');

    const secretMissing = at('shop/components.yaml', 31);
    expect(secretMissing.message).toBe(
      'secretKeyRef of metadata "connectionString" of Component "pubsub" names Secret "rabbitmq", which the repository does not define in namespace "shop": the Dapr operator cannot resolve it and fails to hand components to the sidecars of this namespace. Define the Secret in this namespace or correct the name.',
    );
    expect(related(secretMissing)).toEqual([]);

    expect(at('billing/components.yaml', 21).message).toContain('A Secret "redis" exists in namespace "shop"; Secrets are only read from the referencing resource\'s own namespace.');

    const generator = at('base/statestore.yaml', 12);
    expect(generator.message).toMatch(/\(production\)$/);
    expect(related(generator)).toEqual([{ file: 'base/kustomization.yaml', line: 4, column: 11, label: 'secretGenerator "db" (keys: password)' }]);
    expect(related(at('stack-components/cache.yaml', 10))).toEqual([{ file: 'stack/kustomization.yaml', line: 5, column: 11, label: 'secretGenerator "cache" (keys: password)' }]);
  });

  it('judges the token annotations (key "token") and env-from-secret entries', () => {
    const apiToken = at('shop/deployments.yaml', 15);
    expect(apiToken.message).toBe(
      'dapr.io/api-token-secret of Deployment "orders" reads key "token" of Secret "api-token", which has no such key (it has "api-token"): the kubelet cannot build the daprd container and the pod does not start. The injector always reads the key "token"; it cannot be configured. Add the key to the Secret or correct the reference.',
    );
    expect(related(apiToken)).toEqual([{ file: 'shop/secrets.yaml', line: 26, column: 9, label: 'SealedSecret "api-token" (keys: api-token)' }]);
    expect(at('shop/deployments.yaml', 16).message).toContain('names Secret "app-tokn", which the repository does not define in namespace "shop": the kubelet cannot build the daprd container and the pod does not start. Did you mean "app-token"?');

    const [, , payments, redis] = results.filter((r) => r.location.file === 'shop/deployments.yaml');
    expect(payments.message).toContain('dapr.io/env-from-secret entry "PAYMENTS_URL" of Deployment "orders" reads key "url" of Secret "payments-creds"');
    // an ExternalSecret provides the Secret named by spec.target.name
    expect(related(payments)).toEqual([{ file: 'shop/secrets.yaml', line: 13, column: 9, label: 'ExternalSecret "payments-creds" (keys: api-key)' }]);
    expect(redis.message).toContain('entry "REDIS" of Deployment "orders" reads key "redis" of Secret "redis" (no key is given');
  });

  it('covers HTTPEndpoint headers and clientTLS, and otel headers without key', () => {
    expect(at('shop/endpoint.yaml', 11).message).toContain('secretKeyRef of header "Authorization" of HTTPEndpoint "partner" names Secret "partner"');
    expect(at('shop/endpoint.yaml', 17).message).toContain('secretKeyRef of clientTLS.privateKey of HTTPEndpoint "partner" reads key "tls.key" of Secret "redis"');
    expect(at('shop/endpoint.yaml', 33).message).toBe(
      'secretKeyRef of otel header "x-api-key" of Configuration "tracing" names Secret "otel" but no key: the Dapr operator requires one for otel headers and fails to serve the Configuration, so sidecars that use it do not start. Add `key`.',
    );
  });

  it('never repeats a secret value', () => {
    for (const r of results) for (const v of ['from-the-pipeline', 'AgBy3i4OJSWK']) expect(r.message).not.toContain(v);
  });

  it('does not fire where references resolve, where the repository cannot know, or outside the Kubernetes store', () => {
    const passes = scanFixture('rules/DAPR204/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the silence means something: these namespaces hold Secret sources and references
    expect(passes.model.secretsIn('team').map((s) => s.name).sort()).toEqual(['everything', 'partner', 'redis-username', 'tokens', 'worker-sa-token']);
    expect(passes.model.secretsIn('default').map((s) => `${s.kind}:${s.name}`).sort()).toEqual(['SealedSecret:sample-a', 'secretGenerator:redis']);
  });
});
