// render/binaries.ts: finding helm / kustomize / kubectl and running them
// boxed in. The scanned repository is untrusted input: only these binaries
// ever run, never one that lives inside the repository, with fixed
// arguments, a scratch HOME and HELM_* folders in a temporary directory, no
// network (every proxy points at a closed local port, git may only use
// file://), a timeout and a cap on what they print.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInside } from '../discover.js';

export type ToolFlavor = 'helm' | 'kubectl' | 'kustomize';

export interface Tool {
  /** Absolute path of the binary. */
  path: string;
  /** kubectl builds with `kubectl kustomize`, kustomize with `kustomize build`. */
  flavor: ToolFlavor;
}

export type Found = { ok: true; tool: Tool } | { ok: false; reason: string };

/** Seconds a renderer may run on one chart variant or kustomization. */
export const RENDER_TIMEOUT_MS = 60_000;
/** Bytes a renderer may print; more is a failure, not a truncated model. */
export const MAX_RENDER_OUTPUT = 32 * 1024 * 1024;
/** A closed port: anything that tries to reach the network through a proxy fails at once. */
const NO_PROXY_URL = 'http://127.0.0.1:9';
/** Folders where system tools live; the scanned repository is never on this PATH. */
const SAFE_PATH = ['/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter);

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function flavorOf(file: string, fallback: ToolFlavor): ToolFlavor {
  const base = path.basename(file).toLowerCase();
  if (base.startsWith('kubectl')) return 'kubectl';
  if (base.startsWith('kustomize')) return 'kustomize';
  if (base.startsWith('helm')) return 'helm';
  return fallback;
}

/**
 * A binary that sits inside the scanned repository could be anyone's code:
 * it is refused even when the config or PATH names it.
 */
function outsideRepository(real: string, realRoot: string): boolean {
  return !isInside(realRoot, real);
}

function realRootOf(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

/**
 * The binary to run: the configured one (an absolute path, or a name looked
 * up on PATH), else the first of `names` on PATH. PATH entries that are
 * relative or inside the scanned repository are skipped.
 */
export function findBinary(configured: string | undefined, names: readonly string[], flavor: ToolFlavor, root: string, envPath: string | undefined = process.env.PATH): Found {
  const realRoot = realRootOf(root);
  const check = (candidate: string): Found => {
    let real: string;
    try {
      real = fs.realpathSync(candidate);
    } catch {
      return { ok: false, reason: `${candidate} does not exist` };
    }
    if (!isExecutableFile(real)) return { ok: false, reason: `${candidate} is not an executable file` };
    if (!outsideRepository(real, realRoot)) return { ok: false, reason: `${candidate} is inside the scanned repository, and nothing from the repository is ever executed` };
    return { ok: true, tool: { path: real, flavor: flavorOf(candidate, flavor) } };
  };
  if (configured !== undefined && configured.includes('/')) {
    if (!path.isAbsolute(configured)) return { ok: false, reason: `the configured binary "${configured}" is not an absolute path` };
    return check(configured);
  }
  const wanted = configured !== undefined ? [configured] : names;
  const dirs = (envPath ?? '').split(path.delimiter).filter((d) => d !== '' && path.isAbsolute(d));
  for (const name of wanted) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (!isExecutableFile(candidate)) continue;
      const found = check(candidate);
      if (found.ok) return found;
    }
  }
  return { ok: false, reason: `no ${wanted.map((n) => `"${n}"`).join(' or ')} binary on PATH` };
}

