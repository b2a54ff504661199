// The pre-commit hook, run by Debian's pre-commit from a local clone of this
// repository (`pre-commit try-repo`) against a temporary git repository: a
// bad staged manifest fails the commit, the fixed one passes. Skipped when
// pre-commit is not installed (`.ci/run` installs it where it can).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_INCLUDE } from '../src/engine/discover.js';
import { git, tmpDir } from './helpers.js';

function preCommitVersion(): string | undefined {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Installs Debian's pre-commit when it is missing and this machine can (root with apt-get). */
function installPreCommit(): string | undefined {
  const found = preCommitVersion();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) return undefined;
  spawnSync('apt-get', ['install', '-y', '-q', 'pre-commit'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return preCommitVersion();
}

const version = installPreCommit();

/**
 * A clone of this repository at HEAD plus the working tree's bundle, so the
 * hook runs the code under test even before dist/ is committed.
 */
function hookRepo(): string {
  const dir = tmpDir('hook-repo-');
  execFileSync('git', ['clone', '-q', '--no-hardlinks', process.cwd(), dir]);
  if (!fs.existsSync('dist/cli.js')) execFileSync(process.execPath, ['scripts/build.mjs']);
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  for (const f of ['cli.js', 'main.js']) fs.copyFileSync(`dist/${f}`, path.join(dir, 'dist', f));
  fs.copyFileSync('.pre-commit-hooks.yaml', path.join(dir, '.pre-commit-hooks.yaml'));
  git(dir, 'add', '-f', 'dist/cli.js', 'dist/main.js', '.pre-commit-hooks.yaml');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'bundle under test');
  return dir;
}

const BAD = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n';
const APP = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: prod\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: "orders"\n    spec:\n      containers: [{ name: orders, image: ghcr.io/example/orders:1 }]\n';

describe('pre-commit hook definition', () => {
  it('passes every kind of file that discovery reads by default, so none escapes the hook', () => {
    const [hook] = parse(fs.readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Array<{ files: string }>;
    // One file name per extension of each default include pattern (`**/*.{crt,pem,key}` → a.crt, a.pem, a.key).
    const names = DEFAULT_INCLUDE.flatMap((glob) => {
      const ext = /\*\.(?:\{([^}]+)\}|(\w+))$/.exec(glob);
      return (ext?.[1] ?? ext?.[2] ?? '').split(',').map((e) => `templates/a.${e}`);
    });
    expect(names.length).toBeGreaterThanOrEqual(7);
    expect(names.filter((n) => !new RegExp(hook.files).test(n))).toEqual([]);
  });
});

describe.skipIf(!version)(`pre-commit hook (${version ?? 'pre-commit not installed'})`, () => {
  it('fails the commit on a bad staged manifest and passes once it is fixed', { timeout: 600_000 }, () => {
    const hooks = hookRepo();
    const work = tmpDir('precommit-work-');
    git(work, 'init', '-q');
    fs.mkdirSync(path.join(work, 'deploy'));
    fs.writeFileSync(path.join(work, 'deploy/app.yaml'), APP);
    fs.writeFileSync(path.join(work, 'deploy/statestore.yaml'), BAD);
    git(work, 'add', '-A');
    const env = { ...process.env, PRE_COMMIT_HOME: path.join(tmpDir('pre-commit-home-')), PRE_COMMIT_COLOR: 'never' };
    const bad = spawnSync('pre-commit', ['try-repo', hooks, 'dapr-policy', '--verbose'], { cwd: work, env, encoding: 'utf8' });
    const badOut = bad.stdout + bad.stderr;
    expect(bad.status, badOut).toBe(1);
    expect(badOut).toContain('DAPR101');
    expect(badOut).toContain('deploy/statestore.yaml');

    fs.writeFileSync(path.join(work, 'deploy/statestore.yaml'), `${BAD}scopes: [orders]\n`);
    git(work, 'add', '-A');
    const good = spawnSync('pre-commit', ['try-repo', hooks, 'dapr-policy', '--verbose'], { cwd: work, env, encoding: 'utf8' });
    expect(good.status, good.stdout + good.stderr).toBe(0);

    // A private key staged in a .key file reaches the hook (DAPR207).
    fs.mkdirSync(path.join(work, 'certs'));
    fs.copyFileSync(path.resolve('test/fixtures/rules/DAPR207/fires/certs/server.pem'), path.join(work, 'certs/server.key'));
    git(work, 'add', '-A');
    const key = spawnSync('pre-commit', ['try-repo', hooks, 'dapr-policy', '--verbose'], { cwd: work, env, encoding: 'utf8' });
    expect(key.status, key.stdout + key.stderr).toBe(1);
    expect(key.stdout + key.stderr).toContain('DAPR207');
  });
});
