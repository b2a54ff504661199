// DAPR303 app-token-without-api-token: an app token (Dapr → app) with no API
// token, or an API-token Secret wired into APP_API_TOKEN.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR303';

describe('DAPR303 app-token-without-api-token', () => {
  const fires = scanFixture('rules/DAPR303/fires');
  const results = of(fires, ID);
  const at = (file: string, line: number) => results.find((r) => r.location.file === file && r.location.region.startLine === line);

  it('points at the annotations key, the env-from-secret entry, or the compose service key', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'apps/tokens.yaml', line: 8, column: 7 }, // orders: app token only
      { rule: ID, file: 'apps/tokens.yaml', line: 27, column: 52 }, // cart: the APP_API_TOKEN=dapr-api-token:token entry
      { rule: ID, file: 'apps/tokens.yaml', line: 40, column: 7 }, // both: app token only…
      { rule: ID, file: 'apps/tokens.yaml', line: 43, column: 35 }, // …and a miswired Secret
      { rule: ID, file: 'compose/docker-compose.yml', line: 2, column: 3 },
    ]);
    expect(results.every((r) => r.level === 'warning')).toBe(true);
  });

  it('pins the miswired entry exactly', () => {
    expect(at('apps/tokens.yaml', 27)?.location.region).toEqual({ startLine: 27, startColumn: 52, endLine: 27, endColumn: 86 });
  });

  it('lists the app token as related location', () => {
    const rel = (file: string, line: number) => at(file, line)?.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
    expect(rel('apps/tokens.yaml', 8)).toEqual([{ file: 'apps/tokens.yaml', line: 11, column: 35, label: 'dapr.io/app-token-secret (Dapr → app direction only)' }]);
    expect(rel('compose/docker-compose.yml', 2)).toEqual([{ file: 'compose/docker-compose.yml', line: 6, column: 7, label: 'APP_API_TOKEN (daprd → app direction only)' }]);
    expect(rel('apps/tokens.yaml', 27)).toEqual([]);
  });

  it('explains the direction and names the fix, never a token value', () => {
    expect(at('apps/tokens.yaml', 8)?.message).toMatch(/^Deployment "orders" sets dapr.io\/app-token-secret but not dapr.io\/api-token-secret: the app token only lets the app check calls coming from Dapr/);
    expect(at('apps/tokens.yaml', 27)?.message).toMatch(/^dapr.io\/env-from-secret wires Secret "dapr-api-token", named like the Dapr API token, into APP_API_TOKEN/);
    expect(at('apps/tokens.yaml', 27)?.message).toContain('Use dapr.io/api-token-secret: "dapr-api-token" (key "token")');
    expect(at('compose/docker-compose.yml', 2)?.message).toMatch(/^compose service "orders-dapr" sets APP_API_TOKEN but not DAPR_API_TOKEN/);
    expect(at('compose/docker-compose.yml', 2)?.message).not.toContain('${APP_API_TOKEN}');
  });

  it('accepts both tokens, an API token from env-from-secret, app-token Secrets by their own name, env_file, disabled pods and Multi-App Run', () => {
    const passes = scanFixture('rules/DAPR303/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
