// The command line: `dapr-policy [scan] [paths..]`, `dapr-policy rules`,
// `dapr-policy init`. Exit codes: 0 nothing at or above --fail-on, 1 findings
// at or above it, 2 usage, configuration or internal error.
import fs from 'node:fs';
import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BaselineError, baselineText } from './engine/baseline.js';
import { DEFAULT_CACHE_FILE } from './engine/cache.js';
import { AUTO_MIN_FILES } from './engine/parse-pool.js';
import { CONFIG_FILE_NAME, ConfigError } from './engine/config.js';
import { escapeControl } from './engine/escape.js';
import { planDiff, writeFixes } from './engine/fix.js';
import { exitStatus, FAIL_ON, type FailOn, fixPlan, invokeScan, type Invoked, MAX_CONCURRENCY, reportInput, scanModel, type ScanInvocation, statOf, UsageError } from './invoke.js';
import { levelColumns, severityBand } from './meta/levels.js';
import { TOOL_VERSION } from './meta/project.js';
import { recommendedConfigText } from './meta/recommended-config.js';
import { grantDiff, type GrantChange } from './engine/grant-diff.js';
import { renderGrantDiffJson, renderGrantDiffMarkdown, renderGrantDiffTable } from './report/grant-diff.js';
import { MATRIX_FORMAT_NAMES, MATRIX_FORMATS, type MatrixFormat, matrixView } from './report/matrix.js';
import { FORMAT_NAMES, FORMATS, type FormatName } from './report/index.js';
import { plural } from './report/summary.js';
import type { FixOutcome } from './report/types.js';
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
  /** `--absolute-paths`: the scan root's absolute path in SARIF and JSON. */
  absolutePaths?: boolean;
  color?: boolean;
  baseline?: string;
  writeBaseline?: string;
  base?: string;
  /** Apply the safe fixes in place, then report what remains. */
  fix?: boolean;
  /** Print the safe fixes as a unified diff on stdout; write nothing. */
  fixDryRun?: boolean;
  /** `--cache` / `--cache-location`: where each file's parse (and, beside it, the results) is kept between scans. */
  cache?: string;
  /** `--concurrency`: auto, off or a number of parse worker threads. */
  concurrency?: string;
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

/**
 * `--fix`: writes the fixes of the findings shown and scans again, so that the
 * report (and the exit status) is about what remains. `--fix-dry-run`: the
 * diff only; the report then goes to --output or nowhere, so stdout can be
 * piped to `git apply`.
 */
function runFixes(args: ScanArgs, io: Io, invocation: ScanInvocation, invoked: Invoked): { invoked: Invoked; outcome?: FixOutcome; diff?: string } {
  const shown = args.quiet ? invoked.result.results.filter((r) => r.level === 'error') : invoked.result.results;
  const plan = fixPlan(invoked, shown);
  const skipped = plan.skipped.map(({ result, reason }) => ({ ruleId: result.ruleId, file: result.location.file, fingerprint: result.fingerprint, reason }));
  if (args.fixDryRun) {
    const findings = plan.changes.reduce((n, c) => n + c.fixed.length, 0);
    const later = skipped.length > 0 ? ` ${plural(skipped.length, 'other fix', 'other fixes')} cannot be applied now (see --fix).` : '';
    io.stderr(`dapr-policy: --fix-dry-run: ${plural(findings, 'finding')} can be fixed in ${plural(plan.changes.length, 'file')}; nothing was written.${later}\n`);
    return { invoked, diff: planDiff(plan) };
  }
  const { written, stale } = writeFixes(plan);
  for (const c of stale) for (const r of c.fixed) skipped.push({ ruleId: r.ruleId, file: c.file, fingerprint: r.fingerprint, reason: 'the file changed while fixing' });
  const outcome: FixOutcome = { findings: written.reduce((n, c) => n + c.fixed.length, 0), files: written.map((c) => c.file), skipped };
  return { invoked: written.length > 0 ? invokeScan(invocation) : invoked, outcome };
}

