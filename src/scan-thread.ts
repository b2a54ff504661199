// scan-thread: the binary runs the CLI on this worker thread (bin.ts), so
// that the scan's young generation can be sized. A worker's can be
// (resourceLimits); the main thread's only on node's command line, which
// `npx`, pre-commit and `node dist/cli.js` do not let us choose. What the CLI
// writes comes back to the main thread as messages, in order, with the exit
// status last.
import { parentPort, workerData } from 'node:worker_threads';
import { type Io, main } from './cli.js';

/** What bin.ts hands the thread: the command line and what only the main thread can see of the terminal. */
export interface ScanThreadInput {
  argv: string[];
  cwd: string;
  isTTY: boolean;
  columns?: number;
}

export type ScanThreadMessage = { stream: 'stdout' | 'stderr'; text: string } | { exitCode: number };

const input = workerData as ScanThreadInput;
const port = parentPort;
if (port) {
  const io: Io = {
    cwd: input.cwd,
    stdout: (text) => port.postMessage({ stream: 'stdout', text } satisfies ScanThreadMessage),
    stderr: (text) => port.postMessage({ stream: 'stderr', text } satisfies ScanThreadMessage),
    isTTY: input.isTTY,
    ...(input.columns !== undefined ? { columns: input.columns } : {}),
  };
  const exitCode = await main(input.argv, io);
  port.postMessage({ exitCode } satisfies ScanThreadMessage);
}
