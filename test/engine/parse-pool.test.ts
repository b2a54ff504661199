// The parse pool: worker threads parse, the main thread restores. Whatever
// the workers do (deliver, die, fail to start, hand a file back), every file
// gets exactly the parse the main thread alone would have made.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { discover } from '../../src/engine/discover.js';
import { parseFile, type ParsedFile, readSource } from '../../src/engine/parse.js';
import { AUTO_MIN_FILES, fileOfMessage, parseFiles, type PoolResult, resultOfMessage, type WorkerMessage, workerCount } from '../../src/engine/parse-pool.js';
import { EntryDecoder, EntryEncoder, newShapesTable } from '../../src/engine/parse-transport.js';
import type { SourceFile } from '../../src/engine/types.js';
import { CORPUS, FIXTURES, hasCorpus, tmpDir } from '../helpers.js';
import { parsedShape } from '../support/parse-shape.js';

// The committed bundle: dist.test.ts fails when it is not what src/ builds.
const WORKER = pathToFileURL(path.resolve('dist/parse-worker.js'));
const OPTS = { precheck: true };

function filesUnder(root: string): SourceFile[] {
  return discover({ root, maxTotalBytes: 2 ** 40 }).files;
}

function parsedOf(r: PoolResult): ParsedFile {
  if ('error' in r) throw new Error(`unexpected error ${String(r.error)}`);
  return r.parsed;
}

function expectSameAsAlone(files: SourceFile[], results: PoolResult[]): void {
  expect(results).toHaveLength(files.length);
  for (const [i, f] of files.entries()) expect(parsedShape(parsedOf(results[i])), f.path).toEqual(parsedShape(parseFile(f, OPTS)));
}

