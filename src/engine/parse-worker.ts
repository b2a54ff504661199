// parse-worker: a worker thread of the parse pool (parse-pool.ts). It takes
// file numbers from the queue it shares with the main thread and the other
// workers, parses each file and sends the parse back in its JSON form
// (parse-transport.ts). It reads the files itself, so reading is parallel too.
import crypto from 'node:crypto';
import { type MessagePort, workerData } from 'node:worker_threads';
import { parseFile, type ParseOptions, readSource } from './parse.js';
import { COMMON_SHAPES, EntryEncoder } from './parse-transport.js';
import { NEXT, POSTED, type WorkerInput, type WorkerMessage } from './parse-pool.js';
import type { SourceFile } from './types.js';

const { files: sent, opts, ctrl, port, hashes } = workerData as WorkerInput;
// Buffers arrive as plain Uint8Arrays: a git revision's bytes are made Buffers again.
const files = sent.map((f) => (f.content ? { ...f, content: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength) } : f));
const counters = new Int32Array(ctrl);
const encoder = new EntryEncoder();
// The main thread knows the common shapes every table starts with: only the others are sent.
let shapesSent = COMMON_SHAPES.length;

function work(i: number, file: SourceFile, options: ParseOptions): WorkerMessage {
  try {
    const buf = readSource(file);
    const parsed = parseFile(file, options, buf);
    const entry = JSON.stringify(encoder.encode(parsed));
    const shapes = encoder.shapes.slice(shapesSent);
    shapesSent = encoder.shapes.length;
    return { i, entry, shapes, common: encoder.lastWasCommon, text: parsed.text, ...(hashes ? { hash: crypto.createHash('sha256').update(buf).digest('hex') } : {}) };
  } catch {
    // An unreadable file, or a parse the JSON form cannot carry (Unencodable): the main thread parses it again and reports what it finds.
    return { i, again: true };
  }
}

for (;;) {
  const i = Atomics.add(counters, NEXT, 1);
  if (i >= files.length) break;
  (port as MessagePort).postMessage(work(i, files[i], opts));
  Atomics.add(counters, POSTED, 1);
  Atomics.notify(counters, POSTED);
}
port.close();