/** A temporary folder for one scan's renders: scratch HOME, helm's folders, kustomize wrappers. Removed by `dispose`. */
export class Scratch {
  readonly dir: string;
  private counter = 0;
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapr-policy-render-'));
    for (const sub of ['home', 'tmp', 'helm/cache', 'helm/config', 'helm/data', 'helm/plugins', 'kustomize-plugins']) fs.mkdirSync(path.join(this.dir, sub), { recursive: true });
  }

  /** A new empty folder under the scratch directory. */
  folder(prefix: string): string {
    const d = path.join(this.dir, `${prefix}-${++this.counter}`);
    fs.mkdirSync(d);
    return d;
  }

  /** The environment a renderer runs with: nothing of the caller's but the locale, no network, no plugins. */
  env(): NodeJS.ProcessEnv {
    const d = this.dir;
    const helm = (sub: string): string => path.join(d, 'helm', sub);
    return {
      PATH: SAFE_PATH,
      HOME: path.join(d, 'home'),
      TMPDIR: path.join(d, 'tmp'),
      XDG_CONFIG_HOME: path.join(d, 'home'),
      XDG_CACHE_HOME: path.join(d, 'home'),
      XDG_DATA_HOME: path.join(d, 'home'),
      LANG: 'C',
      LC_ALL: 'C',
      HELM_CACHE_HOME: helm('cache'),
      HELM_CONFIG_HOME: helm('config'),
      HELM_DATA_HOME: helm('data'),
      HELM_PLUGINS: helm('plugins'),
      HELM_NO_PLUGINS: '1',
      HELM_REPOSITORY_CONFIG: path.join(helm('config'), 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: path.join(helm('cache'), 'repository'),
      HELM_REGISTRY_CONFIG: path.join(helm('config'), 'registry.json'),
      HELM_CONTENT_CACHE: path.join(helm('cache'), 'content'),
      KUBECONFIG: path.join(d, 'no-kubeconfig'),
      KUSTOMIZE_PLUGIN_HOME: path.join(d, 'kustomize-plugins'),
      HTTP_PROXY: NO_PROXY_URL,
      HTTPS_PROXY: NO_PROXY_URL,
      ALL_PROXY: NO_PROXY_URL,
      http_proxy: NO_PROXY_URL,
      https_proxy: NO_PROXY_URL,
      all_proxy: NO_PROXY_URL,
      NO_PROXY: '',
      no_proxy: '',
      GIT_ALLOW_PROTOCOL: 'file',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    };
  }

  dispose(): void {
    // rm does not follow symbolic links (the kustomize wrappers link to the repository): only the links go.
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface RunOutcome {
  ok: boolean;
  stdout: string;
  /** Why it failed, for DAPR007: exit code and the first lines of stderr, a timeout, or too much output. */
  reason?: string;
}

/** The first meaningful lines of stderr, with scratch paths and the repository's absolute path taken out. */
export function stderrHead(stderr: string, replace: Array<[string, string]>, lines = 3): string {
  let text = stderr;
  for (const [from, to] of replace) if (from) text = text.split(from).join(to);
  const kept = text
    .split(/\r?\n/)
    // kubectl logs through klog: `E1128 17:00:48.195581    1694 run.go:72] "command failed" err="…"`; time and pid would make output differ run to run.
    .map((l) => l.replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] /, ''))
    .map((l) => {
      const m = /^"command failed" err="(.*)"$/.exec(l);
      return m ? m[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\') : l;
    })
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Use --debug flag/i.test(l))
    .slice(0, lines);
  const joined = kept.join(' / ');
  return joined.length > 400 ? `${joined.slice(0, 397)}...` : joined;
}

export interface RunOptions {
  cwd: string;
  scratch: Scratch;
  replace: Array<[string, string]>;
  timeoutMs?: number;
  maxOutput?: number;
}

