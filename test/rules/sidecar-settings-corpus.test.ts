// Sidecar-settings rules (DAPR304–DAPR313) against real manifests from public
// repositories (../shared/corpus). Every hit below was checked by hand; the
// absences are false positives that were fixed. Skipped when the corpus is absent.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/engine/config.js';
import { scan, type ScanResult } from '../../src/engine/run.js';
import { CORPUS, hasCorpus, hits, NOW, of, scanDir } from '../helpers.js';

const ESHOP = 'dotnet-architecture__eShopOnDapr';

describe.skipIf(!hasCorpus)('sidecar-settings rules on the shared corpus', () => {
  let result: ScanResult;
  // A whole-corpus scan takes seconds; give slow machines room (timeouts are not assertions).
  beforeAll(() => {
    result = scanDir(CORPUS);
  }, 120_000);

  it('DAPR305: enable-profiling on a dapr/dapr load-test client (tests/ folder: a note)', () => {
    const found = of(result, 'DAPR305');
    expect(hits(found)).toEqual([{ rule: 'DAPR305', file: 'dapr__dapr/tests/apps/actorload/deploy/testclient.yml', line: 35, column: 35 }]);
    expect(found[0].level).toBe('note');
  });

  it('DAPR307: dapr/samples workloads that still use the pre-1.0 dapr.io/id', () => {
    const found = of(result, 'DAPR307');
    expect(hits(found)).toEqual([
      { rule: 'DAPR307', file: 'dapr__samples/batch-file-processing/deploy/batch-generator.yaml', line: 16, column: 7 },
      { rule: 'DAPR307', file: 'dapr__samples/batch-file-processing/deploy/batch-processor-keda.yaml', line: 24, column: 7 },
      { rule: 'DAPR307', file: 'dapr__samples/batch-file-processing/deploy/batch-receiver.yaml', line: 16, column: 7 },
      { rule: 'DAPR307', file: 'dapr__samples/dapr-apim-integration/k8s/event-subscriber.yaml', line: 17, column: 7 },
      { rule: 'DAPR307', file: 'dapr__samples/middleware-oauth-microsoftazure/deploy/msgraphapp.yaml', line: 29, column: 7 },
    ]);
    expect(found.every((r) => r.message.includes('dapr.io/id is the pre-1.0 name, which the injector ignores'))).toBe(true);
  });

  it('DAPR308: a template and its rendered copy, or a manifest no kustomization deploys, are not duplicates', () => {
    // dapr__samples/functions-and-keda/utils/base-templates/* vs deploy/*: the same Deployment object twice;
    // Azure__reddog-code corporate/deployments/loyalty-service.yaml: the same object as branch/base's.
    expect(of(result, 'DAPR308')).toEqual([]);
  });

  it('DAPR304/DAPR306 are off outside production; nothing in the corpus is production', () => {
    expect(of(result, 'DAPR304')).toEqual([]);
    expect(of(result, 'DAPR306')).toEqual([]);
    expect(of(result, 'DAPR312')).toEqual([]);
    expect(of(result, 'DAPR313')).toEqual([]);
  });

  it('DAPR304/DAPR306 on eShopOnDapr compose sidecars, once its files are declared production', () => {
    const loaded = resolveConfig({ root: CORPUS });
    const config = { ...loaded, config: { ...loaded.config, environments: { production: { paths: [`${ESHOP}/**`] } } } };
    const prod = scan({ root: CORPUS, config, now: NOW });
    // "-log-level", "debug" in docker-compose.override.yml: the value item
    expect(hits(of(prod, 'DAPR306'))).toContainEqual({ rule: 'DAPR306', file: `${ESHOP}/docker-compose.override.yml`, line: 139, column: 21 });
    // basket-api-dapr loads dapr/configuration/eshop-config.yaml through its bind mount; it has no apiLogging
    const basket = of(prod, 'DAPR304').find((r) => r.location.file === `${ESHOP}/docker-compose.yml` && r.location.region.startLine === 33);
    expect(basket?.location.region.startColumn).toBe(3);
    expect(basket?.message).toContain('compose service "basket-api-dapr" does not log calls to its Dapr API: --enable-api-logging is not set and config file');
    expect(basket?.related.map((l) => `${l.file}:${l.region.startLine}:${l.region.startColumn}`)).toEqual([`${ESHOP}/dapr/configuration/eshop-config.yaml:4:9`]);
  }, 120_000);

  it('DAPR309: dapr/dapr e2e manifests naming a Configuration the repository never defines (scanned as its own repository)', () => {
    const dapr = scanDir(path.join(CORPUS, 'dapr__dapr'));
    const found = of(dapr, 'DAPR309');
    expect(hits(found)).toEqual([
      { rule: 'DAPR309', file: 'tests/apps/pubsub-subscriber-routing/service.yaml', line: 39, column: 25 },
      { rule: 'DAPR309', file: 'tests/apps/pubsub-subscriber-routing_grpc/service.yaml', line: 40, column: 25 },
    ]);
    expect(found[0].message).toContain('defines no Configuration "pubsubroutingconfig" in namespace "default"');
  }, 120_000);
});
