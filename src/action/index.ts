// Entry point of the bundled Action (dist/action.js).
import { run } from './main.js';

process.exitCode = run(process.env, { stdout: (s) => process.stdout.write(s) });
