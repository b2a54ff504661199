// The GitHub Action's logic, called the way the runner calls it: inputs as
// INPUT_* variables, outputs and the job summary as files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_LEVEL, run } from '../src/action/main.js';
import { tmpDir, writeTree } from './helpers.js';

const comp = (name: string, ns: string): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n`;

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(\S+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

function action(workspace: string, inputs: Record<string, string>) {
  const state = tmpDir('action-state-');
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(state, 'output'),
    GITHUB_STEP_SUMMARY: path.join(state, 'summary.md'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'abc123',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  let stdout = '';
  const code = run(env, { stdout: (s) => (stdout += s) });
  const summary = fs.existsSync(env.GITHUB_STEP_SUMMARY) ? fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8') : '';
  const outputs = fs.existsSync(env.GITHUB_OUTPUT) ? readOutputs(env.GITHUB_OUTPUT) : {};
  return { code, stdout, summary, outputs };
}

describe('the GitHub Action', () => {
  it('writes SARIF, outputs, a job summary with links and the access matrix, and fails on errors', () => {
    const repo = writeTree({ '.git/HEAD': 'ref\n', 'prod/statestore.yaml': comp('statestore', 'prod') });
    const r = action(repo, { 'sarif-file': 'out/scan.sarif' });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ 'sarif-file': 'out/scan.sarif', errors: '1', warnings: '0', notes: '0' });
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'out/scan.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['DAPR101']);
    expect(r.summary).toContain('## dapr-policy: Dapr security findings');
    expect(r.summary).toContain('| DAPR101 component-unscoped | 1 | 🔴 error |');
    expect(r.summary).toContain('[prod/statestore.yaml:4](https://github.com/acme/shop/blob/abc123/prod/statestore.yaml#L4)');
    expect(r.summary).toContain('### Access matrix');
    expect(r.stdout).toContain('::error file=prod/statestore.yaml,line=4,endLine=4,col=9,endColumn=19,title=DAPR101 component-unscoped::Component "statestore"');
    expect(r.stdout).toMatch(/::error title=dapr-policy::1 finding\(s\) at or above "error"/);
  });

  it('passes with fail-on none, and can skip annotations and the summary', () => {
    const repo = writeTree({ 'prod/statestore.yaml': comp('statestore', 'prod') });
    const r = action(repo, { 'fail-on': 'none', annotations: 'false', summary: 'false' });
    expect(r.code).toBe(0);
    expect(r.summary).toBe('');
    expect(r.stdout).not.toContain('::error');
    expect(fs.existsSync(path.join(repo, 'dapr-policy.sarif'))).toBe(true);
  });

  it('annotates at most 10 findings per level, the most severe first', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 14; i++) files[`prod/c${String(i).padStart(2, '0')}.yaml`] = comp(`c${i}`, 'prod');
    for (let i = 0; i < 12; i++) files[`other/c${String(i).padStart(2, '0')}.yaml`] = comp(`o${i}`, 'team');
    const r = action(writeTree(files), {});
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));
    expect(annotations.filter((l) => l.startsWith('::error')).length).toBe(ANNOTATIONS_PER_LEVEL);
    expect(annotations.filter((l) => l.startsWith('::warning')).length).toBe(ANNOTATIONS_PER_LEVEL);
    expect(r.outputs.errors).toBe('14');
    expect(r.outputs.warnings).toBe('12');
  });

  it('reports bad inputs as an error annotation with exit code 2', () => {
    const repo = writeTree({ 'a.yaml': comp('a', 'x') });
    expect(action(repo, { 'fail-on': 'critical' })).toMatchObject({ code: 2, stdout: expect.stringContaining('::error title=dapr-policy::Input "fail-on": expected one of error, warning, note, none, got "critical".') });
    expect(action(repo, { annotations: 'yes' })).toMatchObject({ code: 2, stdout: expect.stringContaining('Input "annotations": expected true or false, got "yes".') });
    expect(action(repo, { path: 'missing' }).code).toBe(2);
  });

  it('action.yml declares every input the Action reads and runs on node24 from dist/action.js', () => {
    const yml = fs.readFileSync('action.yml', 'utf8');
    expect(yml).toMatch(/runs:\n {2}using: node24\n {2}main: dist\/action\.js/);
    const source = fs.readFileSync('src/action/main.ts', 'utf8');
    const read = [...source.matchAll(/(?:getInput|getBooleanInput|choice<\w+>)\(env, '([\w-]+)'/g)].map((m) => m[1]);
    for (const name of new Set(read)) expect(yml, `input ${name}`).toMatch(new RegExp(`\\n  ${name}:\\n`));
  });
});
