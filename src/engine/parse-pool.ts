// parse-pool: parsing is most of a cold scan, and files parse independently,
// so many files are parsed on worker threads (parse-worker.ts) beside the
// main thread. All take file numbers from one shared queue, so a slow file
// never holds up the rest. Workers send each parse in its JSON form
// (parse-transport.ts), which the main thread restores node for node: the
// scan's results are byte-identical with or without workers.
//
// The scan is synchronous, so the main thread never waits on an event: it
// reads the workers' messages with receiveMessageOnPort and sleeps with
// Atomics.wait. Whatever a worker does not deliver (it could not start, it
// died, a parse it could not send) the main thread parses itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { parseFile, type ParsedFile, type ParseOptions, readSource } from './parse.js';
import { type Entry, EntryDecoder, newShapesTable } from './parse-transport.js';
import type { SourceFile } from './types.js';

/** `--concurrency`: worker threads beside the main thread; auto is one per core but one, when there are enough files. */
export type Concurrency = number | 'auto' | 'off';

/** Below this many files to parse, starting workers (a bundle to load each) costs more than it saves. */
export const AUTO_MIN_FILES = 200;
/** The most workers auto starts: beyond it the main thread's restoring is the bottleneck. */
const AUTO_MAX_WORKERS = 7;

// The shared counters: the next file number to take, and how many messages workers have posted (what the main thread sleeps on).
export const NEXT = 0;
export const POSTED = 1;

export interface WorkerInput {
  files: SourceFile[];
  opts: ParseOptions;
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  /** Send the sha256 of each file's bytes (for the cache). */
  hashes: boolean;
}

/** A parse in JSON form with the shapes the worker added since its last message, or a file the main thread must parse. */
export type WorkerMessage = { i: number; entry: string; shapes: string[][]; common: boolean; text: string; hash?: string } | { i: number; again: true };

/**
 * What became of one file: its parse (with the hash of the bytes parsed, and
 * its entry as JSON when a worker sent one in the common shapes only, which
 * the cache can keep as it is), or what reading it threw.
 */
export type PoolResult = { parsed: ParsedFile; hash?: string; entry?: string } | { error: unknown };

export interface PoolOptions {
  concurrency: Concurrency;
  /** The sha256 of each file's bytes is wanted (the cache keys parses by it). */
  hashes?: boolean;
  /** The worker script; default parse-worker.js beside this bundle (absent when running from sources: no workers). */
  workerUrl?: URL;
  /** How long the main thread waits without a single message before it parses what is missing itself. */
  stallMs?: number;
  /** Called with each file's result as soon as it is there, in no particular order (before parseFiles returns). */
  onResult?: (i: number, result: PoolResult) => void;
}

const DEFAULT_STALL_MS = 10_000;

export function workerCount(concurrency: Concurrency, files: number): number {
  if (concurrency === 'off') return 0;
  if (concurrency === 'auto') return files < AUTO_MIN_FILES ? 0 : Math.min(AUTO_MAX_WORKERS, availableParallelism() - 1);
  return Math.min(concurrency, files);
}

function defaultWorkerUrl(): URL | undefined {
  const url = new URL('./parse-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(url)) ? url : undefined;
}

const sha256 = (buf: Buffer): string => crypto.createHash('sha256').update(buf).digest('hex');

function parseHere(file: SourceFile, opts: ParseOptions, hashes: boolean): PoolResult {
  try {
    const buf = readSource(file);
    return { parsed: parseFile(file, opts, buf), ...(hashes ? { hash: sha256(buf) } : {}) };
  } catch (error) {
    return { error };
  }
}

interface Helper {
  worker: Worker;
  port: MessagePort;
  shapes: string[][];
  decoder: EntryDecoder;
}

/**
 * A worker keeps nothing between files (it hands each parse on), so its young
 * generation need not be V8's default of several tens of megabytes, which on a
 * big repository is that much more peak memory (bench/RESULTS.md).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

function startWorkers(count: number, url: URL, input: Omit<WorkerInput, 'port'>): Helper[] {
  const helpers: Helper[] = [];
  for (let k = 0; k < count; k++) {
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(url, { workerData: { ...input, port: port2 }, transferList: [port2], resourceLimits: WORKER_LIMITS });
      // A worker that fails only loses its files to the main thread; an unheard 'error' event would end the process.
      worker.on('error', () => undefined);
      worker.unref();
      // The worker's table: the common shapes its encoder starts with, then those it sends.
      const shapes = newShapesTable();
      helpers.push({ worker, port: port1, shapes, decoder: new EntryDecoder(shapes) });
    } catch {
      break; // the main thread and the workers started so far do the work
    }
  }
  return helpers;
}

/** The file a worker's message is about; undefined when it names none (nothing a worker sends is trusted). */
export function fileOfMessage(m: unknown, files: number): number | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const i = (m as { i?: unknown }).i;
  return typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < files ? i : undefined;
}