/** What one run of a renderer gave: spawnSync's fields, or the same from the parallel runner. */
interface RawRun {
  /** ETIMEDOUT, ENOBUFS, or why it could not be started. */
  error?: string;
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** How many times a renderer was run: the result cache keeps no results of a scan that ran one (result-cache.ts). */
export const toolRuns = { count: 0 };

/** Runs a renderer: no shell, no stdin, the scratch environment, a timeout and an output cap. */
export function runTool(tool: Tool, args: string[], opts: RunOptions): RunOutcome {
  toolRuns.count++;
  const r = spawnSync(tool.path, args, {
    cwd: opts.cwd,
    env: opts.scratch.env(),
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? RENDER_TIMEOUT_MS,
    maxBuffer: opts.maxOutput ?? MAX_RENDER_OUTPUT,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    shell: false,
  });
  const error = r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : undefined;
  return outcomeOf(tool, opts, { ...(error ? { error } : {}), status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' });
}

/**
 * The same as runTool for each job, several at a time. The scan is
 * synchronous, so a small node program (no file of ours, no module: the script
 * below) runs the jobs with `child_process.spawn`, at most `os.availableParallelism()`
 * at once, under the same timeout, output cap and environment, and prints
 * what each gave as JSON. Outcomes come back in the jobs' order.
 */
export function runToolMany(tool: Tool, jobs: Array<{ args: string[]; cwd: string }>, opts: Omit<RunOptions, 'cwd'>): RunOutcome[] {
  const parallel = Math.min(jobs.length, os.availableParallelism());
  if (parallel <= 1) return jobs.map((j) => runTool(tool, j.args, { ...opts, cwd: j.cwd }));
  toolRuns.count++;
  const timeout = opts.timeoutMs ?? RENDER_TIMEOUT_MS;
  const maxOutput = opts.maxOutput ?? MAX_RENDER_OUTPUT;
  const input = JSON.stringify({ path: tool.path, jobs, env: opts.scratch.env(), timeout, maxOutput, parallel });
  const r = spawnSync(process.execPath, ['-e', PARALLEL_RUNNER], {
    input,
    encoding: 'utf8',
    env: opts.scratch.env(),
    maxBuffer: jobs.length * (2 * maxOutput + 65536),
    // Each job has its own timeout; this one only guards against the runner itself hanging.
    timeout: timeout * Math.ceil(jobs.length / parallel) + 30_000,
    killSignal: 'SIGKILL',
    windowsHide: true,
    shell: false,
  });
  let raws: RawRun[] | undefined;
  try {
    raws = r.status === 0 ? (JSON.parse(r.stdout) as RawRun[]) : undefined;
  } catch {
    raws = undefined;
  }
  // The runner failing is our problem, not the repository's: run the jobs one by one instead.
  if (!Array.isArray(raws) || raws.length !== jobs.length) return jobs.map((j) => runTool(tool, j.args, { ...opts, cwd: j.cwd }));
  return raws.map((raw) => outcomeOf(tool, opts, raw));
}

const PARALLEL_RUNNER = `
const { spawn } = require('node:child_process');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { path, jobs, env, timeout, maxOutput, parallel } = JSON.parse(input);
  const out = new Array(jobs.length);
  let next = 0;
  let running = 0;
  const start = () => {
    while (running < parallel && next < jobs.length) {
      const i = next++;
      running++;
      run(jobs[i], (r) => {
        out[i] = r;
        running--;
        if (next < jobs.length) start();
        else if (running === 0) process.stdout.write(JSON.stringify(out));
      });
    }
  };
  const run = (job, done) => {
    let stdout = '';
    let stderr = '';
    let error;
    let settled = false;
    const finish = (r) => { if (!settled) { settled = true; clearTimeout(timer); done(r); } };
    let child;
    try {
      child = spawn(path, job.args, { cwd: job.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, shell: false });
    } catch (e) {
      return finish({ error: e.code || e.message, status: null, signal: null, stdout: '', stderr: '' });
    }
    const timer = setTimeout(() => { error = 'ETIMEDOUT'; child.kill('SIGKILL'); }, timeout);
    const cap = (chunk, which) => {
      if (which === 'out') stdout += chunk; else stderr += chunk;
      if (stdout.length + stderr.length > maxOutput && !error) { error = 'ENOBUFS'; child.kill('SIGKILL'); }
    };
    child.stdout.setEncoding('utf8').on('data', (c) => cap(c, 'out'));
    child.stderr.setEncoding('utf8').on('data', (c) => cap(c, 'err'));
    child.on('error', (e) => finish({ error: e.code || e.message, status: null, signal: null, stdout: '', stderr: '' }));
    child.on('close', (status, signal) => finish({ ...(error ? { error } : {}), status, signal, stdout: error ? '' : stdout, stderr }));
  };
  if (jobs.length === 0) process.stdout.write('[]');
  else start();
});
`;

function outcomeOf(tool: Tool, opts: Pick<RunOptions, 'replace' | 'timeoutMs' | 'maxOutput'>, r: RawRun): RunOutcome {
  const timeout = opts.timeoutMs ?? RENDER_TIMEOUT_MS;
  const name = path.basename(tool.path);
  if (r.error) {
    const code = r.error;
    if (code === 'ETIMEDOUT') return { ok: false, stdout: '', reason: `${name} did not finish within ${Math.round(timeout / 1000)} s and was stopped` };
    if (code === 'ENOBUFS') return { ok: false, stdout: '', reason: `${name} printed more than ${Math.round((opts.maxOutput ?? MAX_RENDER_OUTPUT) / (1024 * 1024))} MB and was stopped` };
    return { ok: false, stdout: '', reason: `${name} could not be run (${code})` };
  }
  if (r.status !== 0) {
    const head = stderrHead(r.stderr ?? '', opts.replace);
    const exit = r.status === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.status}`;
    return { ok: false, stdout: '', reason: `${name} ${exit}${head ? `: ${head}` : ''}` };
  }
  return { ok: true, stdout: r.stdout ?? '' };
}
