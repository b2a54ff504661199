// Docs pages, the config schema and the recommended config are generated from
// rule metadata; a stale committed copy fails here (run `npm run generate`).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../scripts/generate.js';
import { allRules } from '../src/rules/index.js';

describe('generated files', () => {
  const files = generatedFiles();
  for (const [file, content] of files) {
    it(`${file} is up to date`, () => {
      expect(fs.existsSync(file), `${file} is missing: run npm run generate`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${file} is stale: run npm run generate`).toBe(content);
    });
  }
  it('every rule has a docs page and no page is orphaned', () => {
    const pages = fs.readdirSync('docs/rules').filter((f) => f.endsWith('.md')).sort();
    expect(pages).toEqual(allRules.map((r) => `${r.meta.id}.md`).sort());
  });
});
