// release.ts: trees of resources whose facts are all that later stages read
// are let go after extraction. Nothing may read differently: the results of
// every fixture, the example and the corpus are the same with and without it,
// and the facts the model keeps do not hold the tree.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/engine/config.js';
import { discover } from '../../src/engine/discover.js';
import { dataPath } from '../../src/engine/edits.js';
import { kubernetesApp, kubernetesResource, resourceBase } from '../../src/engine/extract/kubernetes.js';
import { contentsAgain, parseText } from '../../src/engine/parse.js';
import { applyPolicy, resolveFinding } from '../../src/engine/policy.js';
import { isReleased, releaseStats, releaseTree, strictRelease } from '../../src/engine/release.js';
import type { Resource } from '../../src/engine/resources.js';
import { modelOf, runRules, scan } from '../../src/engine/run.js';
import type { Rule } from '../../src/rules/types.js';
import { childPath, type ParsedDoc } from '../../src/engine/yaml.js';
import { allRules } from '../../src/rules/index.js';
import { CORPUS, fixtureTrees, hasCorpus, NOW, pinRenderers, writeTree } from '../helpers.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/task-api');

/** Results of a scan; `release: 'strict'` lets go of trees and throws when anything but a fix helper reads one. */
function resultsOf(root: string, release: boolean | 'strict'): { json: string; reparsed: number } {
  const loaded = pinRenderers(resolveConfig({ root }));
  const { config } = loaded;
  const discovered = discover({ root, include: config.include, exclude: config.exclude, maxFileSize: config.maxFileSize, maxTotalBytes: config.maxTotalBytes });
  const before = releaseStats.reparsed;
  strictRelease(release === 'strict');
  const model = modelOf(discovered, root, loaded, root, { concurrency: 'off', release: release !== false });
  const { findings, ok } = runRules(model, allRules, loaded, NOW, model.notifications);
  // Fixes are computed as findings are resolved: still under strict reading.
  const resolved = findings.map(resolveFinding);
  strictRelease(false);
  // A rule that threw (a strict read) would only lose its findings: say so.
  expect(ok, root).toBe(true);
  const results = applyPolicy({ findings: resolved, rules: new Map(allRules.map((r) => [r.meta.id, r.meta])), config, suppressions: model.suppressions, now: NOW });
  return { json: JSON.stringify({ results, notifications: model.notifications }), reparsed: releaseStats.reparsed - before };
}

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: task-api',
  'spec:',
  '  template:',
  '    metadata:',
  '      annotations:',
  '        dapr.io/enabled: "true"',
  '        dapr.io/app-port: 8000',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: task-api:1.0',
  '          env:',
  '            - { name: MODE, value: prod }',
  '',
].join('\n');

function workload(text = DEPLOYMENT): Resource {
  const parsed = parseText({ path: 'deploy.yaml', absPath: '/deploy.yaml', kind: 'yaml', size: text.length }, text);
  const base = resourceBase(parsed.docs[0]);
  if (!base) throw new Error('no resource');
  return kubernetesResource(base);
}

const reparse = (pdoc: ParsedDoc): unknown => parseText(pdoc.file, pdoc.text).docs[pdoc.index].doc.contents;

afterEach(() => strictRelease(false));

describe('releasing a tree', () => {
  it('gives it back, parsed again from the text, to a late reader: once, and equal to the first parse', () => {
    const r = workload();
    const first = r.pdoc.doc.toJS() as unknown;
    const before = releaseStats.reparsed;
    releaseTree(r, reparse);
    expect(isReleased(r.pdoc)).toBe(true);
    expect(releaseStats.reparsed).toBe(before);
    expect(r.pdoc.doc.toJS()).toEqual(first);
    expect(r.root.get('kind')).toBe('Deployment');
    expect(r.metadata?.get('name')).toBe('task-api');
    expect(r.root).toBe(r.pdoc.doc.contents);
    expect(releaseStats.reparsed).toBe(before + 1);
  });

  it('keeps a tree parsed again only while it is among the last few: not until the scan ends', () => {
    const first = workload();
    releaseTree(first, reparse);
    const node = first.root.items[0];
    expect(first.root.items[0]).toBe(node);
    const before = releaseStats.reparsed;
    for (let i = 0; i < 8; i++) {
      const other = workload();
      releaseTree(other, reparse);
      expect(other.root.items.length).toBeGreaterThan(0);
    }
    expect(releaseStats.reparsed).toBe(before + 8);
    // The ninth document parsed again pushed the first one out: read again, it is parsed again, equal.
    expect(first.root.items[0]).not.toBe(node);
    expect(releaseStats.reparsed).toBe(before + 9);
    expect(first.pdoc.doc.toJS()).toEqual(workload().pdoc.doc.toJS());
  });

  it('throws on a late read in strict mode (tests prove that nothing reads)', () => {
    const r = workload();
    releaseTree(r, reparse);
    strictRelease(true);
    expect(() => r.root.items).toThrow(/released tree read: deploy\.yaml document 1/);
    expect(() => r.pdoc.doc.toJS()).toThrow(/released tree read/);
  });

  it('still finds the path of a node the model holds, so fixes on released documents are still offered', () => {
    const r = workload();
    if (r.type !== 'workload') throw new Error('not a workload');
    const port = r.pod.annotations.get('dapr.io/app-port');
    releaseTree(r, reparse);
    expect(port && dataPath(r.pdoc, port.valueNode)).toEqual(['spec', 'template', 'metadata', 'annotations', 'dapr.io/app-port']);
    expect(port && dataPath(r.pdoc, port.pair.key)).toEqual(['spec', 'template', 'metadata', 'annotations', 'dapr.io/app-port']);
  });

  it('lets the garbage collector take the tree: the facts of a workload and its app do not hold it', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const r = workload();
    if (r.type !== 'workload') throw new Error('not a workload');
    const app = kubernetesApp(r, r.pod);
    // The container's env: nothing any rule reads.
    const env = new WeakRef(childPath(r.root, ['spec', 'template', 'spec', 'containers'], r.pdoc) as object);
    releaseTree(r, reparse);
    // A macrotask: WeakRefs read in this job are kept alive until it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(env.deref()).toBeUndefined();
    expect(app.settings.get('app-port')?.value).toBe('8000');
  });
});

