// The command line: `dapr-policy [scan] [paths..]`, `dapr-policy rules`,
// `dapr-policy init`. Exit codes: 0 nothing at or above --fail-on, 1 findings
// at or above it, 2 usage, configuration or internal error.
import fs from 'node:fs';
import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BaselineError, baselineText } from './engine/baseline.js';
import { CONFIG_FILE_NAME, ConfigError } from './engine/config.js';
import { exitStatus, FAIL_ON, type FailOn, invokeScan, reportInput, statOf, UsageError } from './invoke.js';
import { levelColumns, severityBand } from './meta/levels.js';
import { TOOL_VERSION } from './meta/project.js';
import { recommendedConfigText } from './meta/recommended-config.js';
import { grantDiff, type GrantChange } from './engine/grant-diff.js';
import { renderGrantDiffJson, renderGrantDiffMarkdown, renderGrantDiffTable } from './report/grant-diff.js';
import { MATRIX_FORMAT_NAMES, MATRIX_FORMATS, type MatrixFormat, matrixView } from './report/matrix.js';
import { FORMAT_NAMES, FORMATS, type FormatName } from './report/index.js';
import { allRules } from './rules/index.js';

export interface ScanArgs {
  paths: string[];
  format: FormatName;
  output?: string;
  config?: string;
  root?: string;
  failOn: FailOn;
  now?: string;
  quiet: boolean;
  includeSuppressed: boolean;
  category?: string;
  color?: boolean;
  baseline?: string;
  writeBaseline?: string;
  base?: string;
}

export interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

