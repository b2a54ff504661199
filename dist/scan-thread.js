import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// src/scan-thread.ts
import { parentPort, workerData } from "node:worker_threads";
import { main } from "./main.js";
var input = workerData;
var port = parentPort;
if (port) {
  const io = {
    cwd: input.cwd,
    stdout: (text) => port.postMessage({ stream: "stdout", text }),
    stderr: (text) => port.postMessage({ stream: "stderr", text }),
    isTTY: input.isTTY,
    ...input.columns !== void 0 ? { columns: input.columns } : {}
  };
  const exitCode = await main(input.argv, io);
  port.postMessage({ exitCode });
}
