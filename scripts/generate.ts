// Regenerates everything derived from rule metadata:
//   schema/rules.config.schema.json, docs/rules/<ID>.md, rules.config.json.
// `npm run generate` writes them; `--check` fails when a committed file is stale
// (the test suite runs the same comparison).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type AnySchemaObject } from 'ajv';
import * as standalone from 'ajv/dist/standalone/index.js';
import { DAPR_SCHEMAS } from '../src/rules/dapr-schemas.js';
import { invokeScan, reportInput, scanModel } from '../src/invoke.js';
import { configSchema } from '../src/meta/config-schema.js';
import { levelColumns } from '../src/meta/levels.js';
import { matrixView, renderMatrixMarkdown } from '../src/report/matrix.js';
import { formatStylish } from '../src/report/stylish.js';
import { recommendedConfigText } from '../src/meta/recommended-config.js';
import { ruleDocPage } from '../src/meta/rule-docs.js';
import { allRules } from '../src/rules/index.js';

/** The README shows real output: the example's scan and access matrix, regenerated here. */
export function readmeBlocks(): Record<string, string> {
  const cwd = process.cwd();
  const invoked = invokeScan({ paths: ['examples/task-api'], cwd, needsModel: true });
  const output = formatStylish(reportInput(invoked), { cwd, color: false });
  const matrix = renderMatrixMarkdown(matrixView(scanModel(invoked.result).accessMatrix()));
  const rows = allRules.map(({ meta }) => {
    const c = levelColumns(meta.levels);
    return `| [${meta.id}](docs/rules/${meta.id}.md) | ${meta.name} | ${c.default} | ${c.production} | ${c.nonProduction} | ${meta.securitySeverity > 0 ? meta.securitySeverity.toFixed(1) : '-'} | ${meta.shortDescription.replace(/\|/g, '\\|')} |`;
  });
  return {
    'rules-table': ['| id | name | default | production | non-production | severity | what it finds |', '|---|---|---|---|---|---|---|', ...rows].join('\n'),
    'example-output': `\`\`\`text\n$ dapr-policy examples/task-api\n${output.replace(/^\n/, '')}\`\`\``,
    'example-matrix': `\`\`\`text\n$ dapr-policy matrix examples/task-api -f markdown\n\`\`\`\n\n${matrix}`,
  };
}

export function withBlocks(text: string, blocks: Record<string, string>): string {
  let out = text;
  for (const [name, content] of Object.entries(blocks)) {
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${content}\n${b}`);
  }
  return out;
}

/**
 * ajv's standalone code, as an ES module: validators compiled at build time
 * so that no schema is compiled when the CLI starts. ajv emits `require()`
 * for its runtime helpers; they become imports.
 */
/**
 * ajv's runtime helpers that standalone code may `require()`, inlined so the
 * module is plain ESM (Node and bundlers disagree on default imports of
 * CommonJS modules that set __esModule).
 */
const RUNTIME: Record<string, string> = {
  // ajv/dist/runtime/ucs2length: string length in code points, for minLength/maxLength.
  'ajv/dist/runtime/ucs2length': '{ default: (s) => { let n = 0; for (const _ of s) n++; return n; } }',
};

const standaloneCode = (standalone as unknown as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default;

function standaloneModule(ajv: Ajv, exports: Record<string, string>, source: string): { js: string; dts: string } {
  const code = standaloneCode(ajv, exports).replace(/require\("([^"]+)"\)/g, (_m: string, mod: string) => {
    const inline = RUNTIME[mod];
    if (!inline) throw new Error(`ajv standalone code needs ${mod}: inline it in scripts/generate.ts`);
    return `(${inline})`;
  });
  const header = `// Generated from ${source} by \`npm run generate\`; do not edit.\n`;
  const dts = `${header}import type { ValidateFunction } from 'ajv';\n${Object.keys(exports)
    .map((name) => `export declare const ${name}: ValidateFunction;`)
    .join('\n')}\n`;
  return { js: `${header}${code}\n`, dts };
}

function validatorModules(metas: Parameters<typeof configSchema>[0]): Map<string, string> {
  const files = new Map<string, string>();
  const config = new Ajv({ code: { source: true, esm: true }, allErrors: true, strict: false });
  config.addSchema(configSchema(metas) as AnySchemaObject, 'config');
  const c = standaloneModule(config, { validateConfig: 'config' }, 'schema/rules.config.schema.json');
  files.set('src/generated/config-validator.js', c.js);
  files.set('src/generated/config-validator.d.ts', c.dts);
  // The options of DAPR002's messages: every error, with its data and parent schema.
  const dapr = new Ajv({ code: { source: true, esm: true }, allErrors: true, verbose: true, strictTypes: false });
  const names: Record<string, string> = {};
  for (const [key, schema] of Object.entries(DAPR_SCHEMAS)) {
    dapr.addSchema(schema, key);
    names[`validate_${key.replace(/-/g, '_')}`] = key;
  }
  const d = standaloneModule(dapr, names, 'schema/dapr/*.schema.json');
  files.set('src/generated/dapr-validators.js', d.js);
  files.set('src/generated/dapr-validators.d.ts', d.dts);
  return files;
}

export function generatedFiles(): Map<string, string> {
  const metas = allRules.map((r) => r.meta);
  const files = new Map<string, string>();
  files.set('schema/rules.config.schema.json', `${JSON.stringify(configSchema(metas), null, 2)}\n`);
  files.set('rules.config.json', recommendedConfigText(metas));
  for (const [f, text] of validatorModules(metas)) files.set(f, text);
  const sources = fs.existsSync('src/rules') ? fs.readdirSync('src/rules') : [];
  for (const meta of metas) {
    const source = sources.find((f) => f.startsWith(`${meta.id}-`)) ?? `${meta.id}.ts`;
    files.set(`docs/rules/${meta.id}.md`, ruleDocPage(meta, `src/rules/${source}`));
  }
  if (fs.existsSync('README.md')) files.set('README.md', withBlocks(fs.readFileSync('README.md', 'utf8'), readmeBlocks()));
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  const written: string[] = [];
  for (const [file, content] of generatedFiles()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      written.push(file);
      console.log(`wrote ${file}`);
    }
  }
  // Validators are bundled into this very script: when they changed, run again so the rest is generated with them.
  const validatorsChanged = !check && written.some((f) => f.startsWith('src/generated/'));
  if (validatorsChanged && !process.env.DAPR_POLICY_GENERATE_AGAIN) {
    execFileSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/generate.ts'], { stdio: 'inherit', env: { ...process.env, DAPR_POLICY_GENERATE_AGAIN: '1' } });
  }
  if (stale.length) {
    console.error(`Stale generated files (run npm run generate):\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1]?.endsWith('generate.mjs')) main();