function writeOutput(file: string, text: string, io: Io): void {
  const abs = path.resolve(io.cwd, file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

export function runScan(args: ScanArgs, io: Io): number {
  const invoked = invokeScan({ paths: args.paths, cwd: io.cwd, root: args.root, config: args.config, now: args.now, baseline: args.baseline, ...(args.base ? { baseRef: args.base } : {}) });
  const { result } = invoked;
  if (args.writeBaseline) {
    writeOutput(args.writeBaseline, baselineText(result.results), io);
    io.stderr(`dapr-policy: wrote ${result.results.filter((r) => !r.suppression).length} findings to the baseline ${args.writeBaseline}.\n`);
  }
  const shown = args.quiet ? result.results.filter((r) => r.level === 'error') : result.results;
  const text = FORMATS[args.format](reportInput(invoked, shown, args.format === 'markdown'), {
    includeSuppressed: args.includeSuppressed,
    color: args.color ?? (io.isTTY && !process.env.NO_COLOR && !args.output),
    cwd: io.cwd,
    category: args.category,
  });
  if (args.output) writeOutput(args.output, text, io);
  else io.stdout(text);
  if (result.model.files.length === 0 && !invoked.filesOnly) io.stderr(`dapr-policy: no files to scan under ${args.paths.join(', ') || '.'} (check "include"/"exclude" in the config).\n`);
  return exitStatus(result, args.failOn);
}

export interface MatrixArgs {
  paths: string[];
  format: MatrixFormat;
  output?: string;
  config?: string;
  root?: string;
  base?: string;
}

const DIFF_FORMATS: Partial<Record<MatrixFormat, (c: readonly GrantChange[], ref: string) => string>> = {
  table: renderGrantDiffTable,
  markdown: (c, ref) => `${renderGrantDiffMarkdown(c, ref)}\n`,
  json: renderGrantDiffJson,
};

export function runMatrix(args: MatrixArgs, io: Io): number {
  const invoked = invokeScan({ paths: args.paths, cwd: io.cwd, root: args.root, config: args.config, ...(args.base ? { baseRef: args.base } : {}) });
  let text: string;
  if (args.base && invoked.result.base) {
    const render = DIFF_FORMATS[args.format];
    if (!render) throw new UsageError(`--base prints the grant diff as table, markdown or json, not ${args.format}.`);
    text = render(grantDiff(invoked.result.base, invoked.result.model), args.base);
  } else {
    text = MATRIX_FORMATS[args.format](matrixView(invoked.result.model.accessMatrix()));
  }
  if (args.output) writeOutput(args.output, text, io);
  else io.stdout(text);
  return 0;
}

export function runRulesList(format: 'table' | 'json', io: Io): number {
  if (format === 'json') {
    const list = allRules.map(({ meta }) => ({ id: meta.id, name: meta.name, description: meta.shortDescription, levels: levelColumns(meta.levels), securitySeverity: meta.securitySeverity, tags: meta.tags }));
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows = allRules.map(({ meta }) => {
    const c = levelColumns(meta.levels);
    return [meta.id, meta.name, c.default, c.production, c.nonProduction, meta.securitySeverity > 0 ? `${meta.securitySeverity.toFixed(1)} ${severityBand(meta.securitySeverity)}` : '-'];
  });
  const header = ['ID', 'NAME', 'DEFAULT', 'PRODUCTION', 'NON-PROD', 'SEVERITY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  io.stdout([line(header), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

export function runInit(dir: string, io: Io): number {
  const target = path.resolve(io.cwd, dir, CONFIG_FILE_NAME);
  if (statOf(target)) throw new UsageError(`${path.relative(io.cwd, target) || CONFIG_FILE_NAME} already exists; init never overwrites it.`);
  fs.writeFileSync(target, recommendedConfigText(allRules.map((r) => r.meta)));
  io.stdout(`Wrote ${path.relative(io.cwd, target)} with every rule at its default level. Edit "environments" to match your namespaces.\n`);
  return 0;
}

function scanOptions<T>(y: Argv<T>) {
  return y
    .positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'Folders to scan, or files to report on (the model is then the whole repository).' })
    .option('format', { alias: 'f', choices: FORMAT_NAMES, default: 'stylish' as FormatName, describe: 'Output format.' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout.' })
    .option('config', { alias: 'c', type: 'string', describe: `Config file (default: ${CONFIG_FILE_NAME} in the scan root or a parent up to the git root).` })
    .option('root', { type: 'string', describe: 'Repository root: paths in the output are relative to it (default: nearest folder with rules.config.json or .git).' })
    .option('fail-on', { choices: FAIL_ON, default: 'error' as FailOn, describe: 'Exit 1 when a finding at or above this level remains.' })
    .option('now', { type: 'string', describe: 'The clock for time-based rules, as an ISO date (reproducible runs).' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Report errors only.' })
    .option('include-suppressed', { type: 'boolean', default: false, describe: 'Keep suppressed findings in SARIF, with their justification.' })
    .option('category', { type: 'string', describe: 'SARIF automationDetails.id category (for several scans per workflow).' })
    .option('color', { type: 'boolean', describe: 'Force colours on or off (default: on for a terminal).' })
    .option('baseline', { type: 'string', describe: 'Report only findings that are not in this baseline file, and list its entries that are fixed.' })
    .option('write-baseline', { type: 'string', describe: 'Record the current findings (by fingerprint, never by line) in this file.' })
    .option('base', { type: 'string', describe: 'A git revision to compare with: every grant the change adds is reported (DAPR108). Read from git objects; nothing is checked out.' });
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const cli = yargs(argv)
    .scriptName('dapr-policy')
    .usage('$0 [scan] [paths..]\n\nFind Dapr security mistakes in a GitOps repository: unscoped components, exposed sidecars, plaintext secrets, mTLS off.')
    .command(
      ['scan [paths..]', '$0 [paths..]'],
      'Scan folders (default: .) and report findings.',
      (y) =>
        scanOptions(y)
          .example('$0', 'scan the current repository, human-readable')
          .example('$0 deploy/ -f sarif -o dapr-policy.sarif', 'SARIF for GitHub code scanning')
          .example('$0 --fail-on warning --now 2026-12-01', 'stricter gate, fixed clock')
          .example('$0 k8s/prod/statestore.yaml', 'report on one file, judged against the whole repository')
          .example('$0 --write-baseline .dapr-policy-baseline.json', 'accept today\'s findings')
          .example('$0 --baseline .dapr-policy-baseline.json', 'report only new findings')
          .conflicts('baseline', 'write-baseline'),
      (a) => {
        code = runScan(
          {
            paths: (a.paths as string[]) ?? [],
            format: a.format as FormatName,
            output: a.output,
            config: a.config,
            root: a.root,
            failOn: a['fail-on'] as FailOn,
            now: a.now,
            quiet: a.quiet as boolean,
            includeSuppressed: a['include-suppressed'] as boolean,
            category: a.category,
            color: a.color as boolean | undefined,
            baseline: a.baseline,
            writeBaseline: a['write-baseline'],
            base: a.base,
          },
          io,
        );
      },
    )
    .command(
      'matrix [paths..]',
      'Print which app-id can load which component (and receive which subscription, call which HTTPEndpoint), per namespace.',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'Folders to read (default: .).' })
          .option('format', { alias: 'f', choices: MATRIX_FORMAT_NAMES, default: 'table' as MatrixFormat, describe: 'table, markdown, json, csv, or policy (rules.config.json accessPolicy for DAPR107).' })
          .option('output', { alias: 'o', type: 'string', describe: 'Write to this file instead of stdout.' })
          .option('config', { alias: 'c', type: 'string', describe: 'Config file.' })
          .option('root', { type: 'string', describe: 'Repository root.' })
          .option('base', { type: 'string', describe: 'A git revision: print the grants added and removed since it instead (read from git objects; nothing is checked out).' })
          .example('$0 matrix', 'the matrix of the current repository')
          .example('$0 matrix --base origin/main', 'what this branch grants or takes away')
          .example('$0 matrix -f policy', 'the current grants as an accessPolicy to adopt'),
      (a) => {
        code = runMatrix({ paths: (a.paths as string[]) ?? [], format: a.format as MatrixFormat, output: a.output, config: a.config, root: a.root, base: a.base }, io);
      },
    )
    .command(
      'rules',
      'List the rules with their levels per environment.',
      (y) => y.option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const }).example('$0 rules --format json', 'machine-readable list'),
      (a) => {
        code = runRulesList(a.format as 'table' | 'json', io);
      },
    )
    .command(
      'init [dir]',
      `Write the recommended ${CONFIG_FILE_NAME} (never overwrites).`,
      (y) => y.positional('dir', { type: 'string', default: '.', describe: 'Where to write it.' }).example('$0 init', `create ./${CONFIG_FILE_NAME}`),
      (a) => {
        code = runInit(a.dir as string, io);
      },
    )
    .strict()
    .version(TOOL_VERSION)
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage, configuration or internal error.\nDocs: https://github.com/dapr-policy/dapr-policy#readme')
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await cli.parseAsync();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError) {
      io.stderr(`dapr-policy: ${e.message}\n`);
      return 2;
    }
    if ((e as Error).name === 'YError') {
      io.stderr(`dapr-policy: ${(e as Error).message}\nRun dapr-policy --help for usage.\n`);
      return 2;
    }
    io.stderr(`dapr-policy: internal error, please report it with the command you ran (version ${TOOL_VERSION}):\n${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
  return code;
}

export function runCli(): void {
  const io: Io = { cwd: process.cwd(), stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: !!process.stdout.isTTY };
  main(hideBin(process.argv), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`dapr-policy: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
