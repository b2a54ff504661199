// Sidecar exposure rules (DAPR301, DAPR302, DAPR303, DAPR310, DAPR311) against
// real repositories (../shared/corpus), located exactly. Skipped when the
// corpus is absent.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import type { ScanResult } from '../../src/engine/run.js';
import { CORPUS, hasCorpus, hits, scanDir } from '../helpers.js';

const MINE = ['DAPR301', 'DAPR302', 'DAPR303', 'DAPR310', 'DAPR311'];
const DEMO_ACTOR = 'dapr__dotnet-sdk/examples/Actor/DemoActor/demo-actor.yaml';
const ESHOP = 'dotnet-architecture__eShopOnDapr';

/** The compose daprd services of eShopOnDapr: service key line in docker-compose.yml, and the line of the app service's published 5000x:50001 mapping in the override file. */
const ESHOP_SIDECARS: Array<{ service: string; keyLine: number; portLine: number }> = [
  { service: 'basket-api-dapr', keyLine: 33, portLine: 52 },
  { service: 'catalog-api-dapr', keyLine: 53, portLine: 83 },
  { service: 'identity-api-dapr', keyLine: 67, portLine: 109 },
  { service: 'ordering-api-dapr', keyLine: 81, portLine: 133 },
  { service: 'payment-api-dapr', keyLine: 93, portLine: 155 },
  { service: 'webshoppingagg-dapr', keyLine: 111, portLine: 179 },
  { service: 'webshoppingapigw-dapr', keyLine: 123, portLine: 201 },
];

describe.skipIf(!hasCorpus)('sidecar exposure rules on the shared corpus', () => {
  let result: ScanResult;
  let mine: Result[];
  const inFile = (file: string, rule: string) => hits(mine.filter((r) => r.ruleId === rule && r.location.file === file));

  beforeAll(() => {
    result = scanDir(CORPUS);
    mine = result.results.filter((r) => MINE.includes(r.ruleId) && !r.suppression);
  });

  it('runs without a rule failing', () => {
    expect(result.notifications.filter((n) => n.id === 'rule-failed')).toEqual([]);
  });

  it('reports the LoadBalancer Service port and the 0.0.0.0 listen address of the .NET SDK DemoActor', () => {
    expect(inFile(DEMO_ACTOR, 'DAPR310')).toEqual([{ rule: 'DAPR310', file: DEMO_ACTOR, line: 26, column: 5 }]);
    expect(inFile(DEMO_ACTOR, 'DAPR301')).toEqual([{ rule: 'DAPR301', file: DEMO_ACTOR, line: 52, column: 43 }]);
    // no API token while both apply: reported where the annotation belongs, with both reasons related
    expect(inFile(DEMO_ACTOR, 'DAPR302')).toEqual([{ rule: 'DAPR302', file: DEMO_ACTOR, line: 47, column: 7 }]);
    const api = mine.find((r) => r.ruleId === 'DAPR310' && r.location.file === DEMO_ACTOR);
    expect(api?.message).toContain('(LoadBalancer)');
    expect(api?.related.map((l) => [l.file, l.region.startLine, l.region.startColumn])).toEqual([[DEMO_ACTOR, 35, 9]]);
  });

  it('reports every eShopOnDapr compose sidecar: all interfaces (DAPR301) and its published gRPC port (DAPR310)', () => {
    expect(inFile(`${ESHOP}/docker-compose.yml`, 'DAPR301')).toEqual(ESHOP_SIDECARS.map((s) => ({ rule: 'DAPR301', file: `${ESHOP}/docker-compose.yml`, line: s.keyLine, column: 3 })));
    expect(inFile(`${ESHOP}/docker-compose.override.yml`, 'DAPR310')).toEqual(
      ESHOP_SIDECARS.map((s) => ({ rule: 'DAPR310', file: `${ESHOP}/docker-compose.override.yml`, line: s.portLine, column: 9 })),
    );
    const basket = mine.find((r) => r.ruleId === 'DAPR310' && r.location.region.startLine === 52 && r.location.file.startsWith(ESHOP));
    expect(basket?.related.map((l) => [l.file, l.region.startLine, l.region.startColumn])).toEqual([[`${ESHOP}/docker-compose.yml`, 33, 3]]);
    expect(inFile(`${ESHOP}/docker-compose.yml`, 'DAPR302')).toEqual(ESHOP_SIDECARS.map((s) => ({ rule: 'DAPR302', file: `${ESHOP}/docker-compose.yml`, line: s.keyLine, column: 3 })));
  });

  it('reports DAPR302, DAPR303, DAPR310 and DAPR311 nowhere else (reviewed by hand)', () => {
    const elsewhere = mine.filter((r) => r.ruleId !== 'DAPR301' && r.location.file !== DEMO_ACTOR && !r.location.file.startsWith(`${ESHOP}/`));
    expect(hits(elsewhere)).toEqual([{ rule: 'DAPR302', file: 'dapr__samples/middleware-oauth-google/deploy/echoapp.yaml', line: 16, column: 7 }]);
  });

  it('reports DAPR301 on Kubernetes only for explicit non-loopback addresses, and otherwise on self-hosted apps', () => {
    const kubernetes = mine.filter((r) => r.ruleId === 'DAPR301' && r.message.startsWith('dapr.io/sidecar-listen-addresses'));
    expect(hits(kubernetes)).toEqual([
      { rule: 'DAPR301', file: DEMO_ACTOR, line: 52, column: 43 },
      { rule: 'DAPR301', file: 'dapr__samples/middleware-oauth-google/deploy/echoapp.yaml', line: 21, column: 43 },
    ]);
    const selfHosted = mine.filter((r) => r.ruleId === 'DAPR301' && !kubernetes.includes(r));
    expect(selfHosted.every((r) => /^(Multi-App Run app|compose service) "[^"]+" (sets no apiListenAddresses|starts daprd without --dapr-listen-addresses)/.test(r.message))).toBe(true);
    const selfHostedFiles = new Set([...result.model.multiAppRuns, ...result.model.composeFiles].map((f) => f.pdoc.file.path));
    expect(selfHosted.filter((r) => !selfHostedFiles.has(r.location.file))).toEqual([]);
    expect(selfHosted.length).toBeGreaterThan(100); // every Multi-App Run app of the quickstarts and samples, and the eShop sidecars
  });
});
