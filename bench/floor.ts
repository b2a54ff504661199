// bench/floor: the least work any scanner of the tree must do, run as its own
// node process like the scan: walk the tree with the same include rules as
// dapr-policy (.yaml, .yml, .json; .git, node_modules, vendor, third_party,
// bower_components and .terraform left out), read every candidate file, and
// parse each with yaml.parseAllDocuments (YAML 1.1 and a LineCounter, as the
// scan needs positions). Like the scan, JSON files that are not manifests and
// Helm chart templates are read but not parsed.
// Bundled by bench/run.ts into .tmp/bench/floor.mjs (dependencies inside, as
// in dist/cli.js). Prints one JSON line: what it read.
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { LineCounter, parseAllDocuments } from 'yaml';

export interface FloorOutput {
  files: number;
  parsedFiles: number;
  documents: number;
  bytes: number;
  errors: number;
}

const root = path.resolve(process.argv[2] ?? '.');
const files = fg.sync('**/*.{yaml,yml,json}', {
  cwd: root,
  dot: true,
  onlyFiles: true,
  followSymbolicLinks: false,
  ignore: ['**/.git/**', '**/node_modules/**', '**/vendor/**', '**/third_party/**', '**/bower_components/**', '**/.terraform/**'],
});
files.sort();

const charts = new Set(files.filter((f) => path.posix.basename(f) === 'Chart.yaml').map((f) => path.posix.dirname(f)));
function isChartTemplate(rel: string): boolean {
  const segs = rel.split('/');
  for (let i = segs.length - 2; i >= 0; i--) if (segs[i] === 'templates' && charts.has(i === 0 ? '.' : segs.slice(0, i).join('/'))) return true;
  return false;
}

const out: FloorOutput = { files: 0, parsedFiles: 0, documents: 0, bytes: 0, errors: 0 };
for (const rel of files) {
  const buf = fs.readFileSync(path.join(root, rel));
  out.files++;
  out.bytes += buf.length;
  if (isChartTemplate(rel)) continue;
  if (rel.endsWith('.json') && !(buf.includes('"apiVersion"') || buf.includes('"services"') || buf.includes('"apps"'))) continue;
  const text = buf.toString('utf8');
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter });
  out.parsedFiles++;
  if (Array.isArray(docs)) {
    out.documents += docs.length;
    for (const d of docs) if (d.errors.length > 0) out.errors++;
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
