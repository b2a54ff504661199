// Grant diff for pull requests: the base revision is read from git objects in
// a real repository with two commits; the working tree is never touched.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as runAction } from '../src/action/main.js';
import { discoverRevision } from '../src/engine/git.js';
import { cli, git, hits, scanDir, tmpDir, writeTree } from './helpers.js';

const comp = (name: string, scopes?: string[]): string =>
  `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n${scopes ? `scopes: [${scopes.join(', ')}]\n` : ''}`;
const app = (id: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${id}\n  namespace: shop\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: ${id}\n    spec:\n      containers: [{ name: a, image: a }]\n`;

/** A repository with two commits: base, then head; HEAD~1 is the base. */
function repo(): string {
  const dir = writeTree({ 'apps.yaml': [app('orders'), app('billing'), app('reports')].join('---\n'), 'state.yaml': comp('state', ['orders']), 'cache.yaml': comp('cache', ['billing']) });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  fs.writeFileSync(path.join(dir, 'state.yaml'), comp('state', ['orders', 'billing']));
  fs.writeFileSync(path.join(dir, 'events.yaml'), comp('events'));
  fs.rmSync(path.join(dir, 'cache.yaml'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'head');
  return dir;
}

describe('--base', () => {
  it('reports every grant the change adds as DAPR108, at the line that grants it', () => {
    const dir = repo();
    const result = scanDir(dir, { baseRef: 'HEAD~1' });
    expect(hits(result.results, 'DAPR108')).toEqual([
      { rule: 'DAPR108', file: 'events.yaml', line: 4, column: 9 },
      { rule: 'DAPR108', file: 'events.yaml', line: 4, column: 9 },
      { rule: 'DAPR108', file: 'events.yaml', line: 4, column: 9 },
      { rule: 'DAPR108', file: 'state.yaml', line: 10, column: 18 },
    ]);
    const messages = result.results.filter((r) => r.ruleId === 'DAPR108').map((r) => r.message);
    expect(messages).toContain('New access in this change: "billing" can now load Component "state" (state.redis) in namespace "shop" (this scope entry names it).');
    expect(messages).toContain('New access in this change: "reports" can now load Component "events" (state.redis) in namespace "shop" ("events" has no scopes, so every app there can).');
    expect(result.results.filter((r) => r.ruleId === 'DAPR108').every((r) => r.level === 'note')).toBe(true);
    // Without --base the rule is silent.
    expect(hits(scanDir(dir).results, 'DAPR108')).toEqual([]);
  });

  it('reads the base revision within maxTotalBytes, as the working tree, and never loads what the caps leave out', () => {
    const dir = repo();
    const all = discoverRevision({ root: dir, ref: 'HEAD~1', maxFileSize: 5 * 1024 * 1024 });
    expect(all.files.map((f) => f.path)).toEqual(['apps.yaml', 'cache.yaml', 'state.yaml']);
    expect(all.files.every((f) => f.content && f.content.length === f.size)).toBe(true);
    const size = (p: string): number => all.files.find((f) => f.path === p)?.size ?? 0;
    const capped = discoverRevision({ root: dir, ref: 'HEAD~1', maxFileSize: 5 * 1024 * 1024, maxTotalBytes: size('apps.yaml') + size('cache.yaml') });
    expect(capped.files.map((f) => f.path)).toEqual(['apps.yaml', 'cache.yaml']);
    expect(capped.files.map((f) => f.content?.toString('utf8'))).toEqual(all.files.slice(0, 2).map((f) => f.content?.toString('utf8')));
    expect(capped.notifications.map((n) => [n.id, n.file])).toEqual([['total-bytes-limit', 'state.yaml']]);
  });

  it('never touches the working tree or the index', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'uncommitted.yaml'), comp('draft'));
    const before = git(dir, 'status', '--porcelain=v1');
    const head = git(dir, 'rev-parse', 'HEAD');
    scanDir(dir, { baseRef: 'HEAD~1' });
    expect(git(dir, 'status', '--porcelain=v1')).toBe(before);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(fs.readFileSync(path.join(dir, 'uncommitted.yaml'), 'utf8')).toBe(comp('draft'));
  });

  it('matrix --base lists the grants added and removed, with the file and line that cause each', async () => {
    const dir = repo();
    const table = await cli(['matrix', '--base', 'HEAD~1'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      [
        'Grants changed since HEAD~1:',
        'CHANGE     NAMESPACE  APP-ID   GRANTED                         CAUSE',
        '+ added    shop       billing  Component events (state.redis)  events.yaml:4 (no scopes)',
        '+ added    shop       orders   Component events (state.redis)  events.yaml:4 (no scopes)',
        '+ added    shop       reports  Component events (state.redis)  events.yaml:4 (no scopes)',
        '+ added    shop       billing  Component state (state.redis)   state.yaml:10',
        '- removed  shop       billing  Component cache (state.redis)   cache.yaml:10',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cli(['matrix', '--base', 'HEAD~1', '-f', 'json'], dir)).stdout);
    expect(json.changes.filter((c: { change: string }) => c.change === 'removed')).toEqual([
      { change: 'removed', namespace: 'shop', appId: 'billing', kind: 'Component', name: 'cache', type: 'state.redis', grant: 'explicit', file: 'cache.yaml', region: { startLine: 10, startColumn: 10, endLine: 10, endColumn: 17 } },
    ]);
  });

  it('names a revision that does not exist, and a folder that is not a git repository', async () => {
    const dir = repo();
    const bad = await cli(['.', '--base', 'no-such-branch'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^dapr-policy: --base no-such-branch: /);
    const plain = writeTree({ 'a.yaml': comp('a') });
    expect((await cli(['.', '--base', 'HEAD'], plain)).code).toBe(2);
  });

  it('the Action takes base-ref and shows the diff in the job summary', () => {
    const dir = repo();
    const summary = path.join(tmpDir('summary-'), 'summary.md');
    let out = '';
    const code = runAction({ GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary, 'INPUT_BASE-REF': 'HEAD~1', 'INPUT_FAIL-ON': 'none' }, { stdout: (s) => (out += s) });
    expect(code).toBe(0);
    const md = fs.readFileSync(summary, 'utf8');
    expect(md).toContain('### Access changes');
    expect(md).toContain('| ➕ added | shop | billing | Component state (state.redis) | `state.yaml:10` |');
    expect(md).toContain('| ➖ removed | shop | billing | Component cache (state.redis) | `cache.yaml:10` |');
    expect(out).toContain('::notice file=state.yaml,line=10');
  });
});
