// The cross-file model: namespaces from kustomize, instances per entry point,
// environments, self-hosted projects and the access matrix.
import { describe, expect, it } from 'vitest';
import { hits, scanFiles, scanFixture } from '../helpers.js';

describe('kustomize namespaces and instances', () => {
  const result = scanFixture('engine/kustomize');
  const components = result.model.ofType('component').map((i) => ({ name: i.resource.name, file: i.resource.pdoc.file.path, namespace: i.namespace, environment: i.environment, via: i.via }));

  it('gives a base resource one instance per entry point, with the outermost namespace and the entry point environment', () => {
    expect(components).toEqual([
      { name: 'statestore', file: 'base/statestore.yaml', namespace: 'shop-dev', environment: 'non-production', via: 'overlays/dev/kustomization.yaml' },
      { name: 'statestore', file: 'base/statestore.yaml', namespace: 'shop-prod', environment: 'production', via: 'overlays/prod/kustomization.yaml' },
      { name: 'cache', file: 'standalone.yaml', namespace: 'default', environment: 'unclassified', via: undefined },
    ]);
  });

  it('keeps metadata.namespace when the entry point sets none', () => {
    const worker = result.model.apps.find((a) => a.app.name === 'worker');
    expect(worker).toMatchObject({ namespace: 'jobs', via: 'apps/kustomization.yaml' });
  });

  it('does not treat patch files as resources', () => {
    expect(result.model.instances.some((i) => i.resource.pdoc.file.path === 'overlays/prod/scopes-patch.yaml')).toBe(false);
  });

  it('merges the findings of one base resource evaluated through two overlays, at the highest level', () => {
    const d101 = result.results.filter((r) => r.ruleId === 'DAPR101' && r.location.file === 'base/statestore.yaml');
    expect(d101).toHaveLength(1);
    expect(d101[0].level).toBe('error');
    expect(d101[0].namespaces).toEqual(['shop-dev', 'shop-prod']);
    expect(d101[0].environments).toEqual(['non-production', 'production']);
    expect(d101[0].message).toMatch(/namespace "shop-prod".*Applies to namespace "shop-dev" \(non-production\), namespace "shop-prod" \(production\)\.$/);
  });

  it('indexes apps by namespace and app-id', () => {
    expect(result.model.appsWithId('shop-prod', 'task-api')).toHaveLength(1);
    expect(result.model.appsWithId('shop-dev', 'task-api')).toHaveLength(1);
    expect(result.model.appsWithId('default', 'task-api')).toHaveLength(0);
  });
});

describe('environments', () => {
  const component = (name: string, ns?: string): string =>
    `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  type: state.redis\n  version: v1\n  metadata: []\n`;
  it('decides by config globs, then the namespace, then the nearest folder', () => {
    const result = scanFiles(
      {
        'clusters/eu/a.yaml': component('a', 'payments'),
        'clusters/eu/b.yaml': component('b', 'prod-eu'),
        'clusters/staging/prod/c.yaml': component('c'),
        'clusters/prod/staging/d.yaml': component('d'),
        'clusters/eu/e.yaml': component('e', 'team-x'),
        'live/f.yaml': component('f', 'preview-1'),
      },
      { environments: { production: { namespaces: ['payments'] }, 'non-production': { namespaces: ['preview-*'], paths: ['clusters/eu/e.yaml'] } } },
    );
    const env = Object.fromEntries(result.model.ofType('component').map((i) => [i.resource.name, i.environment]));
    expect(env).toEqual({ a: 'production', b: 'production', c: 'production', d: 'non-production', e: 'non-production', f: 'non-production' });
  });
});

describe('Dapr kinds', () => {
  it('does not take a Backstage or Kustomize kind: Component for a Dapr Component', () => {
    const result = scanFiles({
      'catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: task-api\nspec:\n  type: service\n  owner: team-a\n',
      'kcomp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\n',
    });
    expect(result.model.ofType('component')).toEqual([]);
    expect(result.results).toEqual([]);
  });
});

