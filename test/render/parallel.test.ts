// Renderers run several at a time (runToolMany): every job must come back in
// its place with exactly what runTool, one at a time, would have said.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTool, runToolMany, Scratch, type Tool } from '../../src/engine/render/binaries.js';
import { tmpDir } from '../helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.dispose());

/** A stand-in renderer: `tool <mode> <arg>` prints, fails, sleeps or floods. */
function fakeTool(): Tool {
  const file = path.join(tmpDir('fake-tool-'), 'tool');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  echo) sleep 0.$(( $2 % 3 )); printf "out %s in %s\\n" "$2" "$(pwd)" ;;',
      '  fail) echo "line one of $2" >&2; echo "line two" >&2; exit 3 ;;',
      '  sleep) sleep 5 ;;',
      '  flood) head -c 200000 /dev/zero | tr "\\0" x ;;',
      '  env) printf "%s" "$HOME" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { path: file, flavor: 'kustomize' };
}

describe.skipIf(process.platform === 'win32')('runToolMany', () => {
  const tool = fakeTool();
  const opts = { scratch, replace: [] as Array<[string, string]>, timeoutMs: 2000, maxOutput: 100_000 };

  it('returns every outcome in the order of the jobs, the same as runTool one at a time', () => {
    const cwd = tmpDir('cwd-');
    const jobs = [
      ...Array.from({ length: 7 }, (_, i) => ({ args: ['echo', String(i)], cwd })),
      { args: ['fail', 'x'], cwd },
      { args: ['env'], cwd },
      { args: ['echo', '99'], cwd: os.tmpdir() },
    ];
    const many = runToolMany(tool, jobs, opts);
    const one = jobs.map((j) => runTool(tool, j.args, { ...opts, cwd: j.cwd }));
    expect(many).toEqual(one);
    const real = fs.realpathSync(cwd);
    expect(many.slice(0, 7).map((o) => o.stdout)).toEqual(Array.from({ length: 7 }, (_, i) => `out ${i} in ${real}\n`));
    expect(many[7]).toEqual({ ok: false, stdout: '', reason: 'tool exited with code 3: line one of x / line two' });
    // The scratch environment, not the caller's.
    expect(many[8].stdout).toBe(path.join(scratch.dir, 'home'));
  });

  it('stops a job at its timeout and one that prints too much, and still returns the others', () => {
    const cwd = tmpDir('cwd-');
    const many = runToolMany(tool, [{ args: ['sleep'], cwd }, { args: ['flood'], cwd }, { args: ['echo', '1'], cwd }], opts);
    expect(many[0]).toEqual({ ok: false, stdout: '', reason: 'tool did not finish within 2 s and was stopped' });
    expect(many[1].ok).toBe(false);
    expect(many[1].reason).toMatch(/^tool printed more than \d+ MB and was stopped$/);
    expect(many[2]).toEqual({ ok: true, stdout: `out 1 in ${fs.realpathSync(cwd)}\n` });
  });

  it('reports a binary that cannot be started, as runTool does', () => {
    const missing: Tool = { path: path.join(tmpDir(), 'no-such-tool'), flavor: 'kustomize' };
    const jobs = [{ args: ['x'], cwd: os.tmpdir() }, { args: ['y'], cwd: os.tmpdir() }];
    const many = runToolMany(missing, jobs, opts);
    expect(many).toEqual(jobs.map((j) => runTool(missing, j.args, { ...opts, cwd: j.cwd })));
    expect(many[0].reason).toBe('no-such-tool could not be run (ENOENT)');
  });
});
