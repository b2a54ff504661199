// Builds the two bundles, each one ESM file with every dependency inside, so
// `npx`, pre-commit and the Action start fast and install nothing at run time:
//   dist/cli.js     the dapr-policy binary (src/bin.ts)
//   dist/action.js  the GitHub Action (src/action/index.ts)
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

await build({ ...common, entryPoints: ['src/bin.ts'], outfile: `${outdir}/cli.js`, banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } });
await build({ ...common, entryPoints: ['src/action/index.ts'], outfile: `${outdir}/action.js` });
