// Lean documents: what the scan keeps must read exactly as what yaml composed.
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isPair, isScalar, isSeq, Pair, parseAllDocuments, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { discover } from '../../src/engine/discover.js';
import { LeanMap, LeanPair, LeanScalar, LeanSeq, leanNode } from '../../src/engine/lean-yaml.js';
import { COMPOSER_OPTIONS, parseFile, parseText, plainDirectives } from '../../src/engine/parse.js';
import { EntryDecoder, EntryEncoder } from '../../src/engine/parse-transport.js';
import type { SourceFile } from '../../src/engine/types.js';
import { CORPUS, FIXTURES, hasCorpus } from '../helpers.js';

/** A node through the public yaml API only: what any rule, extractor or yaml itself reads. */
function view(node: unknown): unknown {
  if (isScalar(node)) {
    const { value, source, type, range, comment, commentBefore, spaceBefore, tag, anchor, format } = node;
    return { scalar: true, value: typeof value === 'symbol' ? String(value) : value, source, type, range, comment, commentBefore, spaceBefore, tag, anchor, format };
  }
  if (isMap(node) || isSeq(node)) {
    const { range, flow, tag, anchor, comment, commentBefore, spaceBefore } = node;
    return { map: isMap(node), range, flow, tag, anchor, comment, commentBefore, spaceBefore, items: node.items.map(view) };
  }
  if (isPair(node)) return { key: view(node.key), value: view(node.value) };
  return node;
}

function expectReadsAsComposed(files: SourceFile[]): number {
  let scalars = 0;
  for (const f of files) {
    const parsed = parseFile(f, { precheck: false });
    if (parsed.docs.length === 0) continue;
    const composed = parseAllDocuments(parsed.text, COMPOSER_OPTIONS);
    if (!Array.isArray(composed)) continue;
    for (const pdoc of parsed.docs) {
      const raw = composed[pdoc.index];
      expect(view(pdoc.doc.contents), f.path).toEqual(view(raw.contents));
      expect(pdoc.doc.toString(), f.path).toBe(raw.toString());
      expect(pdoc.doc.toJS({ maxAliasCount: -1 }), f.path).toEqual(raw.toJS({ maxAliasCount: -1 }));
      visit(pdoc.doc, {
        Scalar(_k, node) {
          if (node instanceof LeanScalar) scalars++;
        },
      });
    }
  }
  return scalars;
}

