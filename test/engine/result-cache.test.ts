// The result cache (`--cache`): a scan it answers must report exactly what a
// full scan reports, whatever changed in whichever file; it must answer when
// nothing the rules read changed; and it must never trust a results file it
// did not write for this program, configuration, clock and disk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { type LoadedConfigWithSource, resolveConfig } from '../../src/engine/config.js';
import type { Config } from '../../src/engine/config-types.js';
import { discover } from '../../src/engine/discover.js';
import { releaseStats } from '../../src/engine/release.js';
import { resultsFileOf, seenNow, type StoredScan } from '../../src/engine/result-cache.js';
import { resultCacheStats, scan, type ScanOutcome, scanOrReuse } from '../../src/engine/run.js';
import { CORPUS, FIXTURES, hasCorpus, NOW, pinRenderers, tmpDir, writeTree } from '../helpers.js';
import { renderBinaries } from '../support/binaries.js';
import { daysFrom, makeCertificate } from '../support/certs.js';

function configOf(root: string, extra: Partial<Config> = {}): LoadedConfigWithSource {
  const loaded = resolveConfig({ root });
  return { ...loaded, config: { ...loaded.config, ...extra } };
}

/** What a report shows of a scan: results and notifications. */
function shown(r: ScanOutcome): string {
  return JSON.stringify({ results: r.results, notifications: r.notifications, ok: r.executionSuccessful, files: r.filesScanned });
}

interface Run {
  out: string;
  reused: boolean;
}

function cached(root: string, config: LoadedConfigWithSource, cache: string, now = NOW): Run {
  const before = resultCacheStats.reused;
  const r = scanOrReuse({ root, config, now, cache });
  return { out: shown(r), reused: resultCacheStats.reused > before };
}

function full(root: string, config: LoadedConfigWithSource, now = NOW): string {
  return shown(scan({ root, config, now }));
}

const commentedKey = makeCertificate({ subject: 'leaked', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 30), isCA: false })
  .keyPem.trim()
  .split('\n')
  .map((l) => `# ${l}\n`)
  .join('');

/** Edits a file may get, from the harmless (a comment) to the ones that change findings. */
const EDITS: Record<string, (text: string) => string> = {
  'a comment at the end': (t) => `${t}${t.endsWith('\n') ? '' : '\n'}# edited\n`,
  'a comment at the start': (t) => `# edited\n${t}`,
  'spaces at the end of a line': (t) => t.replace(/\n/, '   \n'),
  'a value changed': (t) => t.replace(/(:\s+"?)([A-Za-z0-9][^"\n]*)("?)\n(?![\s\S]*:\s+"?[A-Za-z0-9])/, '$1$2x$3\n'),
  'true made false': (t) => t.replace(/"true"|\btrue\b/, 'false'),
  'the middle line removed': (t) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(lines.length / 2), 1);
    return lines.join('\n');
  },
  'a suppression comment': (t) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(lines.length / 2), 0, '# dapr-policy-disable-next-line DAPR101 DAPR003 DAPR201 DAPR301 -- a test');
    return lines.join('\n');
  },
  'a document appended': (t) => `${t}${t.endsWith('\n') ? '' : '\n'}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: added\nspec:\n  type: NodePort\n  ports:\n  - port: 3500\n`,
  'an image tag changed': (t) => t.replace(/image: .*/, 'image: "example/other:2"'),
  'a private key in a comment at the start': (t) => `${commentedKey}${t}`,
  'a private key in a comment at the end': (t) => `${t}${t.endsWith('\n') ? '' : '\n'}${commentedKey}`,
  // After the end marker the comment belongs to no document: only the file's text holds it.
  'a private key in a comment after the end marker': (t) => `${t}${t.endsWith('\n') ? '' : '\n'}...\n${commentedKey}`,
};

/** Files of a repository, spread over its kinds: every `step`-th in path order. */
function sample(root: string, count: number): string[] {
  const files = discover({ root, maxTotalBytes: 2 ** 40 }).files.map((f) => f.path).sort();
  const step = Math.max(1, Math.floor(files.length / count));
  return files.filter((_, i) => i % step === 0).slice(0, count);
}

/**
 * Each edit of each sampled file: the cached scan after it must equal a full
 * scan, and the cached scan after undoing it the first full scan.
 */
