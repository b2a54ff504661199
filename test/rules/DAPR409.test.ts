// DAPR409 secret-scopes-missing: a production workload that can use a secret
// store (scoped-in or unscoped secretstores.* Components, the built-in
// kubernetes store) without a restricting secrets.scopes entry for it.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR409';

describe('DAPR409 secret-scopes-missing', () => {
  const fires = scanFixture('rules/DAPR409/fires');
  const results = of(fires, ID);
  const about = (name: string) => {
    const r = results.find((x) => x.message.includes(`"${name}" can use`));
    if (!r) throw new Error(`no ${ID} result for ${name}`);
    return r;
  };

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the dapr.io/config value, else the pod annotations key; self-hosted: configFilePath, else appID', () => {
    expect(hits(results)).toEqual([
      // orders: dapr.io/config value
      { rule: ID, file: 'production/apps.yaml', line: 15, column: 25 },
      // cart, web: no dapr.io/config → the annotations key
      { rule: ID, file: 'production/apps.yaml', line: 32, column: 7 },
      { rule: ID, file: 'production/apps.yaml', line: 51, column: 7 },
      // Multi-App Run: orders has no config file (appID value), billing's configFilePath value
      { rule: ID, file: 'production/selfhosted/dapr.yaml', line: 5, column: 12 },
      { rule: ID, file: 'production/selfhosted/dapr.yaml', line: 9, column: 21 },
    ]);
    expect(results.every((r) => r.level === 'warning' && r.environments.join() === 'production')).toBe(true);
  });

  it('lists the stores left open: restricted ones (deny, allowedSecrets) are not, deniedSecrets alone does not restrict', () => {
    // orders-config: vault has defaultAccess deny; kubernetes has only deniedSecrets
    expect(about('orders').message).toBe(
      'Deployment "orders" can use secret stores "shared-secrets", "kubernetes" (kubernetes is the built-in store) and its Configuration "orders-config" has no secrets.scopes entry with defaultAccess: deny or allowedSecrets for them: through the Secrets API it can read every secret the stores can reach. Add spec.secrets.scopes entries with defaultAccess: deny and allowedSecrets listing what the app needs (or set dapr.io/disable-builtin-k8s-secret-store: "true" if the app does not need the built-in kubernetes store). (production)',
    );
    expect(about('orders').related.map((r) => [r.file, r.region.startLine, r.label])).toEqual([
      ['production/configs.yaml', 4, 'Configuration "orders-config", the app\'s Configuration'],
      ['production/components.yaml', 18, 'Component "shared-secrets", a secret store the app can use'],
    ]);
    // cart is scoped into vault; the unscoped shared-secrets reaches everyone
    expect(about('cart').message).toContain('can use secret stores "vault", "shared-secrets", "kubernetes" (kubernetes is the built-in store) and it has no Configuration (no dapr.io/config)');
    // web turned the built-in store off
    expect(about('web').message).toContain('Deployment "web" can use secret store "shared-secrets" and it has no Configuration');
    expect(about('web').message).not.toContain('kubernetes');
  });

  it('judges Multi-App Run apps by the components of their own resources folders and their config file', () => {
    expect(results[3].message).toContain('Multi-App Run app "orders" can use secret store "local-secrets" and it names no config file, so the Dapr CLI gives daprd ~/.dapr/config.yaml');
    expect(results[4].message).toContain('Multi-App Run app "billing" can use secret store "local-secrets" and its Configuration "billingConfig" has no secrets.scopes entry');
    // no built-in kubernetes store outside Kubernetes
    expect(results[3].message).not.toContain('kubernetes');
  });

  it('skips a workload whose Configuration is not in the repository, one that restricts every store, and non-production', () => {
    for (const name of ['batch', 'full']) expect(results.some((r) => r.message.includes(`"${name}"`))).toBe(false);
    expect(results.filter((r) => r.location.file.startsWith('staging/'))).toEqual([]);
  });

  it('is silent when every store the workload can use is restricted or switched off', () => {
    const passes = scanFixture('rules/DAPR409/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.apps.length).toBe(2);
  });
});
