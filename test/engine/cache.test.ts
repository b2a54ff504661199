// --cache: a restored parse must be indistinguishable from a fresh one, the
// results of a cached scan byte-identical, and a cache that is stale,
// tampered with or corrupted never trusted.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { ParseCache } from '../../src/engine/cache.js';
import { EntryEncoder } from '../../src/engine/parse-transport.js';
import { resolveConfig } from '../../src/engine/config.js';
import { discover } from '../../src/engine/discover.js';
import { parseFile, readSource, decode, type ParsedFile } from '../../src/engine/parse.js';
import { scan } from '../../src/engine/run.js';
import type { SourceFile } from '../../src/engine/types.js';
import { CORPUS, FIXTURES, fixtureTrees, hasCorpus, NOW, tmpDir, writeTree } from '../helpers.js';
import { parsedShape } from '../support/parse-shape.js';

const OPTS = { precheck: true };

/** Parses every file through a cache written to disk and read back by a new cache, as the next scan would. */
function roundTrip(files: SourceFile[], cacheFile: string, settings = 'settings'): { fresh: ParsedFile[]; restored: Array<ParsedFile | undefined>; cache: ParseCache } {
  const first = new ParseCache(cacheFile, settings);
  const fresh = files.map((f) => {
    const buf = readSource(f);
    const p = parseFile(f, OPTS, buf);
    first.set(p, ParseCache.hash(buf));
    return p;
  });
  expect(first.save()).toBe(true);
  const cache = new ParseCache(cacheFile, settings);
  const restored = files.map((f) => {
    const buf = readSource(f);
    return cache.get(f, ParseCache.hash(buf), () => decode(buf).text);
  });
  return { fresh, restored, cache };
}

function yamlFilesUnder(root: string): SourceFile[] {
  return discover({ root, maxTotalBytes: 2 ** 40 }).files;
}

function resultsOf(root: string, cache?: string): string {
  const config = resolveConfig({ root });
  const r = scan({ root, config: { ...config, config: { ...config.config, render: 'off' } }, now: NOW, ...(cache ? { cache } : {}) });
  return JSON.stringify({ results: r.results, notifications: r.notifications });
}

