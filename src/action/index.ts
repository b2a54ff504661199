// Entry point of the bundled Action (dist/action.js).
import { tuneHeapForScan } from '../heap.js';
import { run } from './main.js';

tuneHeapForScan();

process.exitCode = run(process.env, { stdout: (s) => process.stdout.write(s) });
