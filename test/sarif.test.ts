// SARIF: every log the suite produces validates against the official 2.1.0
// schema, and carries what GitHub code scanning reads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSarif, FINGERPRINT_KEY, formatSarif, toUri } from '../src/report/sarif.js';
import type { ScanResult } from '../src/engine/run.js';
import { allRules } from '../src/rules/index.js';
import { fixtureTrees, scanDir, scanFiles } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

function sarifOf(result: ScanResult, includeSuppressed = false) {
  return buildSarif(
    { results: result.results, notifications: result.notifications, rules: result.rules, filesScanned: result.model.files.length, executionSuccessful: result.executionSuccessful, root: result.model.root },
    { includeSuppressed },
  );
}

describe('SARIF validates against the official 2.1.0 schema', () => {
  const trees = [path.resolve('examples/task-api'), ...fixtureTrees()];
  it.each(trees.map((t) => [path.relative(process.cwd(), t), t]))('%s', (_name, tree) => {
    const result = scanDir(tree);
    expect(sarifSchemaErrors(sarifOf(result))).toEqual([]);
    expect(sarifSchemaErrors(sarifOf(result, true))).toEqual([]);
  });

  it('the schema check can fail', () => {
    const log = sarifOf(scanDir(path.resolve('examples/task-api'))) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    log.runs[0].results[0].level = 'critical';
    expect(sarifSchemaErrors(log).length).toBeGreaterThan(0);
  });
});

describe('what GitHub code scanning reads', () => {
  const files = {
    'deploy/my app/statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n',
    'deploy/ok.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  # dapr-policy-disable-next-line DAPR101 -- shared\n  name: shared\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n',
  };
  const result = scanFiles(files);
  const log = sarifOf(result);
  const run = { ...log.runs[0], results: log.runs[0].results ?? [] };

  it('has one run, the full rule table and a stable tool identity', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('dapr-policy');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.newlineSequences).toEqual(['\r\n', '\n', '\r']);
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    for (const rule of run.tool.driver.rules ?? []) {
      expect(rule.shortDescription?.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription?.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help?.text.length).toBeGreaterThan(0);
      expect(rule.help?.markdown).toContain('## Incorrect');
      expect(rule.helpUri).toBe(`https://github.com/dapr-policy/dapr-policy/blob/main/docs/rules/${rule.id}.md`);
      expect(rule.properties?.tags).toContain('security');
      expect(typeof rule.properties?.['security-severity']).toBe('string');
      expect(rule.properties?.precision).toMatch(/^(very-high|high|medium|low)$/);
    }
  });

  it('gives each result its rule index, one location with a %SRCROOT% URI, a full region and our fingerprint', () => {
    const rules = run.tool.driver.rules ?? [];
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(rules[r.ruleIndex ?? -1].id).toBe(r.ruleId);
      expect(r.locations).toHaveLength(1);
      const pl = r.locations?.[0].physicalLocation;
      expect(pl?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      expect(Object.keys(pl?.region ?? {}).sort()).toEqual(['endColumn', 'endLine', 'startColumn', 'startLine']);
      expect(r.partialFingerprints?.[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}(:\d+)?$/);
    }
    expect(run.results.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri)).toContain('deploy/my%20app/statestore.yaml');
  });

  it('adds relatedLocations for cross-file and pair findings', () => {
    const dup = run.results.find((r) => r.ruleId === 'DAPR104');
    expect(dup?.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'deploy/my%20app/statestore.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 9, endLine: 4, endColumn: 19 } }, message: { text: 'the other definition' } },
    ]);
  });

  it('leaves suppressed results out unless asked, then marks them inSource with the justification', () => {
    expect(run.results.some((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri === 'deploy/ok.yaml')).toBe(false);
    const withSuppressed = (sarifOf(result, true).runs[0].results ?? []).find((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri === 'deploy/ok.yaml');
    expect(withSuppressed?.suppressions).toEqual([
      { kind: 'inSource', justification: 'shared', location: { physicalLocation: { artifactLocation: { uri: 'deploy/ok.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 52 } } } },
    ]);
  });

  it('reports skipped files as tool execution notifications', () => {
    const big = scanFiles({ 'big.yaml': `# ${'x'.repeat(3000)}\n` }, { maxFileSize: 1000 });
    const inv = sarifOf(big).runs[0].invocations?.[0];
    expect(inv?.executionSuccessful).toBe(true);
    expect(inv?.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: expect.stringMatching(/^Skipped big\.yaml: 2\.9 KB is over the 1000 bytes limit/) }, descriptor: { id: 'file-too-large' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'big.yaml', uriBaseId: '%SRCROOT%' } } }] },
    ]);
  });

  it('percent-encodes paths as URI references', () => {
    expect(toUri('a b/ü#1.yaml')).toBe('a%20b/%C3%BC%231.yaml');
  });
});

describe('determinism', () => {
  it('gives byte-identical SARIF for the same input, wherever the repository lives', () => {
    const a = scanDir(path.resolve('examples/task-api'));
    const copy = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'copy-'));
    fs.cpSync('examples/task-api', copy, { recursive: true });
    const b = scanDir(copy);
    const text = (r: ScanResult): string => formatSarif({ results: r.results, notifications: r.notifications, rules: r.rules, filesScanned: r.model.files.length, executionSuccessful: true, root: r.model.root }, {});
    expect(text(b)).toBe(text(a));
    expect(text(a)).not.toContain(path.resolve('.'));
  });
});

describe('GitHub limits', () => {
  it('keeps at most 25,000 results, the most severe first, and says how many were left out', async () => {
    const { MAX_RESULTS } = await import('../src/report/sarif.js');
    const base = scanFiles({ 'c.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n' });
    const template = base.results[0];
    const many = Array.from({ length: MAX_RESULTS + 10 }, (_, i) => ({ ...template, level: (i % 1000 === 0 ? 'error' : 'note') as 'error' | 'note', fingerprint: `f${i}`, location: { ...template.location, region: { ...template.location.region, startLine: i + 1, endLine: i + 1 } } }));
    const log = buildSarif({ results: many, notifications: [], rules: base.rules, filesScanned: 1, executionSuccessful: true, root: base.model.root }, {});
    const run = log.runs[0];
    expect(run.results).toHaveLength(MAX_RESULTS);
    expect(run.results?.filter((r) => r.level === 'error')).toHaveLength(26);
    expect(run.invocations?.[0].toolExecutionNotifications?.map((n) => n.descriptor?.id)).toEqual(['results-truncated']);
    expect(run.invocations?.[0].toolExecutionNotifications?.[0].message.text).toMatch(/^10 less severe results were left out/);
    const lines = run.results?.map((r) => r.locations?.[0].physicalLocation?.region?.startLine ?? 0) ?? [];
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
});
