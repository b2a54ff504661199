// Test helpers: build a repository in a temporary folder, scan it, and reduce
// results to what tests assert (rule id, file, line, column).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.js';
import { type LoadedConfigWithSource, resolveConfig } from '../src/engine/config.js';
import type { Result } from '../src/engine/policy.js';
import { scan, type ScanResult } from '../src/engine/run.js';
import { renderBinaries } from './support/binaries.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(HERE, 'fixtures');
export const SHARED = path.resolve(HERE, '../../shared');
export const CORPUS = path.join(SHARED, 'corpus');
export const hasCorpus = fs.existsSync(path.join(CORPUS, 'MANIFEST.md'));
/** A fixed clock, so time-based results never drift. */
export const NOW = new Date('2026-11-28T12:00:00Z');

export function tmpDir(prefix = 'dapr-policy-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (path → content) under a new temporary folder and returns it. */
export function writeTree(files: Record<string, string | Buffer>, config?: Record<string, unknown>): string {
  const dir = tmpDir();
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  if (config) fs.writeFileSync(path.join(dir, 'rules.config.json'), JSON.stringify(config, null, 2));
  return dir;
}

export interface ScanOpts {
  now?: Date;
  baseRef?: string;
  reportOnly?: { files: string[]; dirs?: string[] };
  dirs?: string[];
}

/** Scans a folder as the repository root, with the config found there. */
export function scanDir(root: string, opts: ScanOpts = {}): ScanResult {
  return scan({ root, config: pinRenderers(resolveConfig({ root })), now: opts.now ?? NOW, reportOnly: opts.reportOnly, dirs: opts.dirs, ...(opts.baseRef ? { baseRef: opts.baseRef } : {}) });
}

/**
 * helm and kubectl from the devDependency (test/support/binaries.ts), unless
 * the tree's config names its own: tests render the same way on every
 * machine, whatever is on its PATH.
 */
export function pinRenderers(loaded: LoadedConfigWithSource): LoadedConfigWithSource {
  const bins = renderBinaries();
  const config = { ...loaded.config };
  if (bins.helm && config.helm?.binary === undefined) config.helm = { ...config.helm, binary: bins.helm };
  if (bins.kubectl && config.kustomize?.binary === undefined) config.kustomize = { ...config.kustomize, binary: bins.kubectl };
  return { ...loaded, config };
}

export function scanFiles(files: Record<string, string | Buffer>, config?: Record<string, unknown>, opts: ScanOpts = {}): ScanResult {
  return scanDir(writeTree(files, config), opts);
}

export function scanFixture(name: string, opts: ScanOpts = {}): ScanResult {
  return scanDir(path.join(FIXTURES, name), opts);
}

export interface Hit {
  rule: string;
  file: string;
  line: number;
  column: number;
}

export function hits(results: readonly Result[], rule?: string): Hit[] {
  return results
    .filter((r) => !rule || r.ruleId === rule)
    .map((r) => ({ rule: r.ruleId, file: r.location.file, line: r.location.region.startLine, column: r.location.region.startColumn }));
}

/** Results of one rule, unsuppressed. */
export function of(result: ScanResult, rule: string): Result[] {
  return result.results.filter((r) => r.ruleId === rule && !r.suppression);
}

/** Every fixture repository: test/fixtures/engine/<name> and test/fixtures/rules/<ID>/<name>. */
export function fixtureTrees(): string[] {
  const sub = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name)) : []);
  const out = [...sub(path.join(FIXTURES, 'engine'))];
  for (const ruleDir of sub(path.join(FIXTURES, 'rules'))) out.push(...sub(ruleDir));
  return out.sort();
}

/** Runs git in a test repository, with a fixed identity. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
}

/**
 * A git repository whose HEAD commit holds `base` and whose working tree
 * holds `head` (files of `base` that `head` lacks are deleted).
 */
export function gitTree(base: Record<string, string>, head: Record<string, string>, config?: Record<string, unknown>): string {
  const dir = writeTree(base, config);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  for (const f of Object.keys(base)) if (!(f in head)) fs.rmSync(path.join(dir, f));
  for (const [rel, content] of Object.entries(head)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command line, run in-process from `cwd`, with its exit code and everything it printed. */
export async function cli(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}
