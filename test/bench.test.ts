// The benchmark's corpus generator (bench/corpus.ts): deterministic for a seed,
// different for another, and every violation it plants is one dapr-policy
// finds. No timings are asserted here: speed is measured by `npm run bench`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus, PLANTED_RULES, type CorpusManifest } from '../bench/corpus.js';
import { resolveConfig } from '../src/engine/config.js';
import { scan } from '../src/engine/run.js';
import { NOW, tmpDir } from './helpers.js';

/** Root-relative path → sha256 of the bytes, for every file under `dir`. */
function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const dirs: string[] = [];
function generate(apps: number, seed: number): { dir: string; manifest: CorpusManifest } {
  const dir = path.join(tmpDir('dapr-policy-bench-'), 'corpus');
  dirs.push(path.dirname(dir));
  return { dir, manifest: generateCorpus(dir, { apps, seed }) };
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('bench corpus generator', () => {
  const a = generate(3, 7);

  it('writes a GitOps tree with every kind of file it promises', () => {
    const files = [...treeDigest(a.dir).keys()];
    expect(a.manifest.files).toBe(files.length);
    expect(a.manifest.bytes).toBe(files.reduce((n, f) => n + fs.statSync(path.join(a.dir, f)).size, 0));
    for (const re of [/\/base\/kustomization\.yaml$/, /\/overlays\/prod\/components\.yaml$/, /\/overlays\/dev\/configuration\.yaml$/, /^legacy\/staging\//, /^clusters\/prod\/kustomization\.yaml$/, /^platform\/crds\//, /^platform\/monitoring\/dashboards\//, /^platform\/infra\//, /^charts\/common\/templates\//, /^rules\.config\.json$/]) {
      expect(files.some((f) => re.test(f)), String(re)).toBe(true);
    }
    const components = fs.readFileSync(path.join(a.dir, files.find((f) => f.endsWith('/overlays/prod/components.yaml')) as string), 'utf8');
    expect(components.split(/^---$/m).length).toBeGreaterThan(1);
  });

  it('is deterministic: the same seed gives a byte-identical tree', () => {
    const b = generate(3, 7);
    expect(treeDigest(b.dir)).toEqual(treeDigest(a.dir));
    expect(b.manifest).toEqual(a.manifest);
  });

  it('gives a different tree for a different seed', () => {
    const c = generate(3, 8);
    expect(treeDigest(c.dir)).not.toEqual(treeDigest(a.dir));
  });

  it('plants at least one violation of each rule, even at three apps', () => {
    for (const rule of PLANTED_RULES) {
      expect(a.manifest.planted[rule], rule).toBeGreaterThan(0);
      expect(a.manifest.plantedFiles[rule]).toHaveLength(a.manifest.planted[rule]);
    }
  });

  it('dapr-policy finds at least the planted violations, in the files they were planted in', () => {
    const result = scan({ root: a.dir, config: resolveConfig({ root: a.dir }), now: NOW });
    expect(result.executionSuccessful).toBe(true);
    for (const rule of PLANTED_RULES) {
      const found = result.results.filter((r) => r.ruleId === rule && !r.suppression);
      expect(found.length, rule).toBeGreaterThanOrEqual(a.manifest.planted[rule]);
      const files = new Set(found.map((r) => r.location.file));
      for (const f of a.manifest.plantedFiles[rule]) expect(files.has(f), `${rule} in ${f}`).toBe(true);
    }
  });
});