describe('which trees a scan lets go of', () => {
  it('releases a Component that passes its schema (not one DAPR002 reports on or one with scopes under spec) and a rendered kustomization', () => {
    const component = (name: string, spec: string): string =>
      `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: state.redis\n  version: v1\n${spec}scopes: [task-api]\n`;
    const root = writeTree({
      'valid.yaml': component('valid', '  metadata:\n    - name: redisHost\n      value: redis:6379\n'),
      'invalid.yaml': component('invalid', '  metadata:\n    - value: redis:6379\n'),
      'misplaced.yaml': component('misplaced', '  metadata: []\n  scopes: [task-api]\n'),
      'kustomization.yaml': 'resources:\n  - valid.yaml\n',
      'keys/kustomization.yaml': `secretGenerator:\n  - name: tls\n    literals:\n      - "tls.key=-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"\n`,
    });
    const loaded = pinRenderers(resolveConfig({ root }));
    const discovered = discover({ root, include: loaded.config.include, exclude: loaded.config.exclude, maxFileSize: loaded.config.maxFileSize, maxTotalBytes: loaded.config.maxTotalBytes });
    const model = modelOf(discovered, root, loaded, root, { concurrency: 'off' });
    const released = Object.fromEntries(model.parsed.map((f) => [f.file.path, f.docs.map((d) => isReleased(d))]));
    // Kustomizations once rendered, unless one may hold a private key (DAPR207 searches its scalars).
    expect(released).toEqual({ 'invalid.yaml': [false], 'keys/kustomization.yaml': [false], 'kustomization.yaml': [true], 'misplaced.yaml': [false], 'valid.yaml': [true] });
    const rules = allRules.filter((r) => r.meta.id === 'DAPR002');
    const { findings } = runRules(model, rules, loaded, NOW, []);
    const results = applyPolicy({ findings: findings.map(resolveFinding), rules: new Map(rules.map((r) => [r.meta.id, r.meta])), config: loaded.config, suppressions: [], now: NOW });
    expect(results.map((r) => [r.ruleId, r.location.file, r.location.region.startLine, r.location.region.startColumn])).toEqual([['DAPR002', 'invalid.yaml', 9, 7]]);
  });
});

describe('parsing a released document again (contentsAgain)', () => {
  const file = (text: string) => parseText({ path: 'many.yaml', absPath: '/many.yaml', kind: 'yaml', size: text.length }, text, { precheck: true });
  const range = (n: unknown): unknown => (n as { range?: unknown }).range;

  it('gives back each document of a many-document file: equal data, at the same place', () => {
    const text = `# head\n${DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n...\n--- # next\n${DEPLOYMENT.replace('task-api', 'other')}`;
    const parsed = file(text);
    expect(parsed.docs.length).toBe(3);
    for (const pdoc of parsed.docs) {
      const again = contentsAgain(pdoc, { precheck: true });
      expect(again).not.toBe(pdoc.doc.contents);
      expect(range(again)).toEqual(range(pdoc.doc.contents));
      expect((again as { toJSON(): unknown }).toJSON()).toEqual(pdoc.doc.contents?.toJSON());
    }
  });

  it('reads a file with directives whole: a %TAG line before a document changes how it reads', () => {
    // With the directive, `!!int "12"` is an unknown tag on the string "12"; without it, yaml's int 12.
    const text = `${DEPLOYMENT}...\n%TAG !! tag:example.com,2000:\n---\nkind: Service\nmetadata:\n  name: s\n  labels: { port: !!int "12" }\n`;
    const pdoc = file(text).docs[1];
    expect((pdoc.doc.toJS() as { metadata: { labels: unknown } }).metadata.labels).toEqual({ port: '12' });
    const again = contentsAgain(pdoc, { precheck: true }) as { toJSON(): { metadata: { labels: unknown } } };
    expect(again.toJSON().metadata.labels).toEqual({ port: '12' });
  });
});