export function runScan(args: ScanArgs, io: Io): number {
  const invocation: ScanInvocation = { paths: args.paths, cwd: io.cwd, root: args.root, config: args.config, now: args.now, baseline: args.baseline, ...(args.base ? { baseRef: args.base } : {}), ...(args.cache !== undefined ? { cache: args.cache, warn: io.stderr } : {}), ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}), needsModel: args.fix === true || args.fixDryRun === true || args.format === 'markdown' };
  const fixing = args.fix || args.fixDryRun ? runFixes(args, io, invocation, invokeScan(invocation)) : undefined;
  const invoked = fixing?.invoked ?? invokeScan(invocation);
  const { result } = invoked;
  if (args.writeBaseline) {
    writeOutput(args.writeBaseline, baselineText(result.results), io);
    io.stderr(`dapr-policy: wrote ${result.results.filter((r) => !r.suppression).length} findings to the baseline ${args.writeBaseline}.\n`);
  }
  const shown = args.quiet ? result.results.filter((r) => r.level === 'error') : result.results;
  const input = reportInput(invoked, shown, args.format === 'markdown');
  if (fixing?.outcome) input.fixed = fixing.outcome;
  const text = FORMATS[args.format](input, {
    includeSuppressed: args.includeSuppressed,
    color: args.color ?? (io.isTTY && !process.env.NO_COLOR && !args.output),
    cwd: io.cwd,
    category: args.category,
    absolutePaths: args.absolutePaths === true,
  });
  if (args.output) writeOutput(args.output, text, io);
  else if (fixing?.diff === undefined) io.stdout(text);
  if (fixing?.diff !== undefined) io.stdout(fixing.diff);
  if (result.filesScanned === 0 && !invoked.filesOnly) io.stderr(`dapr-policy: no files to scan under ${args.paths.join(', ') || '.'} (check "include"/"exclude" in the config).\n`);
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
  const invoked = invokeScan({ paths: args.paths, cwd: io.cwd, root: args.root, config: args.config, ...(args.base ? { baseRef: args.base } : {}), needsModel: true });
  let text: string;
  if (args.base && invoked.result.base) {
    const render = DIFF_FORMATS[args.format];
    if (!render) throw new UsageError(`--base prints the grant diff as table, markdown or json, not ${args.format}.`);
    text = render(grantDiff(invoked.result.base, scanModel(invoked.result)), args.base);
  } else {
    text = MATRIX_FORMATS[args.format](matrixView(scanModel(invoked.result).accessMatrix()));
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
    .option('absolute-paths', { type: 'boolean', default: false, describe: "Name the scan root's absolute path in SARIF (%SRCROOT% uri) and JSON (root); by default reports hold repository-relative paths only." })
    .option('color', { type: 'boolean', describe: 'Force colours on or off (default: on for a terminal).' })
    .option('baseline', { type: 'string', describe: 'Report only findings that are not in this baseline file, and list its entries that are fixed.' })
    .option('write-baseline', { type: 'string', describe: 'Record the current findings (by fingerprint, never by line) in this file.' })
    .option('base', { type: 'string', describe: 'A git revision to compare with: every grant the change adds is reported (DAPR108). Read from git objects; nothing is checked out.' })
    .option('fix', { type: 'boolean', describe: 'Apply the safe fixes to the files reported on (in place, only what each fix changes), then report what remains.' })
    .option('fix-dry-run', { type: 'boolean', describe: 'Print the safe fixes as a unified diff on stdout (git apply in the scan root applies it); change nothing.' })
    .option('cache', { type: 'boolean', describe: `Keep each file's parse in ${DEFAULT_CACHE_FILE} and the results beside it; reuse the results when no change reaches what the rules read, else the parses of files whose bytes did not change. Results are identical.` })
    .option('cache-location', { type: 'string', describe: `The cache file, or a folder to keep ${DEFAULT_CACHE_FILE} in (implies --cache; default ${DEFAULT_CACHE_FILE} in the current folder).` })
    .option('concurrency', { type: 'string', describe: `Worker threads that parse files beside the main thread: a number (0 to ${MAX_CONCURRENCY}), off, or auto (one per core but one, from ${AUTO_MIN_FILES} files on). Results are identical.`, default: 'auto' });
}

/** Error messages quote the config and the arguments (keys, globs, paths): each line's control characters are written out (escape.ts). */
function safeLines(message: string): string {
  return message.split('\n').map(escapeControl).join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  // Everything after `--` is a path, even `-rf.yaml`: yargs leaves such arguments out of the positional list.
  const dashDash = argv.indexOf('--');
  const literalPaths = dashDash === -1 ? [] : argv.slice(dashDash + 1);
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
          .example('$0 --fix-dry-run > fixes.patch', 'the safe fixes as a patch, nothing changed')
          .example('$0 --fix', 'apply the safe fixes in place')
          .conflicts('baseline', 'write-baseline')
          .conflicts('fix', 'fix-dry-run'),
      (a) => {
        code = runScan(
          {
            paths: [...((a.paths as string[]) ?? []), ...literalPaths],
            format: a.format as FormatName,
            output: a.output,
            config: a.config,
            root: a.root,
            failOn: a['fail-on'] as FailOn,
            now: a.now,
            quiet: a.quiet as boolean,
            includeSuppressed: a['include-suppressed'] as boolean,
            category: a.category,
            absolutePaths: a['absolute-paths'] as boolean,
            color: a.color as boolean | undefined,
            baseline: a.baseline,
            writeBaseline: a['write-baseline'],
            base: a.base,
            fix: a.fix === true,
            fixDryRun: a['fix-dry-run'] === true,
            ...(a.cache === true || a['cache-location'] !== undefined ? { cache: (a['cache-location'] as string | undefined) ?? DEFAULT_CACHE_FILE } : {}),
            concurrency: a.concurrency as string,
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
        code = runMatrix({ paths: [...((a.paths as string[]) ?? []), ...literalPaths], format: a.format as MatrixFormat, output: a.output, config: a.config, root: a.root, base: a.base }, io);
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
      io.stderr(`dapr-policy: ${safeLines(e.message)}\n`);
      return 2;
    }
    if ((e as Error).name === 'YError') {
      io.stderr(`dapr-policy: ${safeLines((e as Error).message)}\nRun dapr-policy --help for usage.\n`);
      return 2;
    }
    io.stderr(`dapr-policy: internal error, please report it with the command you ran (version ${TOOL_VERSION}):\n${safeLines((e as Error).stack ?? String(e))}\n`);
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
