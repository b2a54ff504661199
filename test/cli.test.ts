// The command line, run in-process (and once as the bundled binary): exit
// codes, formats, init, rules, and pre-commit's file mode.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendedConfigText } from '../src/meta/recommended-config.js';
import { allRules } from '../src/rules/index.js';
import { cli, writeTree } from './helpers.js';

const UNSCOPED = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n';
const SCOPED = `${UNSCOPED}scopes: [task-api]\n`;
const APP = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: task-api\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: "task-api"\n    spec:\n      containers: [{ name: a, image: example/a:1 }]\n';

describe('exit codes', () => {
  it('0 when nothing is at or above --fail-on, 1 when something is', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED });
    expect((await cli(['.'], dir)).code).toBe(0); // a warning, below the default --fail-on error
    expect((await cli(['.', '--fail-on', 'warning'], dir)).code).toBe(1);
    expect((await cli(['scan', '.', '--fail-on', 'none', '--rules-dir'], dir)).code).toBe(2);
    const clean = writeTree({ 'c.yaml': SCOPED, 'app.yaml': APP });
    const run = await cli(['.', '--fail-on', 'note'], clean);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('2 with a message for a bad flag value, a missing path, a bad --now and a broken config', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED });
    const badFormat = await cli(['.', '--format', 'xml'], dir);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/Invalid values:[\s\S]*format/);
    const missing = await cli(['nowhere'], dir);
    expect(missing).toMatchObject({ code: 2, stderr: 'dapr-policy: nowhere: no such file or folder.\n' });
    const now = await cli(['.', '--now', 'yesterday'], dir);
    expect(now.code).toBe(2);
    expect(now.stderr).toMatch(/--now yesterday: expected an ISO date/);
    for (const bad of ['-1', 'many', '65', '1.5']) {
      const threads = await cli(['.', '--concurrency', bad], dir);
      expect(threads, bad).toMatchObject({ code: 2, stderr: `dapr-policy: --concurrency ${bad}: expected auto, off, or a number of worker threads from 0 to 64.\n` });
    }
    fs.writeFileSync(path.join(dir, 'rules.config.json'), JSON.stringify({ rules: { DAPR101: 'loud' } }));
    const cfg = await cli(['.'], dir);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain('rules.config.json: /rules/DAPR101: expected one of');
  });
});

describe('formats and output', () => {
  it('stylish groups by file with line:col, level, message and rule, then a summary', async () => {
    const dir = writeTree({ 'deploy/c.yaml': UNSCOPED });
    const run = await cli(['.'], dir);
    expect(run.stdout).toBe(
      '\ndeploy/c.yaml\n  4:9  warning  Component "statestore" (state.redis) has no scopes: every Dapr app in namespace "default" can use it. List the app-ids that need it under top-level scopes  DAPR101\n\n✖ 1 problem (0 errors, 1 warning, 0 notes)\n',
    );
  });

  it('writes json and sarif to --output', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED });
    expect((await cli(['.', '-f', 'json', '-o', 'out/report.json'], dir)).stdout).toBe('');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    expect(json.results.map((r: { ruleId: string; file: string; startLine: number }) => [r.ruleId, r.file, r.startLine])).toEqual([['DAPR101', 'c.yaml', 4]]);
    await cli(['.', '-f', 'sarif', '-o', 'x.sarif'], dir);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'x.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].ruleId).toBe('DAPR101');
  });

  it('--quiet reports errors only', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED, 'bad.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: [' });
    const run = await cli(['.', '-q', '-f', 'json'], dir);
    expect(JSON.parse(run.stdout).results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['DAPR001']);
  });
});

describe('pre-commit file mode', () => {
  it('judges the given files against the whole repository and reports only their findings', async () => {
    const dir = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'components/statestore.yaml': SCOPED, 'apps/task-api.yaml': APP, 'other/unscoped.yaml': UNSCOPED });
    const run = await cli(['components/statestore.yaml', '-f', 'json', '--fail-on', 'note'], dir);
    // task-api runs in another file, so the scope is known; other/unscoped.yaml is not reported.
    expect(JSON.parse(run.stdout).results).toEqual([]);
    expect(run.code).toBe(0);
    const other = await cli(['other/unscoped.yaml', 'apps/task-api.yaml', '-f', 'json'], dir);
    expect(JSON.parse(other.stdout).results.map((r: { file: string }) => r.file)).toEqual(['other/unscoped.yaml']);
  });

  it('split and shuffled batches give the same findings', async () => {
    const dir = writeTree({ '.git/HEAD': 'ref\n', 'a.yaml': UNSCOPED.replace('statestore', 'a'), 'b.yaml': UNSCOPED.replace('statestore', 'b'), 'c.yaml': SCOPED.replace('task-api', 'ghost'), 'app.yaml': APP });
    const files = ['a.yaml', 'b.yaml', 'c.yaml', 'app.yaml'];
    const all = JSON.parse((await cli([...files, '-f', 'json'], dir)).stdout).results;
    const first = JSON.parse((await cli(['c.yaml', 'a.yaml', '-f', 'json'], dir)).stdout).results;
    const second = JSON.parse((await cli(['app.yaml', 'b.yaml', '-f', 'json'], dir)).stdout).results;
    const key = (r: { ruleId: string; file: string; startLine: number }): string => `${r.file}:${r.startLine}:${r.ruleId}`;
    expect([...first, ...second].map(key).sort()).toEqual(all.map(key).sort());
    expect(all.map(key)).toContain('c.yaml:9:DAPR102');
  });
});

