// DAPR406 invalid-acl-policy: a policy without appId, namespace or
// trustDomain (daprd rejects the ACL: error), or an action that is neither
// allow nor deny (daprd denies on it: warning variant).
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR406';

describe('DAPR406 invalid-acl-policy', () => {
  const fires = scanFixture('rules/DAPR406/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the policy entry for absent fields, at the value for empty fields and unknown actions', () => {
    expect(hits(results)).toEqual([
      // policy 1: no trustDomain → the policy's first key
      { rule: ID, file: 'production/orders-config.yaml', line: 11, column: 9 },
      // policy 2: defaultAction "permit"
      { rule: ID, file: 'production/orders-config.yaml', line: 15, column: 24 },
      // policy 2: namespace ""
      { rule: ID, file: 'production/orders-config.yaml', line: 16, column: 20 },
      // policy 2, operation /admin: action "alow"
      { rule: ID, file: 'production/orders-config.yaml', line: 23, column: 21 },
      // policy 3: no appId, namespace, trustDomain
      { rule: ID, file: 'production/orders-config.yaml', line: 24, column: 9 },
      { rule: ID, file: 'staging/config.yaml', line: 8, column: 20 },
    ]);
  });

  it('reports rejected ACLs as errors and unknown actions as warnings (daprd reads them as deny)', () => {
    expect(results.map((r) => r.level)).toEqual(['error', 'warning', 'error', 'warning', 'error', 'warning']);
    expect(results.map((r) => r.securitySeverity)).toEqual([undefined, 3, undefined, 3, undefined, 3]);
  });

  it('says what is missing and that the sidecar will not start', () => {
    expect(results[0].message).toBe(
      'Access-control policy 1 ("checkout") of Configuration "orders-config" lacks trustDomain: daprd rejects the whole access-control list and the sidecar does not start. Set trustDomain (the caller\'s trust domain: "public" unless its Configuration sets accessControl.trustDomain). (production)',
    );
    expect(results[2].message).toContain('Access-control policy 2 ("billing") of Configuration "orders-config" has an empty namespace');
    expect(results[4].message).toContain('Access-control policy 3 of Configuration "orders-config" lacks appId, namespace and trustDomain');
  });

  it('says an unknown action denies, without claiming daprd rejects it', () => {
    expect(results[1].message).toContain('The defaultAction of access-control policy 2 ("billing") of Configuration "orders-config" is "permit", neither allow nor deny: daprd does not reject it but treats every action other than "allow" as deny');
    expect(results[3].message).toContain('The action of operation "/admin" in access-control policy 2 ("billing")');
    expect(results[5].message).toContain('The accessControl.defaultAction of Configuration "orders-config" is "denied"');
    for (const r of [results[1], results[3], results[5]]) expect(r.message).not.toContain('rejects');
  });

  it('accepts actions in any case, complete policies and templated values', () => {
    const passes = scanFixture('rules/DAPR406/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('configuration').length).toBe(2);
  });
});
