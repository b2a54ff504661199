// DAPR206 plaintext-secret-in-env-annotation: a credential-like variable set to
// a literal in dapr.io/env. Points at the NAME=value entry inside the
// annotation (the whole scalar when it spans lines), never repeats the value.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { isCredentialName } from '../../src/rules/DAPR206-plaintext-secret-in-env-annotation.js';
import { parseEnvAnnotation, secretSelector } from '../../src/rules/sidecar-env.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR206';
const VALUES = ['Tr0ub4dor-and-3', 'k8s-plain-token', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'c2VjcmV0LXRva2VuLTE=', 'hunter2'];

function region(r: Result): [number, number, number, number] {
  const g = r.location.region;
  return [g.startLine, g.startColumn, g.endLine, g.endColumn];
}

describe('DAPR206 plaintext-secret-in-env-annotation', () => {
  const fires = scanFixture('rules/DAPR206/fires');
  const results = of(fires, ID);

  it('points at each NAME=value entry', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'development/worker.yaml', line: 14, column: 26 },
      { rule: ID, file: 'development/worker.yaml', line: 14, column: 74 },
      { rule: ID, file: 'production/orders.yaml', line: 15, column: 38 },
      // after "HOSTS=a,b, ": a comma inside a value does not start an entry
      { rule: ID, file: 'production/orders.yaml', line: 15, column: 77 },
      // a folded block scalar: the whole value
      { rule: ID, file: 'shared/legacy.yaml', line: 15, column: 22 },
    ]);
    expect(results.map(region)).toEqual([
      [14, 26, 14, 73], // STRIPE_API_KEY=…
      [14, 74, 14, 108], // APP_API_TOKEN=…
      [15, 38, 15, 65], // DB_PASSWORD=…
      [15, 77, 15, 107], // DAPR_API_TOKEN=…
      [15, 22, 17, 40],
    ]);
  });

  it('uses error, and warning outside production', () => {
    expect(results.map((r) => [r.level, r.environments[0]])).toEqual([
      ['warning', 'non-production'],
      ['warning', 'non-production'],
      ['error', 'production'],
      ['error', 'production'],
      ['error', 'unclassified'],
    ]);
  });

  it('names the variable, suggests env-from-secret or the dedicated token annotation', () => {
    const [stripe, appToken, db, apiToken, smtp] = results;
    expect(db.message).toBe(
      'dapr.io/env of Deployment "orders" sets DB_PASSWORD to a literal value: the credential is committed in plain text and readable by anyone with access to the repository or the pod spec. Rotate it, put it in a Kubernetes Secret and use dapr.io/env-from-secret: "DB_PASSWORD=<secret>:<key>" instead. (production)',
    );
    expect(apiToken.message).toContain('sets DAPR_API_TOKEN to a literal value');
    expect(apiToken.message).toContain('set dapr.io/api-token-secret to that Secret\'s name instead.');
    expect(appToken.message).toContain('sets APP_API_TOKEN to a literal value (the injector drops this entry because its value holds "=", but the text is still committed)');
    expect(appToken.message).toContain('dapr.io/app-token-secret');
    expect(stripe.message).toContain('dapr.io/env of CronJob "worker" sets STRIPE_API_KEY');
    // dapr.io/enabled: "false" is judged too
    expect(smtp.message).toContain('dapr.io/env of Deployment "legacy" sets SMTP_PASSWD');
  });

  it('never repeats a value', () => {
    for (const r of results) for (const v of VALUES) expect(r.message).not.toContain(v);
  });

  it('does not fire on non-credential names, placeholders, empty values or env-from-secret', () => {
    const passes = scanFixture('rules/DAPR206/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.apps.map((a) => a.app.settings.get('env')?.value.length ?? 0)[0]).toBeGreaterThan(100);
  });
});

describe('credential names (catalog heuristic)', () => {
  it('matches a credential token anywhere, or KEY last', () => {
    for (const n of ['DAPR_API_TOKEN', 'DB_PASSWORD', 'SMTP_PASSWD', 'CLIENT_SECRET', 'STRIPE_APIKEY', 'GOOGLE_CREDENTIALS', 'API_KEY', 'stripe_key', 'TOKEN_TTL']) {
      expect(isCredentialName(n), n).toBe(true);
    }
    for (const n of ['KEYCLOAK_URL', 'AWS_ACCESS_KEY_ID', 'MONKEY_BUSINESS', 'KEYS', 'PASSWORDLESS', 'LOG_LEVEL']) {
      expect(isCredentialName(n), n).toBe(false);
    }
  });
});

describe('the injector\'s env parsing', () => {
  it('splits at a comma followed by NAME=, and keeps positions', () => {
    const text = 'A=1,B=x,y, C=z=, D';
    expect(parseEnvAnnotation(text).map((e) => [e.name, e.value, text.slice(e.start, e.end), e.droppedByInjector])).toEqual([
      ['A', '1', 'A=1', false],
      ['B', 'x,y', 'B=x,y', false],
      // "C=z=, D" is one entry (", D" has no "="), dropped because it holds two "="
      ['C', 'z=, D', 'C=z=, D', true],
    ]);
  });

  it('reads env-from-secret values as secret[:key]', () => {
    expect(secretSelector('payments')).toEqual({ secret: 'payments', key: 'payments', keyWritten: false });
    expect(secretSelector(' payments : api-key ')).toEqual({ secret: 'payments', key: 'api-key', keyWritten: true });
    expect(secretSelector('a:b:c')).toBeUndefined();
    expect(secretSelector('')).toBeUndefined();
  });
});