describe('trees a rule will fix (Rule.keepsTree)', () => {
  it('are kept, so that DAPR003, DAPR004 and DAPR301 fix without parsing the document again; the results are the same', () => {
    const app = (name: string, annotations: string[]): string =>
      ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, 'spec:', '  template:', '    metadata:', '      annotations:', '        dapr.io/enabled: "true"', `        dapr.io/app-id: "${name}"`, ...annotations.map((a) => `        ${a}`), '    spec:', `      containers: [{ name: ${name}, image: example/${name}:1 }]`, ''].join('\n');
    const root = writeTree({
      'number.yaml': app('number', ['dapr.io/app-port: 8080']),
      'listen.yaml': app('listen', ['dapr.io/sidecar-listen-addresses: "0.0.0.0"']),
      'typo.yaml': app('typo', ['dapr.io/log-levl: "info"']),
      // Nothing to fix (DAPR304 would add API logging to a workload without it).
      'plain.yaml': app('plain', ['dapr.io/app-port: "8080"', 'dapr.io/enable-api-logging: "true"']),
    });
    const loaded = pinRenderers(resolveConfig({ root }));
    const before = releaseStats.reparsed;
    const scanned = scan({ root, config: loaded, now: NOW, concurrency: 'off' });
    const released = Object.fromEntries(scanned.model.parsed.map((f) => [f.file.path, f.docs.map((d) => isReleased(d))]));
    expect(releaseStats.reparsed - before).toBe(0);
    expect(released).toEqual({ 'listen.yaml': [false], 'number.yaml': [false], 'plain.yaml': [true], 'typo.yaml': [false] });
    const fixed = scanned.results.filter((r) => r.fix).map((r) => [r.ruleId, r.location.file, r.location.region.startLine, r.location.region.startColumn]);
    expect(fixed).toEqual([
      ['DAPR301', 'listen.yaml', 11, 43],
      ['DAPR003', 'number.yaml', 11, 27],
      ['DAPR004', 'typo.yaml', 11, 9],
    ]);
    // Without the hook the same fixes parse each of the three documents again.
    const { json, reparsed } = resultsOf(root, true);
    expect(reparsed).toBe(3);
    expect(JSON.parse(json).results).toEqual(scanned.results);
  });
});

describe('a scan gives the same results with and without releasing trees', () => {
  it('on every fixture and the example, where nothing but the fix helpers reads a released tree', () => {
    let reparsed = 0;
    for (const root of [...fixtureTrees(), EXAMPLE]) {
      const on = resultsOf(root, 'strict');
      const off = resultsOf(root, false);
      expect(on.json, root).toBe(off.json);
      expect(off.reparsed, root).toBe(0);
      reparsed += on.reparsed;
    }
    // Fixes on released workloads (DAPR003, DAPR004, DAPR301, DAPR304) did read theirs.
    expect(reparsed).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('on the shared corpus', () => {
    expect(resultsOf(CORPUS, 'strict').json).toBe(resultsOf(CORPUS, false).json);
  });
});

describe('fixes computed late', () => {
  it('keeps a finding whose fix throws, without the fix, and says that its rule failed', () => {
    const root = writeTree({ 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n' });
    const throwing: Rule = {
      meta: { ...allRules[0].meta, id: 'DAPR999', name: 'throwing-fix', levels: { default: 'error' } },
      check: ({ model, report }) => {
        for (const i of model.ofType('service')) report({ message: 'found', at: { pdoc: i.resource.pdoc, node: i.resource.root }, on: i, fix: () => { throw new Error('boom'); } });
      },
    };
    const scanned = scan({ root, config: resolveConfig({ root }), now: NOW, rules: [throwing] });
    expect(scanned.results.map((r) => [r.ruleId, r.location.file, r.location.region.startLine, r.location.region.startColumn, r.fix])).toEqual([['DAPR999', 'a.yaml', 1, 1, undefined]]);
    expect(scanned.executionSuccessful).toBe(false);
    expect(scanned.notifications.map((n) => n.message)).toEqual(['Rule DAPR999 (throwing-fix) failed while computing a fix: boom. The finding is reported without it; please report this.']);
  });
});
