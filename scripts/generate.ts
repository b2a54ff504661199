// Regenerates everything derived from rule metadata:
//   schema/rules.config.schema.json, docs/rules/<ID>.md, rules.config.json.
// `npm run generate` writes them; `--check` fails when a committed file is stale
// (the test suite runs the same comparison).
import fs from 'node:fs';
import path from 'node:path';
import { invokeScan, reportInput } from '../src/invoke.js';
import { configSchema } from '../src/meta/config-schema.js';
import { matrixView, renderMatrixMarkdown } from '../src/report/matrix.js';
import { formatStylish } from '../src/report/stylish.js';
import { recommendedConfigText } from '../src/meta/recommended-config.js';
import { ruleDocPage } from '../src/meta/rule-docs.js';
import { allRules } from '../src/rules/index.js';

/** The README shows real output: the example's scan and access matrix, regenerated here. */
export function readmeBlocks(): Record<string, string> {
  const cwd = process.cwd();
  const invoked = invokeScan({ paths: ['examples/task-api'], cwd });
  const output = formatStylish(reportInput(invoked), { cwd, color: false });
  const matrix = renderMatrixMarkdown(matrixView(invoked.result.model.accessMatrix()));
  return {
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

export function generatedFiles(): Map<string, string> {
  const metas = allRules.map((r) => r.meta);
  const files = new Map<string, string>();
  files.set('schema/rules.config.schema.json', `${JSON.stringify(configSchema(metas), null, 2)}\n`);
  files.set('rules.config.json', recommendedConfigText(metas));
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
  for (const [file, content] of generatedFiles()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length) {
    console.error(`Stale generated files (run npm run generate):\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1]?.endsWith('generate.mjs')) main();
