// The npm package: `npm pack` holds only what runs, and the bundled bin runs
// from the extracted tarball alone, with no node_modules anywhere above it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.js';
import { tmpDir } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm package', () => {
  let files: string[] = [];
  let tarball = '';
  beforeAll(() => {
    if (!fs.existsSync('dist/cli.js')) execFileSync(process.execPath, ['scripts/build.mjs']);
    const out = tmpDir('pack-');
    const json = execFileSync(npm, ['pack', '--json', '--pack-destination', out], { encoding: 'utf8' });
    const [info] = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info.files.map((f) => f.path).sort();
    tarball = path.join(out, info.filename);
  });

  it('contains only the bundled bin, the schemas, the rule docs, README, LICENSE and package.json', () => {
    const allowed = (f: string): boolean => ['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'dist/main.js', 'dist/parse-worker.js'].includes(f) || /^docs\/[\w/-]+\.md$/.test(f) || /^schema\/.+\.json$/.test(f);
    expect(files.filter((f) => !allowed(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/main.js', 'dist/parse-worker.js', 'schema/rules.config.schema.json', 'README.md', 'LICENSE', ...allRules.map((r) => `docs/rules/${r.meta.id}.md`)]));
  });

  it('runs from the extracted tarball without any installed dependency', () => {
    const dir = tmpDir('unpacked-');
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    const bin = path.join(dir, 'package', 'dist', 'cli.js');
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const version = spawnSync(process.execPath, [bin, '--version'], { cwd: dir, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'c.yaml'), 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n');
    const scan = spawnSync(process.execPath, [bin, repo, '-f', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(scan.status).toBe(1);
    expect(JSON.parse(scan.stdout).results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['DAPR101']);
  });
});
