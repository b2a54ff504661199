// Rendering real repositories of the shared corpus (skipped when it is
// absent): eShopOnDapr's Helm chart and Red Dog's Kustomize overlays.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config-types.js';
import { scan, type ScanResult } from '../../src/engine/run.js';
import { CORPUS, hasCorpus, NOW, of } from '../helpers.js';
import { renderBinaries } from '../support/binaries.js';
import { highlighted } from '../support/findings.js';

const bins = renderBinaries();

function scanRendered(root: string): ScanResult {
  return scan({ root, config: { config: { ...DEFAULT_CONFIG, helm: { binary: bins.helm }, kustomize: { binary: bins.kubectl } }, locate: () => undefined }, now: NOW });
}

describe.skipIf(!hasCorpus)('rendering the shared corpus', () => {
  describe('eShopOnDapr deploy/k8s/helm', () => {
    let result: ScanResult;
    beforeAll(() => {
      result = scanRendered(path.join(CORPUS, 'dotnet-architecture__eShopOnDapr/deploy/k8s/helm'));
    });

    it('renders the chart with its values, into the namespace the values give', () => {
      expect(result.model.renderFailures).toEqual([]);
      expect(result.model.rendered).toEqual([{ tool: 'helm', file: 'Chart.yaml', via: 'values.yaml', resources: 28 }]);
      expect(new Set(result.model.instances.map((i) => i.namespace))).toEqual(new Set(['eshopondapr']));
      expect(result.model.apps.filter((a) => a.app.enabled)).toHaveLength(7);
    });

    it('reports the Services that forward the Dapr ports (DAPR310), at their port entries in the templates', () => {
      const exposed = of(result, 'DAPR310');
      expect(exposed.map((r) => `${r.location.file}:${r.location.region.startLine}`)).toEqual([
        'templates/apigateway.yaml:84',
        'templates/apigateway.yaml:88',
        'templates/catalog.yaml:76',
        'templates/catalog.yaml:80',
      ]);
      expect(exposed.map((r) => highlighted(result, r))).toEqual(['port: 3500', 'port: 50001', 'port: 3500', 'port: 50001']);
      for (const r of exposed) {
        expect(r.renderedFrom).toEqual(['values.yaml']);
        expect(r.namespaces).toEqual(['eshopondapr']);
      }
    });
  });

  describe('Red Dog manifests', () => {
    let result: ScanResult;
    beforeAll(() => {
      result = scanRendered(path.join(CORPUS, 'Azure__reddog-code'));
    });

    it('builds both kustomization entry points', () => {
      expect(result.model.renderFailures).toEqual([]);
      expect(result.model.rendered.map((r) => [r.via, r.resources])).toEqual([
        // 21 rendered resources; the pre-check leaves out the 2 that nothing reads (RBAC).
        ['manifests/branch/redmond/kustomization.yaml', 19],
        ['manifests/corporate/kustomization.yaml', 5],
      ]);
    });

    it('places the overlay components in the namespace the build gives them, located in the base files', () => {
      const redmond = result.model.ofType('component').filter((c) => c.via === 'manifests/branch/redmond/kustomization.yaml');
      expect(redmond.map((c) => c.resource.name).sort()).toEqual(['orders', 'reddog.binding.receipt', 'reddog.pubsub', 'reddog.secretstore', 'reddog.state.loyalty', 'reddog.state.makeline']);
      for (const c of redmond) {
        expect(c.namespace).toBe('reddog-retail');
        expect(c.resource.pdoc.origin?.source).toMatch(/^manifests\/branch\/base\/components\//);
      }
      const unscoped = of(result, 'DAPR101').filter((r) => r.renderedFrom?.includes('manifests/branch/redmond/kustomization.yaml'));
      expect(unscoped.map((r) => `${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn}`)).toEqual(['manifests/branch/base/components/reddog.secretstore.yaml:4:9']);
      expect(unscoped[0].namespaces).toEqual(['reddog-retail']);
    });
  });
});