describe('self-hosted sources', () => {
  const mar = [
    'version: 1',
    'common:',
    '  resourcesPaths: [./shared-components]',
    '  logLevel: info',
    'apps:',
    '  - appID: orders',
    '    appDirPath: ./orders',
    '    logLevel: debug',
    '    apiListenAddresses: 0.0.0.0',
    '  - appDirPath: ./checkout/',
    '',
  ].join('\n');
  const comp = (name: string, scopes: string): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [${scopes}]\n`;

  it('reads Multi-App Run apps (app values win over common), their resources and a per-file pseudo-namespace', () => {
    const result = scanFiles({
      'dapr.yaml': mar,
      'shared-components/statestore.yaml': comp('statestore', 'orders, checkout, ghost'),
      'checkout/.dapr/resources/pubsub.yaml': comp('orders-pubsub', 'checkout'),
    });
    const apps = result.model.apps.map((a) => ({ id: a.app.appId?.value, ns: a.namespace, logLevel: a.app.settings.get('log-level')?.value, listen: a.app.settings.get('sidecar-listen-addresses')?.value, resources: a.app.resourcesPaths }));
    expect(apps).toEqual([
      { id: 'orders', ns: 'self-hosted:dapr.yaml', logLevel: 'debug', listen: '0.0.0.0', resources: ['shared-components'] },
      { id: 'checkout', ns: 'self-hosted:dapr.yaml', logLevel: 'info', listen: undefined, resources: ['checkout/.dapr/resources'] },
    ]);
    expect(result.model.ofType('component').map((c) => [c.resource.name, c.namespace])).toEqual([
      ['orders-pubsub', 'self-hosted:dapr.yaml'],
      ['statestore', 'self-hosted:dapr.yaml'],
    ]);
    // Scopes in a self-hosted project are judged against its own app-ids.
    expect(hits(result.results, 'DAPR102')).toEqual([{ rule: 'DAPR102', file: 'shared-components/statestore.yaml', line: 9, column: 28 }]);
  });

  it('reads daprd flags from compose, merging the override file and mapping volumes to component folders', () => {
    const base = [
      'services:',
      '  orders:',
      '    image: ghcr.io/example/orders:1',
      '    ports: ["8080:80", "50001:50001"]',
      '  orders-dapr:',
      '    image: "daprio/daprd:1.16.0"',
      '    network_mode: "service:orders"',
      '    environment:',
      '      - DAPR_API_TOKEN=${TOKEN}',
      '  redis:',
      '    image: redis:7',
      '',
    ].join('\n');
    const override = [
      'services:',
      '  orders-dapr:',
      '    command: ["./daprd", "-app-id", "orders", "--dapr-listen-addresses=0.0.0.0", "-components-path", "/components", "--enable-api-logging"]',
      '    volumes:',
      '      - "./dapr/components/:/components"',
      '',
    ].join('\n');
    const result = scanFiles({
      'docker-compose.yml': base,
      'docker-compose.override.yml': override,
      'dapr/components/statestore.yaml': comp('statestore', 'orders'),
    });
    expect(result.model.apps).toHaveLength(1);
    const a = result.model.apps[0];
    expect(a.namespace).toBe('self-hosted:docker-compose.yml');
    expect(a.app.appId?.value).toBe('orders');
    expect(a.app.settings.get('sidecar-listen-addresses')?.value).toBe('0.0.0.0');
    expect(a.app.settings.get('enable-api-logging')?.value).toBe('true');
    expect(a.app.resourcesPaths).toEqual(['dapr/components']);
    expect([...(a.app.environment?.keys() ?? [])]).toEqual(['DAPR_API_TOKEN']);
    expect(a.app.publishedPorts?.map((p) => `${p.service}:${p.hostPort}:${p.containerPort}`)).toEqual(['orders:8080:80', 'orders:50001:50001']);
    expect(result.model.ofType('component')[0].namespace).toBe('self-hosted:docker-compose.yml');
    expect(result.results.filter((r) => r.ruleId === 'DAPR102' || r.ruleId === 'DAPR101')).toEqual([]);
  });

  it('locates a flag inside a string command exactly', () => {
    const result = scanFiles({
      'compose.yaml': 'services:\n  app-dapr:\n    image: daprio/daprd\n    command: ./daprd --app-id web --dapr-listen-addresses 0.0.0.0\n',
    });
    const s = result.model.apps[0].app.settings.get('sidecar-listen-addresses');
    expect(s?.value).toBe('0.0.0.0');
    expect(s?.offsets).toBeDefined();
    const [start, end] = s?.offsets ?? [0, 0];
    expect(s?.pdoc.text.slice(start, end)).toBe('0.0.0.0');
  });
});

describe('access matrix', () => {
  const lesson = (scoped: boolean): Record<string, string> => {
    const dep = (id: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${id}\n  namespace: tasks\nspec:\n  selector:\n    matchLabels: { app: ${id} }\n  template:\n    metadata:\n      labels: { app: ${id} }\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: ${id}\n    spec:\n      containers: [{ name: app, image: example/${id}:1 }]\n`;
    const comp = (name: string, type: string, scopes?: string[]): string =>
      `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: tasks\nspec:\n  type: ${type}\n  version: v1\n  metadata: []\n${scopes ? `scopes: [${scopes.join(', ')}]\n` : ''}`;
    return {
      'apps.yaml': [dep('task-api'), dep('auth-service'), dep('logging-pod')].join('---\n'),
      'components.yaml': [
        comp('statestore', 'state.redis', scoped ? ['task-api'] : undefined),
        comp('pubsub', 'pubsub.kafka', scoped ? ['billing'] : undefined),
        comp('secrets', 'secretstores.hashicorp.vault', scoped ? ['vault-admin'] : undefined),
      ].join('---\n'),
    };
  };
  const grants = (files: Record<string, string>): string[] =>
    scanFiles(files)
      .model.accessMatrix()
      .flatMap((ns) => ns.grants.map((g) => `${ns.namespace} ${g.appId}→${g.resource.resource.name} ${g.kind}`))
      .sort();

  it('grants every app every component when nothing is scoped', () => {
    expect(grants(lesson(false))).toEqual(
      ['auth-service', 'logging-pod', 'task-api'].flatMap((a) => ['pubsub', 'secrets', 'statestore'].map((c) => `tasks ${a}→${c} unscoped`)).sort(),
    );
  });

  it('grants only task-api → statestore once scopes are added', () => {
    expect(grants(lesson(true))).toEqual(['tasks task-api→statestore explicit']);
  });
});
