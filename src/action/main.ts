// The GitHub Action: scan the checkout, write SARIF for upload-sarif, print
// the report, annotate the most severe findings within GitHub's caps, write a
// job summary, set outputs, and fail per `fail-on`.
import fs from 'node:fs';
import path from 'node:path';
import { BaselineError } from '../engine/baseline.js';
import { ConfigError } from '../engine/config.js';
import { levelRank, type Result } from '../engine/policy.js';
import { exitStatus, FAIL_ON, type FailOn, invokeScan, reportInput, UsageError } from '../invoke.js';
import { workflowCommand } from '../report/github.js';
import { FORMAT_NAMES, FORMATS, type FormatName } from '../report/index.js';
import { formatMarkdown } from '../report/markdown.js';
import { formatSarif } from '../report/sarif.js';
import { countResults } from '../report/summary.js';
import { appendSummary, type Env, getBooleanInput, getInput, InputError, setOutputs } from './runner.js';

/** The runner shows at most 10 annotations of each type per step (and 50 per job). */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface ActionIo {
  stdout: (s: string) => void;
}

function choice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = getInput(env, name) || fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`Input "${name}": expected one of ${allowed.join(', ')}, got "${v}".`);
  return v as T;
}

/** The most severe findings first, at most 10 per level. */
export function annotationsFor(results: readonly Result[], names: Map<string, string>): string[] {
  const shown = results.filter((r) => !r.suppression);
  const out: string[] = [];
  for (const level of ['error', 'warning', 'note'] as const) {
    const of = shown.filter((r) => r.level === level).slice(0, ANNOTATIONS_PER_LEVEL);
    out.push(...of.map((r) => workflowCommand(r, names.get(r.ruleId) ?? '')));
  }
  return out;
}

function linkBase(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server}/${repo}/blob/${sha}` : undefined;
}

export function run(env: Env, io: ActionIo): number {
  try {
    const cwd = env.GITHUB_WORKSPACE || process.cwd();
    const paths = (getInput(env, 'path') || '.').split(/\s+/).filter(Boolean);
    const format = choice<FormatName>(env, 'format', FORMAT_NAMES, 'stylish');
    const failOn = choice<FailOn>(env, 'fail-on', FAIL_ON, 'error');
    const sarifFile = getInput(env, 'sarif-file') || 'dapr-policy.sarif';
    const annotate = getBooleanInput(env, 'annotations', true);
    const summarize = getBooleanInput(env, 'summary', true);
    const invoked = invokeScan({ paths, cwd, config: getInput(env, 'config') || undefined, now: getInput(env, 'now') || undefined, baseline: getInput(env, 'baseline') || undefined, ...(getInput(env, 'base-ref') ? { baseRef: getInput(env, 'base-ref') } : {}), needsModel: true });
    const { result } = invoked;
    const input = reportInput(invoked, result.results, true);

    const sarifPath = path.resolve(cwd, sarifFile);
    fs.mkdirSync(path.dirname(sarifPath), { recursive: true });
    fs.writeFileSync(sarifPath, formatSarif(input, { category: getInput(env, 'category') || undefined }));

    io.stdout(FORMATS[format](input, { cwd, color: false }));
    const names = new Map(result.rules.map((m) => [m.id, m.name]));
    if (annotate) for (const line of annotationsFor(result.results, names)) io.stdout(`${line}\n`);
    if (summarize) appendSummary(env, formatMarkdown(input, { linkBase: linkBase(env), heading: 'dapr-policy: Dapr security findings' }));

    const counts = countResults(result.results);
    setOutputs(env, { 'sarif-file': sarifFile, errors: String(counts.error), warnings: String(counts.warning), notes: String(counts.note) });
    const status = exitStatus(result, failOn);
    if (status === 1) {
      const over = result.results.filter((r) => !r.suppression && levelRank(r.level) >= levelRank(failOn as 'error')).length;
      io.stdout(`::error title=dapr-policy::${over} finding(s) at or above "${failOn}" (fail-on). See the annotations, the job summary or code scanning.\n`);
    }
    if (status === 2) io.stdout('::error title=dapr-policy::Some rules failed; the results are incomplete.\n');
    return status;
  } catch (e) {
    const known = e instanceof InputError || e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError;
    const message = known ? (e as Error).message : `internal error: ${(e as Error).stack ?? String(e)}`;
    io.stdout(`::error title=dapr-policy::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    return 2;
  }
}
