// The mTLS and trust rules (DAPR401, 402, 405-409) on the shared corpus of real
// Dapr manifests. Skipped when ../shared/corpus is absent (a fresh clone).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/run.js';
import { hasCorpus, hits, of, scanDir, CORPUS } from '../helpers.js';

const RULES = ['DAPR401', 'DAPR402', 'DAPR405', 'DAPR406', 'DAPR407', 'DAPR408', 'DAPR409'];

describe.skipIf(!hasCorpus)('mTLS and trust rules on the shared corpus', () => {
  let result: ScanResult;
  beforeAll(() => {
    result = scanDir(CORPUS);
  });

  it('runs without a rule failing', () => {
    expect(result.notifications.filter((n) => n.id === 'rule-failed' && RULES.some((id) => n.message.includes(id)))).toEqual([]);
  });

  it('never reports an app-level Configuration as a DAPR401 error', () => {
    const installFiles = new Set(result.model.daprInstalls.map((i) => i.pdoc.file.path));
    for (const r of of(result, 'DAPR401').filter((x) => x.level === 'error')) {
      const configs = result.model.ofType('configuration').filter((c) => c.resource.pdoc.file.path === r.location.file);
      const ok = installFiles.has(r.location.file) || configs.some((c) => c.resource.name === 'daprsystem');
      expect(ok, `${r.location.file}:${r.location.region.startLine} is an error on an app-level Configuration`).toBe(true);
    }
    // the corpus's mtls.enabled: false outside the control plane: warnings that say Dapr ignores them
    for (const file of ['dapr__dapr/tests/config/ignore_daprsystem_config.yaml', 'dapr__dapr/pkg/config/testdata/override.yaml']) {
      const found = of(result, 'DAPR401').filter((r) => r.location.file === file);
      expect(found.map((r) => r.level)).toEqual(['warning']);
      expect(found[0].message).toContain('this setting does nothing');
    }
  });

  it('finds the disabled control-plane mTLS of the dapr e2e setup, located exactly', () => {
    expect(hits(of(result, 'DAPR401'))).toEqual([
      { rule: 'DAPR401', file: 'dapr__dapr/pkg/config/testdata/override.yaml', line: 8, column: 14 },
      // applied with `kubectl apply --namespace $(DAPR_TEST_NAMESPACE)`, the control plane's: authoritative
      { rule: 'DAPR401', file: 'dapr__dapr/tests/config/dapr_mtls_off_config.yaml', line: 7, column: 14 },
      // a daprsystem in namespace "aa", which dapr's e2e applies to prove it is ignored
      { rule: 'DAPR401', file: 'dapr__dapr/tests/config/ignore_daprsystem_config.yaml', line: 19, column: 14 },
    ]);
    const authoritative = of(result, 'DAPR401')[1];
    expect([authoritative.level, authoritative.environments]).toEqual(['warning', ['non-production']]);
    expect(authoritative.message).toMatch(/^Configuration "daprsystem" sets spec\.mtls\.enabled: false: sidecars are injected without mTLS\./);
  });

  it('finds the 20m clock skew of that daprsystem, and nothing in daprsystems Dapr ignores', () => {
    expect(hits(of(result, 'DAPR402'))).toEqual([{ rule: 'DAPR402', file: 'dapr__dapr/tests/config/dapr_mtls_off_config.yaml', line: 9, column: 23 }]);
    expect(of(result, 'DAPR402')[0].message).toContain('spec.mtls.allowedClockSkew "20m" in Configuration "daprsystem" is longer than 15m');
  });

  it('links the e2e allowlist ACLs to the daprsystem that turns mTLS off', () => {
    const found = of(result, 'DAPR405');
    expect(hits(found)).toEqual([
      { rule: 'DAPR405', file: 'dapr__dapr/tests/config/kubernetes_allowlists_config.yaml', line: 6, column: 3 },
      { rule: 'DAPR405', file: 'dapr__dapr/tests/config/kubernetes_allowlists_grpc_config.yaml', line: 6, column: 3 },
    ]);
    for (const r of found) {
      expect(r.related.map((l) => `${l.file}:${l.region.startLine}:${l.region.startColumn}`)).toEqual(['dapr__dapr/tests/config/dapr_mtls_off_config.yaml:7:14']);
    }
  });

  it('finds no invalid ACL policy or protocol-less API rule in the corpus, and nothing production-only', () => {
    // dapr's own ACL and allowlist fixtures are valid; nothing in the corpus is classified production
    for (const id of ['DAPR406', 'DAPR407', 'DAPR408', 'DAPR409']) expect(hits(of(result, id))).toEqual([]);
    expect(result.model.ofType('configuration').filter((c) => c.resource.spec && c.resource.spec.has('accessControl')).length).toBeGreaterThanOrEqual(2);
  });
});