/**
 * What a worker's message gives for its file: the parse it sent, restored
 * with the worker's table of shapes; or, for a file handed back and for
 * anything that is not a parse, the main thread's own parse.
 */
export function resultOfMessage(m: WorkerMessage, file: SourceFile, opts: ParseOptions, hashes: boolean, table: { shapes: string[][]; decoder: EntryDecoder }): PoolResult {
  if ('again' in m) return parseHere(file, opts, hashes);
  try {
    if (!Array.isArray(m.shapes) || typeof m.entry !== 'string' || typeof m.text !== 'string') throw new TypeError('not a parse');
    table.shapes.push(...m.shapes);
    const parsed = table.decoder.restore(file, JSON.parse(m.entry) as Entry, () => m.text);
    return { parsed, ...(m.hash !== undefined ? { hash: m.hash } : {}), ...(m.common && hashes ? { entry: m.entry } : {}) };
  } catch {
    return parseHere(file, opts, hashes);
  }
}

/** Parses `files` (in the order given), on worker threads when `concurrency` says so. Never throws for a file. */
export function parseFiles(files: SourceFile[], opts: ParseOptions, options: PoolOptions): PoolResult[] {
  const hashes = options.hashes === true;
  const results: Array<PoolResult | undefined> = new Array<PoolResult | undefined>(files.length);
  const count = workerCount(options.concurrency, files.length);
  const url = count > 0 ? (options.workerUrl ?? defaultWorkerUrl()) : undefined;
  const deliver = (i: number, result: PoolResult): PoolResult => {
    options.onResult?.(i, result);
    return result;
  };
  if (!url) return files.map((f, i) => deliver(i, parseHere(f, opts, hashes)));

  const ctrl = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const counters = new Int32Array(ctrl);
  const helpers = startWorkers(count, url, { files, opts, ctrl, hashes });
  let done = 0;
  const settle = (i: number, result: () => PoolResult): void => {
    if (results[i] !== undefined) return; // delivered late, after the main thread took it over
    results[i] = deliver(i, result());
    done++;
  };
  const receive = (h: Helper, m: unknown): void => {
    const i = fileOfMessage(m, files.length);
    if (i !== undefined) settle(i, () => resultOfMessage(m as WorkerMessage, files[i], opts, hashes, h));
  };
  const drain = (): void => {
    for (const h of helpers) for (let got = receiveMessageOnPort(h.port); got; got = receiveMessageOnPort(h.port)) receive(h, got.message);
  };

  try {
    // The main thread takes files from the same queue, and restores what workers sent between two of its own.
    for (let i = Atomics.add(counters, NEXT, 1); i < files.length; i = Atomics.add(counters, NEXT, 1)) {
      settle(i, () => parseHere(files[i], opts, hashes));
      drain();
    }
    let quietSince = performance.now();
    const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    while (done < files.length) {
      const posted = Atomics.load(counters, POSTED);
      const before = done;
      drain();
      if (done > before) quietSince = performance.now();
      else if (performance.now() - quietSince > stallMs) break;
      else if (done < files.length) Atomics.wait(counters, POSTED, posted, 100);
    }
  } finally {
    for (const h of helpers) {
      h.port.close();
      void h.worker.terminate();
    }
  }
  // Files a worker took and never delivered (it died, or hangs). Array.from, not map: map skips the holes they left.
  return Array.from(results, (r, i) => r ?? deliver(i, parseHere(files[i], opts, hashes)));
}
