// Model queries that cross files: Dapr chart values, secrets per namespace,
// an app's Configuration, and which Services reach which sidecar ports.
import { describe, expect, it } from 'vitest';
import { ingressesTo, serviceRoutes } from '../../src/engine/exposure.js';
import { installValue } from '../../src/engine/extract/helm-values.js';
import { regionOf } from '../../src/engine/yaml.js';
import { scanFiles } from '../helpers.js';

describe('Dapr chart values', () => {
  it('reads an umbrella chart values file under the dependency alias, and globals at the top', () => {
    const result = scanFiles({
      'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: dapr\n    version: 1.16.0\n    repository: https://dapr.github.io/helm-charts\n    alias: runtime\n',
      'charts/shop/values.yaml': 'global:\n  mtls:\n    enabled: false\nruntime:\n  dapr_sentry:\n    tls:\n      issuer:\n        keyPEM: ""\n',
      'charts/shop/values-prod.yaml': 'runtime:\n  global:\n    mtls:\n      workloadCertTTL: 48h\n',
      'charts/other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 1.0.0\n',
      'charts/other/values.yaml': 'global:\n  mtls:\n    enabled: false\n',
    });
    const installs = result.model.daprInstalls.map((i) => ({ file: i.pdoc.file.path, env: i.environment, mtls: installValue(i, 'global.mtls.enabled')?.path, ttl: installValue(i, 'global.mtls.workloadCertTTL')?.value }));
    expect(installs).toEqual([
      { file: 'charts/shop/values-prod.yaml', env: 'production', mtls: undefined, ttl: '48h' },
      { file: 'charts/shop/values.yaml', env: 'unclassified', mtls: 'global.mtls.enabled', ttl: undefined },
    ]);
    const key = installValue(result.model.daprInstalls[1], 'dapr_sentry.tls.issuer.keyPEM');
    expect(key?.path).toBe('runtime.dapr_sentry.tls.issuer.keyPEM');
  });

  it('reads Flux HelmReleases (v1 and v2) of chart dapr', () => {
    const result = scanFiles({
      'flux/dapr.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: dapr\n  namespace: flux-system\nspec:\n  targetNamespace: dapr-system\n  chart:\n    spec:\n      chart: dapr\n      version: 1.16.x\n  values:\n    global:\n      mtls:\n        enabled: false\n---\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: old\nspec:\n  chart:\n    name: dapr\n  values:\n    global:\n      ha:\n        enabled: true\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\nspec:\n  chart:\n    spec:\n      chart: redis\n',
    });
    expect(result.model.daprInstalls.map((i) => [i.description, i.namespace, installValue(i, 'global.mtls.enabled')?.value])).toEqual([
      ['HelmRelease "dapr" of chart dapr', 'dapr-system', 'false'],
      ['HelmRelease "old" of chart dapr', 'default', undefined],
    ]);
  });

  it('parses an Argo CD values string in place, so positions are positions in the file', () => {
    const app = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      '  name: dapr',
      'spec:',
      '  destination:',
      '    namespace: dapr-system',
      '  source:',
      '    repoURL: https://dapr.github.io/helm-charts',
      '    chart: dapr',
      '    helm:',
      '      values: |',
      '        global:',
      '          mtls:',
      '            enabled: false',
      '      parameters:',
      '        - name: global.ha.enabled',
      '          value: "true"',
      '',
    ].join('\n');
    const result = scanFiles({ 'argo/dapr.yaml': app });
    const [install] = result.model.daprInstalls;
    const mtls = installValue(install, 'global.mtls.enabled');
    expect(mtls?.value).toBe('false');
    expect(regionOf(mtls!.pdoc, mtls!.node)).toEqual({ startLine: 15, startColumn: 22, endLine: 15, endColumn: 27 });
    expect(installValue(install, 'global.ha.enabled')).toMatchObject({ value: 'true', path: 'helm.parameters[global.ha.enabled]' });
  });
});

