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

  it('never takes a Backstage kind: Component for a Dapr Component', () => {
    const backstage = result.model.instances.filter((i) => i.resource.group === 'backstage.io');
    expect(backstage.length).toBeGreaterThan(0);
    expect(backstage.every((i) => i.resource.type === 'other')).toBe(true);
    const files = new Set(backstage.map((i) => i.resource.pdoc.file.path));
    expect(result.results.filter((r) => files.has(r.location.file))).toEqual([]);
  });
});
