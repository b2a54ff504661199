// Entry point of the bundled `dapr-policy` binary. `--version` answers before
// anything else is loaded; the rest of the program is imported lazily (the
// build makes it dist/main.js, so a bare start never even compiles it).
import module from 'node:module';
import { tuneHeapForScan } from './heap.js';
import { TOOL_VERSION } from './meta/project.js';

// Node ≥ 22.1 caches compiled code between runs; older Node simply skips it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${TOOL_VERSION}\n`);
} else {
  tuneHeapForScan();
  const { runCli } = await import('./cli.js');
  runCli();
}
