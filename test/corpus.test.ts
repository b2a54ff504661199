// Reality check against real Dapr manifests from public repositories
// (../shared/corpus). Skipped when the corpus is absent (a fresh clone).
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../src/engine/run.js';
import { CORPUS, hasCorpus, scanDir } from './helpers.js';

describe.skipIf(!hasCorpus)('the shared corpus of real Dapr manifests', () => {
  let result: ScanResult;
  beforeAll(() => {
    result = scanDir(CORPUS);
  });

  it('scans without a rule failing', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(result.notifications.filter((n) => n.id === 'rule-failed')).toEqual([]);
    expect(result.model.files.length).toBeGreaterThan(900);
  });

  it('reports DAPR001 only for files that the yaml library itself rejects', () => {
    const syntax = result.results.filter((r) => r.ruleId === 'DAPR001').map((r) => r.location.file);
    for (const file of syntax) {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const errors = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []));
      expect(errors.length, `${file} parses with yaml but got DAPR001`).toBeGreaterThan(0);
    }
  });

  it('finds at least 400 unscoped Components (the corpus has over 600)', () => {
    expect(result.results.filter((r) => r.ruleId === 'DAPR101').length).toBeGreaterThanOrEqual(400);
  });

  it('never takes a Backstage kind: Component for a Dapr Component', async () => {
    // Without the pre-check, so that the Backstage documents are parsed and their classification is what is tested.
    const { scan } = await import('../src/engine/run.js');
    const { resolveConfig } = await import('../src/engine/config.js');
    const loaded = resolveConfig({ root: CORPUS });
    const full = scan({ root: CORPUS, config: { ...loaded, config: { ...loaded.config, precheck: false } } });
    const backstage = full.model.instances.filter((i) => i.resource.group === 'backstage.io');
    expect(backstage.length).toBeGreaterThan(0);
    expect(backstage.every((i) => i.resource.type === 'other')).toBe(true);
    const files = new Set(backstage.map((i) => i.resource.pdoc.file.path));
    expect(full.results.filter((r) => files.has(r.location.file))).toEqual([]);
    expect(result.results.filter((r) => files.has(r.location.file))).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)('the pre-check is never wrong', () => {
  it('gives the same findings on the whole corpus with and without it', async () => {
    const { scan } = await import('../src/engine/run.js');
    const { resolveConfig } = await import('../src/engine/config.js');
    const key = (r: { ruleId: string; location: { file: string; region: { startLine: number; startColumn: number } }; message: string; level: string }): string =>
      `${r.ruleId} ${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn} ${r.level} ${r.message}`;
    const loaded = resolveConfig({ root: CORPUS });
    const on = scan({ root: CORPUS, config: { ...loaded, config: { ...loaded.config, precheck: true } }, now: new Date('2026-11-28T12:00:00Z') });
    const off = scan({ root: CORPUS, config: { ...loaded, config: { ...loaded.config, precheck: false } }, now: new Date('2026-11-28T12:00:00Z') });
    expect(on.results.map(key)).toEqual(off.results.map(key));
    expect(on.model.parsed.filter((p) => p.skipped).length).toBeGreaterThan(0);
  });
});