describe('lean documents', () => {
  it('read exactly as yaml composed them on every fixture file: values, sources, types, ranges, comments, toJS, toString', () => {
    const files = discover({ root: FIXTURES, maxTotalBytes: 2 ** 40 }).files.filter((f) => f.kind === 'yaml');
    expect(expectReadsAsComposed(files)).toBeGreaterThan(10_000);
  });

  it.skipIf(!hasCorpus)('read exactly as yaml composed them on every file of the shared corpus', () => {
    const files = discover({ root: CORPUS, maxTotalBytes: 2 ** 40 }).files.filter((f) => f.kind === 'yaml');
    expect(expectReadsAsComposed(files)).toBeGreaterThan(10_000);
  });

  it('keep a LeanScalar a Scalar to every reader, and scalars with more than a value plain yaml Scalars', () => {
    const text = 'a: 1 # one\nb: "two"\nc: !tag x\nd: &anchor y\ne: 0x1F\n';
    const doc = parseDocument(text, COMPOSER_OPTIONS);
    doc.contents = leanNode(doc.contents);
    const values = (doc.contents as unknown as { items: Array<{ key: Scalar; value: Scalar }> }).items.map((p) => p.value);
    expect(values.map((v) => v instanceof LeanScalar)).toEqual([false, true, false, false, false]);
    const lean = values[1];
    expect(isScalar(lean) && lean instanceof Scalar).toBe(true);
    expect(lean.range).toEqual([14, 19, 20]);
    expect(lean.toJSON()).toBe('two');
    expect(String(lean)).toBe('two');
    const copy = lean.clone() as Scalar;
    copy.range = [1, 2, 3];
    expect([copy.range, lean.range]).toEqual([
      [1, 2, 3],
      [14, 19, 20],
    ]);
    expect(doc.toString()).toBe(parseDocument(text, COMPOSER_OPTIONS).toString());
    // yaml's own editing API still works on a lean document.
    doc.set('b', 'three');
    expect(doc.toJS()).toMatchObject({ b: 'three' });
    expect(new Document(doc.toJS()).toString()).toContain('b: three');
  });

  it('make lean only the scalars whose source is their value written out; what is assigned to one reads back', () => {
    const text = "a: 8080\nb: true\nc: null\nd: ~\ne: 1.0\nf: yes\ng: 'q'\nh: |\n  block\n\ni: -0\nj: x   \n";
    const doc = parseDocument(text, COMPOSER_OPTIONS);
    const raw = parseDocument(text, COMPOSER_OPTIONS);
    doc.contents = leanNode(doc.contents);
    const values = (doc.contents as unknown as { items: Array<{ value: Scalar }> }).items.map((p) => p.value);
    expect(values.map((v) => v instanceof LeanScalar)).toEqual([true, true, true, false, false, false, true, true, false, true]);
    expect(values.map(view)).toEqual((raw.contents as unknown as { items: Array<{ value: Scalar }> }).items.map((p) => view(p.value)));
    const lean = values[9].clone() as Scalar;
    lean.type = 'QUOTE_SINGLE';
    lean.range = [1, 2, 2 ** 30];
    lean.source = 'written';
    expect([lean.type, lean.range, lean.source, lean.value]).toEqual(['QUOTE_SINGLE', [1, 2, 2 ** 30], 'written', 'x']);
    lean.range = [3, 4, 9];
    expect([lean.type, lean.range]).toEqual(['QUOTE_SINGLE', [3, 4, 9]]);
  });

  it('keep lean maps, lists and pairs what yaml made them to every reader, and collections with more than items plain yaml ones', () => {
    const text = 'm:\n  a: 1\n  b: [x, z]\nl:\n  - 1\n  - {c: 2}\nt: !!map\n  d: 3\n';
    const doc = parseDocument(text, COMPOSER_OPTIONS);
    const raw = parseDocument(text, COMPOSER_OPTIONS);
    doc.contents = leanNode(doc.contents);
    const root = doc.contents as unknown as YAMLMap<Scalar, unknown>;
    const [m, l, t] = root.items.map((p) => p.value) as [YAMLMap, YAMLSeq, YAMLMap];
    expect([root instanceof LeanMap, m instanceof LeanMap, l instanceof LeanSeq, t instanceof LeanMap, root.items[0] instanceof LeanPair]).toEqual([true, true, true, false, true]);
    // A flow collection keeps its `flow` field, so it stays yaml's.
    expect([(m.items[1] as Pair).value instanceof LeanSeq, (l.items[1] as YAMLMap) instanceof LeanMap]).toEqual([false, false]);
    expect([isMap(m), m instanceof YAMLMap, isSeq(l), l instanceof YAMLSeq, isPair(root.items[0]), root.items[0] instanceof Pair]).toEqual([true, true, true, true, true, true]);
    expect([m.range, l.range]).toEqual([(raw.get('m') as YAMLMap).range, (raw.get('l') as YAMLSeq).range]);
    expect(Object.keys(m)).toEqual(['items', 'r0', 'r1', 'r2']);
    expect([m.schema?.name, Object.getOwnPropertyDescriptor(m, 'schema')?.enumerable]).toEqual([(raw.get('m') as YAMLMap).schema?.name, false]);
    expect(m.get('a')).toBe(1);
    const copy = m.clone() as YAMLMap;
    copy.range = [1, 2, 3];
    expect([copy.range, m.range, copy instanceof LeanMap, copy.toJSON()]).toEqual([[1, 2, 3], (raw.get('m') as YAMLMap).range, true, { a: 1, b: ['x', 'z'] }]);
    expect(doc.toString()).toBe(raw.toString());
    // yaml's own editing API works on lean collections.
    doc.setIn(['m', 'e'], 5);
    doc.addIn(['l'], 'z');
    expect(doc.toJS()).toMatchObject({ m: { a: 1, e: 5 }, l: [1, { c: 2 }, 'z'] });
    expect(doc.toString()).toContain('  e: 5\n');
  });

  it('are what a scan keeps: parses hold lean scalars', () => {
    const file = discover({ root: FIXTURES, maxTotalBytes: 2 ** 40 }).files.find((f) => f.path.endsWith('.yaml') && fs.readFileSync(f.absPath, 'utf8').includes('dapr.io/app-id'));
    const parsed = parseFile(file as SourceFile, { precheck: true });
    let lean = 0;
    let maps = 0;
    let pairs = 0;
    visit(parsed.docs[0].doc, {
      Scalar: (_k, n) => void (n instanceof LeanScalar && lean++),
      Map: (_k, n) => void (n instanceof LeanMap && maps++),
      Pair: (_k, n) => void (n instanceof LeanPair && pairs++),
    });
    expect([lean, maps, pairs].every((n) => n > 0)).toBe(true);
  });
});