describe('rules and init', () => {
  it('lists every rule as a table and as JSON', async () => {
    const dir = writeTree({});
    const table = await cli(['rules'], dir);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+DEFAULT\s+PRODUCTION\s+NON-PROD\s+SEVERITY$/);
    expect(table.stdout).toMatch(/^DAPR101\s+component-unscoped\s+warning\s+error\s+note\s+6\.5 medium$/m);
    const json = JSON.parse((await cli(['rules', '--format', 'json'], dir)).stdout);
    expect(json.map((r: { id: string }) => r.id)).toEqual(allRules.map((r) => r.meta.id));
  });

  it('init writes the recommended config and refuses to overwrite it', async () => {
    const dir = writeTree({});
    expect((await cli(['init'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'rules.config.json'), 'utf8')).toBe(recommendedConfigText(allRules.map((r) => r.meta)));
    const again = await cli(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; init never overwrites it/);
  });

  it('the committed root rules.config.json is the recommended config', () => {
    expect(fs.readFileSync('rules.config.json', 'utf8')).toBe(recommendedConfigText(allRules.map((r) => r.meta)));
  });
});

describe('the bundled binary', () => {
  beforeAll(() => {
    if (!fs.existsSync('dist/cli.js')) execFileSync(process.execPath, ['scripts/build.mjs']);
  });
  it('runs, prints its version and exits with the scan status', () => {
    const version = spawnSync(process.execPath, ['dist/cli.js', '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    const example = spawnSync(process.execPath, ['dist/cli.js', 'examples/task-api', '--no-color'], { encoding: 'utf8' });
    expect(example.status).toBe(1);
    expect(example.stdout).toMatch(/✖ \d+ problems \(\d+ errors?, \d+ warnings?, \d+ notes?\)/);
  });
});

describe('--cache', () => {
  it('keeps the parses in .dapr-policy-cache (or --cache-location) and reports the same with and without it', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED, 'app.yaml': APP });
    const plain = await cli(['.', '-f', 'sarif'], dir);
    expect(fs.existsSync(path.join(dir, '.dapr-policy-cache'))).toBe(false);
    const cold = await cli(['.', '-f', 'sarif', '--cache'], dir);
    expect(fs.readFileSync(path.join(dir, '.dapr-policy-cache'), 'utf8')).toMatch(/^DAPRPOLICY-CACHE-/);
    const warm = await cli(['.', '-f', 'sarif', '--cache'], dir);
    expect(cold).toEqual(plain);
    expect(warm).toEqual(plain);
    // The cache file is not a manifest: it never becomes part of the scan.
    expect(warm.stdout).not.toContain('dapr-policy-cache');
    const located = await cli(['.', '-f', 'sarif', '--cache-location', 'tmp/my-cache'], dir);
    expect(located).toEqual(plain);
    expect(fs.existsSync(path.join(dir, 'tmp/my-cache'))).toBe(true);
    // A folder (existing, or named with a trailing slash) holds the default file name.
    expect(await cli(['.', '-f', 'sarif', '--cache-location', 'tmp'], dir)).toEqual(plain);
    expect(await cli(['.', '-f', 'sarif', '--cache-location', 'new-folder/'], dir)).toEqual(plain);
    for (const f of ['tmp/.dapr-policy-cache', 'new-folder/.dapr-policy-cache']) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toMatch(/^DAPRPOLICY-CACHE-/);
  });
});

describe('--cache and git', () => {
  it('neither reads nor writes a cache file that git tracks: it came with the repository and could hide findings', async () => {
    const dir = writeTree({ 'c.yaml': UNSCOPED });
    const gitIn = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    gitIn('init', '-q');
    const plain = await cli(['.', '-f', 'json'], dir);
    fs.writeFileSync(path.join(dir, '.dapr-policy-cache'), 'planted by a pull request');
    gitIn('add', '.dapr-policy-cache');
    const run = await cli(['.', '-f', 'json', '--cache'], dir);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toContain('the cache .dapr-policy-cache is tracked by git, so the cache was neither read nor written');
    expect(fs.readFileSync(path.join(dir, '.dapr-policy-cache'), 'utf8')).toBe('planted by a pull request');
    // Untracked (ignored), it is used and rewritten.
    gitIn('rm', '-q', '--cached', '.dapr-policy-cache');
    const again = await cli(['.', '-f', 'json', '--cache'], dir);
    expect(again.stderr).toBe('');
    expect(fs.readFileSync(path.join(dir, '.dapr-policy-cache'), 'utf8')).toMatch(/^DAPRPOLICY-CACHE-/);
    // The results beside it: a planted file that says "no findings" is neither trusted nor replaced.
    const results = path.join(dir, '.dapr-policy-cache.results');
    const stored = fs.readFileSync(results, 'utf8');
    expect(stored).toMatch(/^DAPRPOLICY-RESULTS-/);
    // With a checksum that matches: only the git check keeps it out.
    const [magic, , ...rest] = stored.split('\n');
    const body = rest.join('\n').replace(/"findings":\[.*?\],"suppressions"/, '"findings":[],"suppressions"');
    const planted = `${magic}\n${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`;
    expect(planted).not.toBe(stored);
    fs.writeFileSync(results, planted);
    gitIn('add', '.dapr-policy-cache.results');
    const tracked = await cli(['.', '-f', 'json', '--cache'], dir);
    expect(tracked.stdout).toBe(plain.stdout);
    expect(tracked.stderr).toContain('the cache .dapr-policy-cache.results is tracked by git, so the cache was neither read nor written');
    expect(fs.readFileSync(results, 'utf8')).toBe(planted);
  });
});