describe('secrets per namespace', () => {
  it('indexes Secrets, SealedSecrets, ExternalSecrets and kustomize secretGenerators where they land', () => {
    const result = scanFiles({
      'app/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: redis\n  namespace: shop\ndata:\n  redis-password: c2VjcmV0\n',
      'app/sealed.yaml': 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: sealed\n  namespace: shop\nspec:\n  encryptedData:\n    token: AgB\n  template:\n    metadata:\n      name: dapr-api-token\n',
      'app/external.yaml': 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: ext\n  namespace: shop\nspec:\n  target:\n    name: vault-creds\n  dataFrom:\n    - extract: { key: creds }\n',
      'overlay/kustomization.yaml': 'namespace: shop-prod\nsecretGenerator:\n  - name: generated\n    literals:\n      - token=abc\n    files:\n      - tls.crt\n      - key=path/to/key.pem\n',
    });
    const show = (ns: string) => result.model.secretsIn(ns).map((s) => `${s.kind}:${s.name}:${[...s.keys].join(',')}:${s.anyKey}`);
    expect(show('shop')).toEqual(['ExternalSecret:vault-creds::true', 'SealedSecret:dapr-api-token:token:false', 'Secret:redis:redis-password:false']);
    expect(show('shop-prod')).toEqual(['secretGenerator:generated:token,tls.crt,key:false']);
  });
});

describe("an app's Configuration", () => {
  it('resolves dapr.io/config in the app namespace, and the config file of a Multi-App Run app', () => {
    const cfg = (name: string, ns: string) => `apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec: {}\n`;
    const result = scanFiles({
      'k8s/config.yaml': [cfg('appconfig', 'shop'), cfg('appconfig', 'other')].join('---\n'),
      'k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: a\n        dapr.io/config: appconfig\n    spec:\n      containers: [{ name: a, image: a }]\n',
      'local/dapr.yaml': 'version: 1\napps:\n  - appID: b\n    appDirPath: ./b\n    configFilePath: ../config.yaml\n',
      'local/config.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: daprConfig\nspec:\n  mtls:\n    enabled: true\n',
    });
    const found = result.model.apps.map((a) => [a.app.appId?.value, result.model.configurationsFor(a).map((c) => `${c.namespace}/${c.resource.name}`)]);
    expect(found).toEqual([
      ['a', ['shop/appconfig']],
      ['b', ['self-hosted:local/dapr.yaml/daprConfig']],
    ]);
  });
});

describe('exposure', () => {
  it('matches Services to pods by selector and resolves targetPort by number and by name, including daprd port names', () => {
    const result = scanFiles({
      'app.yaml': [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: { app: web, tier: front }\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: web\n        dapr.io/grpc-port: "50010"\n    spec:\n      containers:\n        - name: web\n          image: web\n          ports: [{ name: http, containerPort: 8080 }]\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: LoadBalancer\n  selector: { app: web }\n  ports:\n    - { name: app, port: 80, targetPort: http }\n    - { name: dapr, port: 3500, targetPort: dapr-http }\n    - { name: grpc, port: 50001, targetPort: dapr-grpc }\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: other-ns\n  namespace: elsewhere\nspec:\n  selector: { app: web }\n  ports: [{ port: 3500 }]\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: mismatch\n  namespace: shop\nspec:\n  selector: { app: web, tier: back }\n  ports: [{ port: 3500 }]\n',
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: { service: { name: web, port: { name: dapr } } }\n',
      ].join('---\n'),
    });
    const app = result.model.apps[0];
    const routes = serviceRoutes(result.model, app);
    expect(routes.map((r) => `${r.service.resource.name}:${r.port.port}->${r.targetPort}`)).toEqual(['web:80->8080', 'web:3500->3500', 'web:50001->50010']);
    expect(ingressesTo(result.model, routes[1]).map((i) => i.ingress.resource.name)).toEqual(['web']);
    expect(ingressesTo(result.model, routes[0])).toEqual([]);
  });
});
