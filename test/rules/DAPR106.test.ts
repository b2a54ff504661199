// DAPR106 nonproduction-app-in-production: a production scope entry or ACL
// policy that names an app-id looking like test or debug tooling. Off outside
// production; config nonProductionAppIds replaces the built-in tokens.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR106';

describe('DAPR106 nonproduction-app-in-production', () => {
  const fires = scanFixture('rules/DAPR106/fires');
  const results = of(fires, ID);

  it('points at the scope entry or the ACL policy appId, in production only', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // `_` and `.` separate tokens too
      { rule: ID, file: 'production/appconfig.yaml', line: 15, column: 16 },
      { rule: ID, file: 'production/appconfig.yaml', line: 19, column: 16 },
      // test-runner and debug-tools match; device-gateway (line 20) does not
      { rule: ID, file: 'production/statestore.yaml', line: 19, column: 5 },
      { rule: ID, file: 'production/statestore.yaml', line: 21, column: 5 },
    ]);
  });

  it('is an error in production and off elsewhere', () => {
    expect(results.map((r) => [r.level, r.environments])).toEqual([
      ['error', ['production']],
      ['error', ['production']],
      ['error', ['production']],
      ['error', ['production']],
    ]);
    // development/ and the unclassified "shop" namespace grant test tooling too, unreported
    expect(fires.results.filter((r) => r.ruleId === ID && !r.location.file.startsWith('production/'))).toEqual([]);
  });

  it('names the app-id and what grants it', () => {
    expect(results.map((r) => r.message)).toEqual([
      'Configuration "appconfig" grants "qa_bot", which looks like a non-production app, access in production. Remove it from the production access-control policy. (production)',
      'Configuration "appconfig" grants "e2e.checker", which looks like a non-production app, access in production. Remove it from the production access-control policy. (production)',
      'Component "statestore" grants "test-runner", which looks like a non-production app, access in production. Remove it from the production scopes. (production)',
      'Component "statestore" grants "debug-tools", which looks like a non-production app, access in production. Remove it from the production scopes. (production)',
    ]);
  });

  it('uses the config globs instead of the built-in tokens', () => {
    const globs = scanFixture('rules/DAPR106/config-globs');
    expect(globs.executionSuccessful).toBe(true);
    // loadgen-eu and orders-canary-test match the globs; test-runner (line 14) no longer matches
    expect(hits(of(globs, ID))).toEqual([
      { rule: ID, file: 'production/statestore.yaml', line: 15, column: 5 },
      { rule: ID, file: 'production/statestore.yaml', line: 16, column: 5 },
    ]);
  });

  it('does not fire on ids that merely contain a token, or on topic scopes', () => {
    const passes = scanFixture('rules/DAPR106/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
  });
});