function checkEdits(root: string, config: LoadedConfigWithSource, files: string[]): { reused: string[]; rescanned: string[] } {
  const cache = path.join(tmpDir(), 'cache');
  const original = full(root, config);
  expect(cached(root, config, cache).out).toBe(original);
  const second = cached(root, config, cache);
  expect(second.reused).toBe(true);
  expect(second.out).toBe(original);
  const reused: string[] = [];
  const rescanned: string[] = [];
  for (const rel of files) {
    const abs = path.join(root, rel);
    const before = fs.readFileSync(abs, 'utf8');
    for (const [name, edit] of Object.entries(EDITS)) {
      const after = edit(before);
      if (after === before) continue;
      fs.writeFileSync(abs, after);
      const run = cached(root, config, cache);
      expect(run.out, `${rel}: ${name}`).toBe(full(root, config));
      (run.reused ? reused : rescanned).push(`${rel}: ${name}`);
      fs.writeFileSync(abs, before);
      expect(cached(root, config, cache).out, `${rel}: ${name}, undone`).toBe(original);
    }
  }
  return { reused, rescanned };
}

describe('result cache', () => {
  it('reports what a full scan reports after any edit of a generated GitOps repository, and answers when the rules see no change', () => {
    const root = path.join(tmpDir(), 'repo');
    generateCorpus(root, { apps: 2, seed: 11 });
    // No renderer on purpose: a rendering scan keeps no results, and here the refusals are what render reads.
    const config = configOf(root, { kustomize: { binary: '/nonexistent/kustomize' }, helm: { binary: '/nonexistent/helm' } });
    const deployment = discover({ root }).files.find((f) => f.path.endsWith('/base/deployment.yaml'))?.path as string;
    const files = [...sample(root, 6), deployment];
    const { reused, rescanned } = checkEdits(root, config, files);
    // Comments and an image tag in a Deployment change nothing the rules read.
    expect(reused).toContain(`${deployment}: a comment at the end`);
    expect(reused).toContain(`${deployment}: an image tag changed`);
    expect(rescanned).toContain(`${deployment}: true made false`);
    expect(rescanned).toContain(`${deployment}: a suppression comment`);
  }, 120_000);

  it.skipIf(!hasCorpus)('reports what a full scan reports after edits of the shared corpus', () => {
    const root = path.join(tmpDir(), 'corpus');
    fs.cpSync(CORPUS, root, { recursive: true });
    const config = configOf(root, { render: 'off' });
    const { reused } = checkEdits(root, config, sample(root, 2));
    expect(reused.length).toBeGreaterThan(0);
  }, 300_000);

  it('judges a file by its bytes once a fix read its released document again: the fix is offsets into the text', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: prod\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: orders\n    spec:\n      containers:\n      - name: orders\n        image: orders:1\n';
    const root = writeTree({ 'deploy.yaml': deployment }, { environments: { production: { namespaces: ['prod'] } } });
    const config = configOf(root);
    const cache = path.join(root, '.cache');
    const first = cached(root, config, cache);
    expect(first.out).toContain('"ruleId":"DAPR304"');
    expect(first.out).toContain('"start":194');
    // Same lines, same facts, every offset after the first line moved by three: the fix must move too.
    fs.writeFileSync(path.join(root, 'deploy.yaml'), deployment.replace('\n', '   \n'));
    const run = cached(root, config, cache);
    expect(run.reused).toBe(false);
    expect(run.out).toContain('"start":197');
    expect(run.out).toBe(full(root, config));
  });

  it('sees a workload by its facts when the only fix for it is one no level reports (DAPR304 outside production)', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: dev\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: orders\n    spec:\n      containers:\n      - name: orders\n        image: orders:1\n';
    const root = writeTree({ 'deploy.yaml': deployment }, { environments: { production: { namespaces: ['prod'] }, 'non-production': { namespaces: ['dev'] } } });
    const config = configOf(root);
    const cache = path.join(root, '.cache');
    const before = releaseStats.reparsed;
    const first = cached(root, config, cache);
    // The fix that would add API logging is never computed, so the document is never parsed again.
    expect(releaseStats.reparsed).toBe(before);
    expect(first.out).not.toContain('DAPR304');
    fs.writeFileSync(path.join(root, 'deploy.yaml'), deployment.replace('orders:1', 'orders:2'));
    const run = cached(root, config, cache);
    expect(run.reused).toBe(true);
    expect(run.out).toBe(full(root, config));
  });

  it('rescans when a file rendering read changed, even when what the rules see of it did not', () => {
    const root = writeTree({ 'chart/Chart.yaml': 'apiVersion: v2\nname: shop\n' });
    const files = discover({ root }).files;
    const stored: StoredScan = { scope: '', files: [['chart/Chart.yaml', 'yaml', 'the hash of older bytes', 'f:unchanged']], world: [], worldFiles: [], findings: [], suppressions: [], notifications: [], ok: true };
    const see = (): string => 'f:unchanged';
    expect(seenNow(stored, files, see)?.map((f) => f[3])).toEqual(['f:unchanged']);
    // A renderer read it through the parses (a chart's name is in DAPR007's message): its bytes must be the same.
    expect(seenNow({ ...stored, worldFiles: ['chart/Chart.yaml'] }, files, see)).toBeUndefined();
  });

  it('does not answer for another clock when a rule read the clock, and does when none did', () => {
    const cert = makeCertificate({ subject: 'ca', notBefore: daysFrom(NOW, -10), notAfter: daysFrom(NOW, 400), isCA: true });
    const root = writeTree({ 'trust.crt': cert.certPem, 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n' });
    const config = configOf(root);
    const cache = path.join(root, '.cache');
    cached(root, config, cache, NOW);
    expect(cached(root, config, cache, NOW).reused).toBe(true);
    const later = new Date('2031-01-01T00:00:00Z');
    const run = cached(root, config, cache, later);
    expect(run.reused).toBe(false);
    expect(run.out).toBe(full(root, config, later));

    const plain = writeTree({ 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n' });
    const plainCache = path.join(plain, '.cache');
    cached(plain, configOf(plain), plainCache, NOW);
    expect(cached(plain, configOf(plain), plainCache, later).reused).toBe(true);
  });

  it('does not answer for another configuration, a corrupted results file, or one written for another program', () => {
    const root = writeTree({ 'c.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: s\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n' });
    const cache = path.join(root, '.cache');
    const config = configOf(root);
    const expected = cached(root, config, cache).out;
    expect(cached(root, config, cache).reused).toBe(true);
    const other = configOf(root, { rules: { DAPR101: 'off' } });
    expect(cached(root, other, cache).reused).toBe(false);
    cached(root, config, cache);
    const results = resultsFileOf(cache);
    const bytes = fs.readFileSync(results);
    // A changed finding with the checksum kept: never trusted.
    fs.writeFileSync(results, Buffer.from(bytes.toString('utf8').replace('DAPR101', 'DAPR102')));
    const run = cached(root, config, cache);
    expect(run.reused).toBe(false);
    expect(run.out).toBe(expected);
    fs.writeFileSync(results, bytes.subarray(0, bytes.length - 10));
    expect(cached(root, config, cache)).toEqual({ out: expected, reused: false });
  });

  it('does not answer when the config file moved its text: findings about the config point into it', () => {
    const root = path.join(tmpDir(), 'repo');
    fs.cpSync(path.join(FIXTURES, 'rules/DAPR107/fires'), root, { recursive: true });
    const cache = path.join(root, '.cache');
    const first = cached(root, configOf(root), cache);
    expect(first.out).toContain('"file":"rules.config.json","region":{"startLine":4');
    expect(cached(root, configOf(root), cache).reused).toBe(true);
    const file = path.join(root, 'rules.config.json');
    fs.writeFileSync(file, `\n\n${fs.readFileSync(file, 'utf8')}`);
    const run = cached(root, configOf(root), cache);
    expect(run.reused).toBe(false);
    expect(run.out).toContain('"file":"rules.config.json","region":{"startLine":6');
    expect(run.out).toBe(full(root, configOf(root)));
  });

  it('keeps no results of a scan that ran a renderer, and asks the disk again what rendering read from it', () => {
    const bins = renderBinaries();
    if (!bins.kubectl) return expect(bins.kubectl).toBeUndefined();
    const outside = tmpDir();
    fs.mkdirSync(path.join(outside, 'base'));
    fs.writeFileSync(path.join(outside, 'base/kustomization.yaml'), 'resources: []\n');
    const root = writeTree({
      'overlay/kustomization.yaml': 'resources:\n- ../linked\n',
      'overlay/component.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: s\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n',
      'inside/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: inside\n',
    });
    fs.symlinkSync(path.join(outside, 'base'), path.join(root, 'linked'));
    const config = pinRenderers(configOf(root));
    const cache = path.join(root, '.cache');
    // The link leads out of the repository: refused before kubectl runs, so the results are kept.
    const refused = cached(root, config, cache);
    expect(refused.out).toContain('links outside the repository');
    expect(cached(root, config, cache).reused).toBe(true);
    // The same link now leads inside: no file of the walk changed, but what rendering read did.
    fs.rmSync(path.join(root, 'linked'));
    fs.symlinkSync(path.join(root, 'inside'), path.join(root, 'linked'));
    const built = cached(root, config, cache);
    expect(built.reused).toBe(false);
    expect(built.out).toBe(full(root, config));
    expect(built.out).not.toContain('links outside the repository');
    // kubectl ran: nothing kept, so the next scan is a full one too.
    expect(cached(root, config, cache).reused).toBe(false);
  });
});
