// Builds the bundles, ESM files with every dependency inside, so `npx`,
// pre-commit and the Action start fast and install nothing at run time:
//   dist/cli.js     the dapr-policy binary (src/bin.ts): answers --version by
//                   itself and imports dist/main.js for everything else, so a
//                   bare start never compiles the 2.6 MB program
//   dist/main.js    the program (src/cli.ts)
//   dist/action.js  the GitHub Action (src/action/index.ts)
//   dist/parse-worker.js  a parse worker thread (src/engine/parse-worker.ts),
//                   started by main.js and action.js from beside them
// The output is deterministic; a test rebuilds and compares with dist/.
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
};

/** bin.ts's `import('./cli.js')` becomes dist/main.js, beside it. */
const programBeside = {
  name: 'program-beside',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, (args) => (args.importer.endsWith('bin.ts') ? { path: './main.js', external: true } : undefined));
  },
};

await build({ ...common, entryPoints: ['src/bin.ts'], outfile: `${outdir}/cli.js`, plugins: [programBeside], banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: ['src/cli.ts'], outfile: `${outdir}/main.js` });
await build({ ...common, entryPoints: ['src/action/index.ts'], outfile: `${outdir}/action.js` });
await build({ ...common, entryPoints: ['src/engine/parse-worker.ts'], outfile: `${outdir}/parse-worker.js` });