describe('strings shared across documents', () => {
  it('do not keep the texts they were read from alive once the parses are dropped', () => {
    // A scalar's value is a slice of its file's text; kept as it is in the map of shared strings, it would keep the whole
    // text alive (a parse worker held the texts of hundreds of files). 60 texts of 200 KB, each with its own short values.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const file = { path: 'big.yaml', absPath: '/big.yaml', kind: 'yaml', size: 0 } as SourceFile;
    const parseAndDrop = (i: number): number => {
      const text = `padding: "${String(i % 10).repeat(200_000)}"\nvalue: unique-value-number-${i}\nkey-number-${i}-of-the-test: x\n`;
      return parseText(file, text).docs.length;
    };
    const used = (): number => {
      gc();
      gc();
      return v8.getHeapStatistics().used_heap_size;
    };
    parseAndDrop(-1);
    const before = used();
    let docs = 0;
    for (let i = 0; i < 60; i++) docs += parseAndDrop(i);
    const grown = used() - before;
    expect(docs).toBe(60);
    expect(grown).toBeLessThan(2_000_000);
  });
});

describe('documents without directives', () => {
  it('share one copy of their options, schema and directives, restored ones too; a document with a %TAG keeps its own', () => {
    const text = 'a: 1\n---\nb: [2, { c: 3 }]\n...\n%TAG !e! tag:example.com,2000:\n---\nd: !e!x 4\n';
    const file: SourceFile = { path: 'docs.yaml', absPath: '/docs.yaml', kind: 'yaml', size: text.length };
    const parsed = parseText(file, text);
    const [one, two, tagged] = parsed.docs.map((d) => d.doc);
    expect(two.options).toBe(one.options);
    expect(two.schema).toBe(one.schema);
    expect([one.directives, two.directives]).toEqual([plainDirectives(null, false), plainDirectives(true, true)]);
    expect(one.directives).toBe(plainDirectives(one.directives.docStart, one.directives.docEnd));
    expect(Object.isFrozen(two.directives) && Object.isFrozen(two.directives.tags)).toBe(true);
    // Every collection points at the shared schema, so that the document's own can go.
    const seq = (two.contents as YAMLMap).items[0] as Pair;
    for (const c of [(two.contents as YAMLMap).schema, (seq.value as YAMLSeq).schema, ((seq.value as YAMLSeq).items[1] as YAMLMap).schema]) expect(c).toBe(one.schema);
    expect(tagged.schema).not.toBe(one.schema);
    expect(tagged.directives.tags['!e!']).toBe('tag:example.com,2000:');
    // A document restored from the cache or a worker shares the same parts.
    const plain = parseText(file, 'a: 1\n---\nb: [2, { c: 3 }]\n...\n');
    const encoder = new EntryEncoder();
    const restored = new EntryDecoder(encoder.shapes).restore(file, JSON.parse(JSON.stringify(encoder.encode(plain))) as never, () => plain.text);
    expect(restored.docs.map((d) => [d.doc.options === one.options, d.doc.schema === one.schema, d.doc.directives])).toEqual([
      [true, true, one.directives],
      [true, true, two.directives],
    ]);
    for (const [i, d] of restored.docs.entries()) expect(d.doc.directives).toBe(plain.docs[i].doc.directives);
    expect(restored.docs.map((d) => d.doc.toJS() as unknown)).toEqual(plain.docs.map((d) => d.doc.toJS() as unknown));
  });
});

describe('lean documents, big and deep', () => {
  it('handle a list of 200,000 entries and a document nested 400 levels', () => {
    const big = parseDocument(`items:\n${'  - a\n'.repeat(200_000)}`, COMPOSER_OPTIONS);
    big.contents = leanNode(big.contents);
    expect((big.toJS() as { items: string[] }).items).toHaveLength(200_000);
    const deep = parseDocument(`${'['.repeat(400)}x${']'.repeat(400)}`, COMPOSER_OPTIONS);
    const before = JSON.stringify(deep.toJS());
    deep.contents = leanNode(deep.contents);
    expect(JSON.stringify(deep.toJS())).toBe(before);
  });
});