/** A worker script in a temporary folder, for the ways a worker can let the pool down. */
function workerScript(body: string): URL {
  const file = path.join(tmpDir('pool-'), 'worker.mjs');
  fs.writeFileSync(file, `import { workerData } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

/** A worker that takes every file from the queue and answers each with `message` (an expression of `i`). */
function queueWorker(message: string): URL {
  return workerScript(
    [
      'const c = new Int32Array(workerData.ctrl);',
      `for (let i = Atomics.add(c, 0, 1); i < workerData.files.length; i = Atomics.add(c, 0, 1)) { workerData.port.postMessage(${message}); Atomics.add(c, 1, 1); Atomics.notify(c, 1); }`,
      'workerData.port.close();',
    ].join('\n'),
  );
}

describe('parse pool', () => {
  it('gives every fixture file the parse the main thread alone would make, in order', () => {
    const files = filesUnder(FIXTURES);
    expect(files.length).toBeGreaterThan(300);
    const results = parseFiles(files, OPTS, { concurrency: 2, workerUrl: WORKER });
    expectSameAsAlone(files, results);
    // The JSON a worker sent is kept only for a cache: a scan without one would hold all of it until parsing ends.
    expect(results.filter((r) => 'entry' in r)).toEqual([]);
  });

  it('hands each result to onResult as it comes, once, before returning it: with workers, without, and for a file a worker never delivered', () => {
    const files = filesUnder(FIXTURES);
    // Without workers; with two; with one that takes 50 files and dies (it starts long before the main thread
    // is through 300 files), so that the main thread parses those at the end.
    const dies = workerScript('Atomics.add(new Int32Array(workerData.ctrl), 0, 50);');
    const cases: Array<{ concurrency: 'off' | number; workerUrl?: URL }> = [{ concurrency: 'off' }, { concurrency: 2, workerUrl: WORKER }, { concurrency: 1, workerUrl: dies }];
    for (const c of cases) {
      const seen = new Map<number, PoolResult>();
      const onResult = (i: number, r: PoolResult): void => {
        expect(seen.has(i)).toBe(false);
        seen.set(i, r);
      };
      const results = parseFiles(files, OPTS, { ...c, stallMs: 200, onResult });
      expect(seen.size).toBe(files.length);
      for (const [i, r] of results.entries()) expect(seen.get(i)).toBe(r);
    }
  });

  it('stops its workers when the main thread throws (here: from onResult), and lets the error through', () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      const boom = (): void => {
        throw new Error('boom');
      };
      expect(() => parseFiles(filesUnder(FIXTURES), OPTS, { concurrency: 2, workerUrl: WORKER, onResult: boom })).toThrow('boom');
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
  });

  it.skipIf(!hasCorpus)('gives every file of the shared corpus the parse the main thread alone would make', () => {
    const files = filesUnder(CORPUS);
    expectSameAsAlone(files, parseFiles(files, OPTS, { concurrency: 3, workerUrl: WORKER }));
  });

  it('hashes the bytes it parsed when asked (for the cache), the same on workers and on the main thread', () => {
    const files = filesUnder(path.join(FIXTURES, 'rules', 'DAPR101'));
    const pooled = parseFiles(files, OPTS, { concurrency: 2, workerUrl: WORKER, hashes: true });
    const alone = parseFiles(files, OPTS, { concurrency: 'off', hashes: true });
    expect(pooled.map((r) => ('hash' in r ? r.hash : undefined))).toEqual(alone.map((r) => ('hash' in r ? r.hash : undefined)));
    expect(pooled.every((r) => 'hash' in r && /^[0-9a-f]{64}$/.test(r.hash ?? ''))).toBe(true);
  });

  it('hands the cache the JSON a worker sent when it uses only the common shapes, exactly what the cache would write', () => {
    // Every fixture file: enough for the workers to take some before the main thread has done them all.
    const files = filesUnder(FIXTURES);
    const results = parseFiles(files, OPTS, { concurrency: 2, workerUrl: WORKER, hashes: true });
    const sent = results.filter((r): r is { parsed: ParsedFile; entry: string } => 'entry' in r && r.entry !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(r.entry, r.parsed.file.path).toBe(JSON.stringify(new EntryEncoder().encode(r.parsed)));
  });

  it('reports a file that cannot be read as the main thread would, and parses bytes given in memory (a git revision)', () => {
    const dir = tmpDir('pool-');
    const good = path.join(dir, 'a.yaml');
    fs.writeFileSync(good, 'apiVersion: dapr.io/v1alpha1\nkind: Component\n');
    const files: SourceFile[] = [
      { path: 'a.yaml', absPath: good, kind: 'yaml', size: 45 },
      { path: 'gone.yaml', absPath: path.join(dir, 'gone.yaml'), kind: 'yaml', size: 1 },
      { path: 'rev.yaml', absPath: path.join(dir, 'not-on-disk.yaml'), kind: 'yaml', size: 52, content: Buffer.from('\uFEFFapiVersion: dapr.io/v1alpha1\nkind: Configuration\n') },
    ];
    const results = parseFiles(files, OPTS, { concurrency: 2, workerUrl: WORKER });
    expect('error' in results[1] && (results[1].error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(parsedShape(parsedOf(results[0]))).toEqual(parsedShape(parseFile(files[0], OPTS)));
    expect(parsedOf(results[2]).docs[0].doc.toJS()).toEqual({ apiVersion: 'dapr.io/v1alpha1', kind: 'Configuration' });
    expect(parsedShape(parsedOf(results[2]))).toEqual(parsedShape(parseFile(files[2], OPTS, readSource(files[2]))));
  });

  it('parses on the main thread what a worker took and never delivered (it died)', () => {
    // 300 files: the worker starts long before the main thread is through them.
    const files = filesUnder(FIXTURES);
    // Takes 50 files from the shared queue, then exits without a word.
    const dies = workerScript('Atomics.add(new Int32Array(workerData.ctrl), 0, 50);');
    const results = parseFiles(files, OPTS, { concurrency: 1, workerUrl: dies, stallMs: 200 });
    // No holes where the worker's files were.
    expect(Object.keys(results)).toHaveLength(files.length);
    expectSameAsAlone(files, results);
  });

  it('does without workers that cannot start, and parses what a worker hands back', () => {
    const files = filesUnder(path.join(FIXTURES, 'rules', 'DAPR101'));
    const broken = workerScript('this is not JavaScript');
    expectSameAsAlone(files, parseFiles(files, OPTS, { concurrency: 2, workerUrl: broken, stallMs: 200 }));
    // Takes every file and hands each back: the main thread parses them all.
    const handsBack = queueWorker('{ i, again: true }');
    expectSameAsAlone(files, parseFiles(files, OPTS, { concurrency: 1, workerUrl: handsBack, stallMs: 5000 }));
    // Sends garbage: never trusted, parsed again. (The main thread may have parsed every file before a message
    // arrives; 'trusts no message' below checks each kind of bad message directly.)
    const garbage = queueWorker(`{ i, entry: '{"docs":[{"contents":[7]}]}', shapes: [], text: 'x' }`);
    expectSameAsAlone(files, parseFiles(files, OPTS, { concurrency: 1, workerUrl: garbage, stallMs: 5000 }));
  });

  it('trusts no message: one about no file is dropped, and one that is not a parse is parsed on the main thread instead', () => {
    expect([null, 7, {}, { i: '0' }, { i: -1 }, { i: 1.5 }, { i: 3 }, { i: 2 }].map((m) => fileOfMessage(m, 3))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, 2]);
    const file = filesUnder(path.join(FIXTURES, 'rules', 'DAPR101')).find((f) => f.kind === 'yaml') as SourceFile;
    const alone = parsedShape(parseFile(file, OPTS));
    const table = (): { shapes: string[][]; decoder: EntryDecoder } => {
      const shapes = newShapesTable();
      return { shapes, decoder: new EntryDecoder(shapes) };
    };
    const sent = new EntryEncoder();
    const entry = JSON.stringify(sent.encode(parseFile(file, OPTS)));
    const text = parseFile(file, OPTS).text;
    const good = { i: 0, entry, shapes: sent.shapes.slice(newShapesTable().length), common: sent.lastWasCommon, text, hash: 'h' };
    const restored = resultOfMessage(good, file, OPTS, true, table());
    expect([parsedShape(parsedOf(restored)), 'hash' in restored && restored.hash]).toEqual([alone, 'h']);
    // The JSON is handed on only for a cache (hashes asked for).
    expect(['entry' in resultOfMessage(good, file, OPTS, false, table()), 'entry' in restored]).toEqual([false, sent.lastWasCommon]);
    const bad: unknown[] = [{ ...good, shapes: 5 }, { ...good, entry: undefined }, { ...good, entry: '{"docs":[{"contents":[7]}]}' }, { ...good, text: null }, { i: 0, again: true }];
    for (const m of bad) expect(parsedShape(parsedOf(resultOfMessage(m as WorkerMessage, file, OPTS, false, table()))), JSON.stringify(m)?.slice(0, 80)).toEqual(alone);
  });

  it('starts workers only when asked to, or on auto with enough files and more than one core', () => {
    expect(workerCount('off', 10_000)).toBe(0);
    expect(workerCount('auto', AUTO_MIN_FILES - 1)).toBe(0);
    expect(workerCount(3, 2)).toBe(2);
    expect(workerCount(3, 100)).toBe(3);
    expect(workerCount('auto', AUTO_MIN_FILES)).toBeGreaterThanOrEqual(0);
  });
});

describe('--concurrency', () => {
  // The built program, as npx and the Action run it: from sources there is no worker script and so no workers.
  const scanWith = (root: string, concurrency: string, ...more: string[]): Buffer =>
    execFileSync(process.execPath, ['dist/cli.js', root, '--format', 'sarif', '--fail-on', 'none', '--now', '2026-11-28T12:00:00Z', '--concurrency', concurrency, ...more], { maxBuffer: 256 * 1024 * 1024 });

  it('gives byte-identical SARIF with workers and without, on the fixtures and the example', () => {
    for (const root of [path.join(FIXTURES, 'rules'), 'examples/task-api']) {
      const alone = scanWith(root, 'off');
      expect(JSON.parse(alone.toString()).runs[0].results.length, root).toBeGreaterThan(0);
      expect(scanWith(root, '3').equals(alone), root).toBe(true);
    }
  }, 60_000);

  it('writes the same cache with workers as without (entries from workers go in as sent), and a warm scan from it reports the same', () => {
    const root = path.join(FIXTURES, 'rules');
    const dir = tmpDir('pool-cache-');
    const run = (concurrency: string, cache: string): Buffer => scanWith(root, concurrency, '--cache-location', path.join(dir, cache));
    const alone = run('off', 'alone');
    const pooled = run('3', 'pooled');
    expect(pooled.equals(alone)).toBe(true);
    const written = fs.readFileSync(path.join(dir, 'pooled'));
    expect(written.length).toBeGreaterThan(100_000);
    expect(written.equals(fs.readFileSync(path.join(dir, 'alone')))).toBe(true);
    expect(run('3', 'pooled').equals(alone)).toBe(true);
  }, 60_000);

  it.skipIf(!hasCorpus)('gives byte-identical SARIF with workers and without, on the shared corpus', () => {
    expect(scanWith(CORPUS, '2').equals(scanWith(CORPUS, '0'))).toBe(true);
  }, 60_000);
});
