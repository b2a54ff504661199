// DAPR312 sidecar-image-override: dapr.io/sidecar-image must match a glob of
// config allowedSidecarImages (picomatch: `*` does not cross `/`); none allowed by default.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR312';

describe('DAPR312 sidecar-image-override', () => {
  it('reports images outside the allowlist, at the value', () => {
    const result = scanFixture('rules/DAPR312/allowlist');
    const found = of(result, ID);
    expect(result.executionSuccessful).toBe(true);
    // ledger (1.16.2-mariner) and audit (a pinned digest) match; an empty value and a pod without sidecar are not judged
    expect(hits(found)).toEqual([
      { rule: ID, file: 'deploy/apps.yaml', line: 15, column: 32 },
      // ghcr.io/dapr/forks/daprd: "*" does not cross "/"
      { rule: ID, file: 'deploy/apps.yaml', line: 35, column: 32 },
    ]);
    expect(found.map((r) => r.level)).toEqual(['warning', 'warning']);
    expect(found[0].message).toBe(
      'Deployment "orders" sets dapr.io/sidecar-image: "docker.io/someone/daprd:latest", replacing the injector\'s daprd image with one that matches none of allowedSidecarImages ("ghcr.io/dapr/daprd:1.16.*", "registry.internal/dapr/daprd@sha256:*"). The sidecar holds the pod\'s mTLS identity, API token and component secrets. Remove the annotation, or add a glob for this image to allowedSidecarImages.',
    );
  });

  it('allows no override by default, and skips templated values', () => {
    const result = scanFixture('rules/DAPR312/default');
    const found = of(result, ID);
    expect(hits(found)).toEqual([{ rule: ID, file: 'deploy/apps.yaml', line: 15, column: 32 }]);
    expect(found[0].message).toContain('one that is not allowed: allowedSidecarImages in rules.config.json is empty');
  });
});
