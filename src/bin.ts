// Entry point of the bundled `dapr-policy` binary. `--version` answers before
// anything else is loaded; the rest of the program is imported lazily (the
// build makes it dist/main.js, so a bare start never even compiles it), on
// the scan thread (scan-thread.ts) when there is one beside this file.
import fs from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SCAN_THREAD_LIMITS, tuneHeapForScan } from './heap.js';
import { TOOL_VERSION } from './meta/project.js';
import type { ScanThreadInput, ScanThreadMessage } from './scan-thread.js';

// Node ≥ 22.1 caches compiled code between runs; older Node simply skips it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** Runs the CLI on the scan thread; false when there is none (running from sources) or it cannot start. */
function runOnScanThread(argv: string[]): boolean {
  const url = new URL('./scan-thread.js', import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) return false;
  const input: ScanThreadInput = { argv, cwd: process.cwd(), isTTY: !!process.stdout.isTTY, ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) };
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: input, resourceLimits: SCAN_THREAD_LIMITS });
  } catch {
    return false;
  }
  let finished = false;
  worker.on('message', (m: ScanThreadMessage) => {
    if ('exitCode' in m) {
      finished = true;
      process.exitCode = m.exitCode;
    } else if (m.stream === 'stdout') process.stdout.write(m.text);
    else process.stderr.write(m.text);
  });
  worker.on('error', (e: Error) => {
    finished = true;
    process.stderr.write(`dapr-policy: internal error, please report it with the command you ran (version ${TOOL_VERSION}):\n${e.stack ?? String(e)}\n`);
    process.exitCode = 2;
  });
  worker.on('exit', () => {
    if (finished) return;
    process.stderr.write(`dapr-policy: internal error, please report it with the command you ran (version ${TOOL_VERSION}): the scan stopped without a result.\n`);
    process.exitCode = 2;
  });
  return true;
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${TOOL_VERSION}\n`);
} else {
  tuneHeapForScan();
  if (!runOnScanThread(args)) {
    const { runCli } = await import('./cli.js');
    runCli();
  }
}
