// Entry point of the bundled `dapr-policy` binary.
import module from 'node:module';
import { runCli } from './cli.js';

// Node ≥ 22.1 caches compiled code between runs; older Node simply skips it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
runCli();
