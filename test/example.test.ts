// The bundled example repository shows at least one finding of every rule
// family, exactly the deliberate mistakes its README lists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hits, scanDir } from './helpers.js';

describe('examples/task-api', () => {
  const result = scanDir(path.resolve('examples/task-api'));
  const found = hits(result.results.filter((r) => !r.suppression));

  it('has a finding from every rule family', () => {
    const families = new Set(found.map((h) => h.rule.slice(0, 5)));
    expect([...families].sort()).toEqual(['DAPR0', 'DAPR1', 'DAPR2', 'DAPR3', 'DAPR4', 'DAPR5']);
  });

  it('finds exactly the mistakes its README lists', () => {
    const readme = fs.readFileSync('examples/task-api/README.md', 'utf8');
    const listed = new Set<string>();
    for (const row of readme.matchAll(/^\| `([^`]+)` \| .* \| ([A-Z0-9, ]+) \|$/gm)) for (const id of row[2].split(/,\s*/)) listed.add(`${row[1]} ${id}`);
    expect(new Set(found.map((h) => `${h.file} ${h.rule}`))).toEqual(listed);
    expect(result.executionSuccessful).toBe(true);
    expect(result.notifications).toEqual([]);
  });
});