describe('parse cache', () => {
  it('restores every fixture file exactly as the parser composed it: classes, fields, ranges, schema, values', () => {
    const files = yamlFilesUnder(FIXTURES);
    expect(files.length).toBeGreaterThan(300);
    const { fresh, restored } = roundTrip(files, path.join(tmpDir(), 'c'));
    let hits = 0;
    for (const [i, p] of fresh.entries()) {
      const r = restored[i];
      if (!r) continue; // not cacheable (a merge key, a %YAML directive): parsed every time
      hits++;
      expect(parsedShape(r), p.file.path).toEqual(parsedShape(p));
    }
    expect(hits).toBeGreaterThan(files.length - 5);
  });

  it.skipIf(!hasCorpus)('restores every file of the shared corpus exactly', () => {
    const files = yamlFilesUnder(CORPUS);
    const { fresh, restored } = roundTrip(files, path.join(tmpDir(), 'c'));
    for (const [i, p] of fresh.entries()) {
      const r = restored[i];
      if (r) expect(parsedShape(r), p.file.path).toEqual(parsedShape(p));
    }
    expect(restored.filter(Boolean).length).toBeGreaterThan(files.length * 0.95);
  });

  it('keeps yaml node identities working on restored documents', () => {
    const dir = writeTree({ 'a.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: s # c\nspec:\n  v: [1, "2", 0x10, .5]\n  a: &x {k: v}\n  b: *x\n' });
    const [file] = yamlFilesUnder(dir);
    const { restored } = roundTrip([file], path.join(dir, '.cache'));
    const doc = restored[0]?.docs[0].doc;
    expect(doc).toBeDefined();
    const contents = doc?.contents;
    expect(isMap(contents)).toBe(true);
    const spec = isMap(contents) ? contents.get('spec', true) : undefined;
    expect(isMap(spec)).toBe(true);
    const v = isMap(spec) ? spec.get('v', true) : undefined;
    expect(isSeq(v) && v.items.every(isScalar)).toBe(true);
    expect(isSeq(v) && (v.items[2] as Scalar).format).toBe('HEX');
    expect(doc?.toJS()).toEqual({ apiVersion: 'dapr.io/v1alpha1', kind: 'Component', metadata: { name: 's' }, spec: { v: [1, '2', 16, 0.5], a: { k: 'v' }, b: { k: 'v' } } });
  });

  it('does not cache what JSON cannot keep (merge keys): those files are parsed every time, the same way', () => {
    const dir = writeTree({ 'm.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nbase: &b {x: 1}\nspec:\n  <<: *b\n  y: 2\n' });
    const files = yamlFilesUnder(dir);
    const { restored } = roundTrip(files, path.join(dir, '.cache'));
    expect(restored[0]).toBeUndefined();
  });

  it('misses a file whose bytes or kind changed, and hits the others', () => {
    const dir = writeTree({ 'a.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\n', 'b.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\n' });
    const files = yamlFilesUnder(dir);
    const cacheFile = path.join(dir, '.cache');
    roundTrip(files, cacheFile);
    fs.appendFileSync(path.join(dir, 'b.yaml'), 'metadata: {name: x}\n');
    const cache = new ParseCache(cacheFile, 'settings');
    const got = yamlFilesUnder(dir).map((f) => {
      const buf = readSource(f);
      return cache.get(f, ParseCache.hash(buf), () => decode(buf).text);
    });
    expect(got.map(Boolean)).toEqual([true, false]);
    const a = files[0];
    const buf = readSource(a);
    expect(cache.get({ ...a, kind: 'helm-template' }, ParseCache.hash(buf), () => '')).toBeUndefined();
  });

  it('says which files it holds a parse of, so a scan reads and hashes only those before asking', () => {
    const dir = writeTree({ 'a.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\n' });
    const [a] = yamlFilesUnder(dir);
    const cacheFile = path.join(dir, '.cache');
    expect(new ParseCache(cacheFile, 'settings').has(a)).toBe(false);
    roundTrip([a], cacheFile);
    const cache = new ParseCache(cacheFile, 'settings');
    expect([cache.has(a), cache.has({ ...a, kind: 'helm-template' }), cache.has({ ...a, path: 'b.yaml' })]).toEqual([true, false, false]);
  });

  it('keeps an entry a parse worker encoded (common shapes only) as it was sent, and restores it on the next scan', () => {
    const files = yamlFilesUnder(path.join(FIXTURES, 'rules', 'DAPR101'));
    const cacheFile = path.join(tmpDir(), 'c');
    const first = new ParseCache(cacheFile, 'settings');
    let kept = 0;
    for (const f of files) {
      const buf = readSource(f);
      const parsed = parseFile(f, OPTS, buf);
      // What a worker does: its own encoder, starting from the common shapes.
      const encoder = new EntryEncoder();
      const entry = JSON.stringify(encoder.encode(parsed));
      if (encoder.lastWasCommon && first.setEncoded(f, ParseCache.hash(buf), entry)) kept++;
      else first.set(parsed, ParseCache.hash(buf));
    }
    expect(kept).toBeGreaterThan(3);
    expect(first.save()).toBe(true);
    const next = new ParseCache(cacheFile, 'settings');
    for (const f of files) {
      const buf = readSource(f);
      const restored = next.get(f, ParseCache.hash(buf), () => decode(buf).text);
      expect(restored && parsedShape(restored), f.path).toEqual(parsedShape(parseFile(f, OPTS, buf)));
    }
  });

  it('copies the lines of unchanged files into the next cache as they were, so they hit again after it is rewritten', () => {
    const files = yamlFilesUnder(path.join(FIXTURES, 'rules', 'DAPR101'));
    expect(files.length).toBeGreaterThan(3);
    const cacheFile = path.join(tmpDir(), 'c');
    roundTrip(files, cacheFile);
    const before = fs.readFileSync(cacheFile, 'utf8').split('\n');
    // The next scan: every file but the first read back, the first parsed afresh, and the cache rewritten.
    const second = new ParseCache(cacheFile, 'settings');
    for (const [i, f] of files.entries()) {
      const buf = readSource(f);
      if (i === 0) second.set(parseFile(f, OPTS, buf), ParseCache.hash(Buffer.concat([buf, Buffer.from('#')])));
      else expect(second.get(f, ParseCache.hash(buf), () => decode(buf).text), f.path).toBeDefined();
    }
    expect(second.save()).toBe(true);
    const after = fs.readFileSync(cacheFile, 'utf8').split('\n');
    // Besides the checksum (line 2), only the changed file's line is new.
    expect(after.filter((l, i) => i !== 1 && !before.includes(l))).toEqual([expect.stringMatching(/^"[^"]+"\t[0-9a-f]{64}\tyaml\t/)]);
    const third = new ParseCache(cacheFile, 'settings');
    for (const f of files.slice(1)) {
      const buf = readSource(f);
      const restored = third.get(f, ParseCache.hash(buf), () => decode(buf).text);
      expect(restored && parsedShape(restored), f.path).toEqual(parsedShape(parseFile(f, OPTS, buf)));
    }
  });

  it('is invalidated by another configuration, and ignores another tool version, a bad checksum and garbage', () => {
    const dir = writeTree({ 'a.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\n' });
    const files = yamlFilesUnder(dir);
    const cacheFile = path.join(dir, '.cache');
    roundTrip(files, cacheFile);
    const hitWith = (settings: string): boolean => {
      const c = new ParseCache(cacheFile, settings);
      const buf = readSource(files[0]);
      return c.get(files[0], ParseCache.hash(buf), () => decode(buf).text) !== undefined;
    };
    expect(hitWith('settings')).toBe(true);
    expect(hitWith('other settings')).toBe(false);

    const good = fs.readFileSync(cacheFile, 'utf8');
    const [magic, digest] = good.split('\n', 2);
    const body = good.slice(magic.length + digest.length + 2);
    const sha = (s: string): string => ParseCache.hash(Buffer.from(s));
    // Another version of the tool, with a valid checksum: not used.
    const other = body.replace(/^\{"tool":"[^"]*"/, '{"tool":"0.0.0-other"');
    expect(other).not.toBe(body);
    fs.writeFileSync(cacheFile, `${magic}\n${sha(other)}\n${other}`);
    expect(hitWith('settings')).toBe(false);
    // One flipped byte: the checksum no longer matches.
    fs.writeFileSync(cacheFile, `${magic}\n${digest}\n${body.replace('Component', 'Componenx')}`);
    expect(hitWith('settings')).toBe(false);
    // A checksum that matches a payload that is not ours, truncated files, binary garbage.
    for (const bad of [`${magic}\n${sha('{"tool":1}')}\n{"tool":1}`, `${magic}\n${sha('[')}\n[`, good.slice(0, good.length / 2), '\u0000\u0001garbage', '']) {
      fs.writeFileSync(cacheFile, bad);
      expect(hitWith('settings')).toBe(false);
    }
    // Entries whose payload is well formed JSON but not a parse: refused, not thrown.
    const broken = body.replace('"docs":[', '"docs":7,"was":[');
    fs.writeFileSync(cacheFile, `${magic}\n${sha(broken)}\n${broken}`);
    expect(hitWith('settings')).toBe(false);
  });
});

describe('scan --cache', () => {
  it('gives byte-identical results without a cache, with a cold one and with a warm one, on every fixture repository', () => {
    const dir = tmpDir();
    for (const [i, tree] of fixtureTrees().entries()) {
      const cacheFile = path.join(dir, `c${i}`);
      const plain = resultsOf(tree);
      expect(resultsOf(tree, cacheFile), tree).toBe(plain);
      expect(fs.existsSync(cacheFile)).toBe(true);
      expect(resultsOf(tree, cacheFile), tree).toBe(plain);
    }
  });

  it('sees a changed file on the next scan, and rebuilds a corrupted cache', () => {
    const bad = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata:\n  - name: redisPassword\n    value: hunter2hunter2\n';
    const dir = writeTree({ 'c.yaml': bad });
    const cacheFile = path.join(tmpDir(), 'cache');
    const ids = (): string[] => (JSON.parse(resultsOf(dir, cacheFile)) as { results: Array<{ ruleId: string }> }).results.map((r) => r.ruleId);
    expect(ids()).toContain('DAPR201');
    fs.writeFileSync(path.join(dir, 'c.yaml'), bad.replace('    value: hunter2hunter2\n', '    secretKeyRef:\n      name: redis\n      key: password\n'));
    expect(ids()).not.toContain('DAPR201');
    fs.writeFileSync(cacheFile, 'not a cache');
    expect(ids()).not.toContain('DAPR201');
    expect(fs.readFileSync(cacheFile, 'utf8').startsWith('DAPRPOLICY-CACHE-')).toBe(true);
  });
});
