// dist/ is committed: the Action runs dist/action.js and pre-commit and npx run
// dist/cli.js straight from the repository, with no build step. This test
// rebuilds into a temporary folder and fails when the committed files differ.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from './helpers.js';

describe('dist/', () => {
  it('is exactly what scripts/build.mjs builds from src/ (run `npm run build` and commit dist/ when this fails)', () => {
    const out = tmpDir('dist-');
    execFileSync(process.execPath, ['scripts/build.mjs', out]);
    const built = fs.readdirSync(out).sort();
    expect(built).toEqual(['action.js', 'cli.js', 'main.js', 'parse-worker.js']);
    expect(fs.readdirSync('dist').sort(), 'dist/ holds exactly the bundles').toEqual(built);
    for (const f of built) {
      const fresh = fs.readFileSync(path.join(out, f));
      const committed = fs.readFileSync(path.join('dist', f));
      expect(committed.equals(fresh), `dist/${f} is stale: run npm run build and commit dist/`).toBe(true);
    }
  }, 60_000);

  it('is tracked by git, so the Action and pre-commit run it without building', () => {
    const ignored = fs.readFileSync('.gitignore', 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).not.toContain('dist/');
    expect(ignored).not.toContain('dist');
  });
});
