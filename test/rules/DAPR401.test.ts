// DAPR401 mtls-disabled: authoritative sources (the control plane's
// daprsystem Configuration, the Dapr chart's values wherever they are written)
// use the rule's levels; spec.mtls in any other Kubernetes Configuration is an
// "ignored" warning everywhere; a Multi-App Run config file that does not turn
// mTLS on is a note everywhere.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, hits, of, scanFiles, scanFixture } from '../helpers.js';

const ID = 'DAPR401';

describe('DAPR401 mtls-disabled', () => {
  const fires = scanFixture('rules/DAPR401/fires');
  const results = of(fires, ID);
  const at = (file: string) => {
    const r = results.find((x) => x.location.file === file);
    if (!r) throw new Error(`no ${ID} result in ${file}`);
    return r;
  };

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the enabled value, inside an Argo CD values string too, or at metadata.name when it is missing', () => {
    expect(hits(results)).toEqual([
      { rule: ID, file: 'apps/aa/daprsystem.yaml', line: 13, column: 14 },
      { rule: ID, file: 'apps/shop/appconfig.yaml', line: 11, column: 14 },
      // line 20 of the file is the 4th line of the `values: |` block
      { rule: ID, file: 'argocd/production/dapr.yaml', line: 20, column: 22 },
      // helm.parameters: the value of the parameter
      { rule: ID, file: 'argocd/staging/dapr.yaml', line: 16, column: 18 },
      { rule: ID, file: 'charts/shop/values-dev.yaml', line: 4, column: 14 },
      { rule: ID, file: 'charts/shop/values-prod.yaml', line: 4, column: 16 },
      { rule: ID, file: 'flux/dapr.yaml', line: 21, column: 18 },
      // no spec.mtls at all: metadata.name
      { rule: ID, file: 'local/config.yaml', line: 4, column: 9 },
      { rule: ID, file: 'platform/daprsystem.yaml', line: 9, column: 14 },
      { rule: ID, file: 'production/dapr-system/daprsystem.yaml', line: 8, column: 14 },
      { rule: ID, file: 'production/shop/appconfig.yaml', line: 7, column: 20 },
      { rule: ID, file: 'sandbox/cart/.dapr/config.yaml', line: 7, column: 14 },
    ]);
  });

  it('reads an Argo CD values string in a file whose lines end in a lone CR, at the same place', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'rules/DAPR401/fires/argocd/production/dapr.yaml'), 'utf8');
    expect(hits(of(scanFiles({ 'argocd/production/dapr.yaml': text.replace(/\n/g, '\r') }), ID))).toEqual([{ rule: ID, file: 'argocd/production/dapr.yaml', line: 20, column: 22 }]);
  });

  it('uses the rule levels for authoritative sources, warning for ignored settings and note for self-hosted files, in every environment', () => {
    expect(results.map((r) => [r.location.file, r.level, r.environments[0]])).toEqual([
      ['apps/aa/daprsystem.yaml', 'warning', 'unclassified'],
      ['apps/shop/appconfig.yaml', 'warning', 'unclassified'],
      ['argocd/production/dapr.yaml', 'error', 'production'],
      ['argocd/staging/dapr.yaml', 'warning', 'non-production'],
      ['charts/shop/values-dev.yaml', 'warning', 'non-production'],
      ['charts/shop/values-prod.yaml', 'error', 'production'],
      ['flux/dapr.yaml', 'error', 'unclassified'],
      ['local/config.yaml', 'note', 'non-production'],
      ['platform/daprsystem.yaml', 'error', 'unclassified'],
      ['production/dapr-system/daprsystem.yaml', 'error', 'production'],
      // an app Configuration in production is still only a warning: Dapr ignores it
      ['production/shop/appconfig.yaml', 'warning', 'production'],
      ['sandbox/cart/.dapr/config.yaml', 'note', 'non-production'],
    ]);
    expect(results.map((r) => r.securitySeverity)).toEqual([3, 3, undefined, undefined, undefined, undefined, undefined, 5, undefined, undefined, 3, 5]);
  });

  it('never reports an app-level Configuration as an error', () => {
    for (const file of ['apps/shop/appconfig.yaml', 'production/shop/appconfig.yaml']) {
      expect(at(file).level).toBe('warning');
      expect(at(file).message).toContain('but Dapr reads spec.mtls only from the "daprsystem" Configuration of the control plane');
    }
    expect(at('production/shop/appconfig.yaml').message).toMatch(/^Configuration "appconfig" sets spec\.mtls\.enabled: False, but/);
  });

  it('says which namespaces count as the control plane when a daprsystem sits elsewhere', () => {
    // "dapr" comes from the Flux HelmRelease's targetNamespace
    expect(at('apps/aa/daprsystem.yaml').message).toBe(
      'Configuration "daprsystem" in namespace "aa" sets spec.mtls.enabled: off, but Dapr reads "daprsystem" only from the control-plane namespace ("dapr", "dapr-system" here): this setting does nothing. If the control plane runs in "aa", add it to DAPR401\'s controlPlaneNamespaces option; otherwise remove the setting.',
    );
    expect(at('platform/daprsystem.yaml').message).toMatch(/^Configuration "daprsystem" in namespace "dapr" sets spec\.mtls\.enabled: false: sidecars are injected without mTLS\./);
  });

  it('names the Helm value as written: umbrella alias, Flux spec.values, Argo CD parameters', () => {
    expect(at('charts/shop/values-prod.yaml').message).toContain('charts/shop/values-prod.yaml of chart "shop", which depends on dapr sets runtime.global.mtls.enabled: false: the chart renders it into the "daprsystem" Configuration');
    expect(at('charts/shop/values-dev.yaml').message).toContain('sets global.mtls.enabled: false');
    expect(at('flux/dapr.yaml').message).toContain('HelmRelease "dapr" of chart dapr sets spec.values.global.mtls.enabled: false');
    expect(at('argocd/staging/dapr.yaml').message).toContain('Argo CD Application "dapr-staging" of chart dapr sets helm.parameters[global.mtls.enabled]: false');
    expect(at('argocd/production/dapr.yaml').message).toMatch(/Remove the setting \(mTLS is on by default\) or set it to true\. \(production\)$/);
  });

  it('explains self-hosted notes and lists the Multi-App Run apps that load the file', () => {
    const local = at('local/config.yaml');
    expect(local.message).toContain('Self-hosted config file local/config.yaml (Configuration "daprConfig") does not set spec.mtls.enabled: true');
    expect(local.related).toEqual([{ file: 'local/dapr.yaml', region: { startLine: 5, startColumn: 12, endLine: 5, endColumn: 18 }, label: 'Multi-App Run app "orders" loads this config file' }]);
    expect(at('sandbox/cart/.dapr/config.yaml').message).toContain('sets spec.mtls.enabled to the string "true", which the Dapr CLI does not read as a boolean');
  });

  it('does not judge a config file that only compose daprd services load (their --enable-mtls flag decides)', () => {
    expect(results.filter((r) => r.location.file.startsWith('compose/'))).toEqual([]);
    expect(fires.model.apps.some((a) => a.app.source === 'compose' && a.app.configFile?.value === 'compose/dapr/config.yaml')).toBe(true);
  });

  it('is silent on mTLS on, app Configurations without spec.mtls, values the chart never renders, and stray Configurations in resources folders', () => {
    const passes = scanFixture('rules/DAPR401/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    expect(passes.model.ofType('configuration').map((c) => c.resource.name).sort()).toEqual(['appconfig', 'daprConfig', 'daprsystem', 'other', 'stray']);
    expect(passes.model.daprInstalls.length).toBe(3);
  });

  it('treats a daprsystem in a namespace listed in controlPlaneNamespaces as authoritative', () => {
    const files = {
      'clusters/prod/daprsystem.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: daprsystem\n  namespace: aa\nspec:\n  mtls:\n    enabled: false\n',
    };
    expect(of(scanFiles(files), ID).map((r) => r.level)).toEqual(['warning']);
    const configured = of(scanFiles(files, { rules: { 'mtls-disabled': { options: { controlPlaneNamespaces: ['aa'] } } } }), ID);
    expect(configured.map((r) => [r.level, r.location.region.startLine, r.location.region.startColumn])).toEqual([['error', 8, 14]]);
  });

  it('takes a daprsystem whose namespace the repository does not state as the control plane one', () => {
    const result = scanFiles({ 'daprsystem.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: daprsystem\nspec:\n  mtls:\n    enabled: false\n' });
    expect(of(result, ID).map((r) => r.level)).toEqual(['error']);
    expect(of(result, ID)[0].message).toMatch(/^Configuration "daprsystem" sets spec\.mtls\.enabled: false: sidecars are injected without mTLS\./);
  });
});
