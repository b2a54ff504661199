// DAPR001 yaml-syntax: a scanned file that does not parse, is binary, or is
// not valid UTF-8; one finding per file at the position the parser reports.
// Documents before the error, and the rest of the repository, are still checked.
import { describe, expect, it } from 'vitest';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR001';

describe('DAPR001 yaml-syntax', () => {
  const fires = scanFixture('rules/DAPR001/fires');
  const results = of(fires, ID);
  const byFile = (file: string): string | undefined => results.find((r) => r.location.file === file)?.message;

  it('points at the position the parser reports, once per file', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      // gzip archive: magic 1f 8b 08, then the NUL byte (the 4th character)
      { rule: ID, file: 'deploy/binary.yaml', line: 1, column: 4 },
      // the second `scopes` key
      { rule: ID, file: 'deploy/duplicate.yaml', line: 16, column: 1 },
      // the Latin-1 é of "café"
      { rule: ID, file: 'deploy/latin1.yaml', line: 7, column: 30 },
      // JSON manifest: the key after the missing comma
      { rule: ID, file: 'deploy/service.json', line: 5, column: 3 },
      // `scopes: [checkout` never closed: reported where the next key starts
      { rule: ID, file: 'deploy/statestore.yaml', line: 19, column: 1 },
      // the tab that indents `name`
      { rule: ID, file: 'deploy/tabs.yaml', line: 4, column: 1 },
      // ` version: v1`, one column short of its siblings
      { rule: ID, file: 'production/statestore.yaml', line: 8, column: 1 },
    ]);
  });

  it('is an error in every environment', () => {
    expect(results.map((r) => r.level)).toEqual(Array(7).fill('error'));
    expect(results.map((r) => r.environments[0])).toEqual([...Array(6).fill('unclassified'), 'production']);
  });

  it('says what is wrong', () => {
    expect(byFile('deploy/binary.yaml')).toBe('Not valid YAML: File contains a NUL byte: it is binary, not YAML. It was not checked.');
    expect(byFile('deploy/latin1.yaml')).toBe(
      'Not valid YAML: File is not valid UTF-8 (first invalid byte here); Kubernetes rejects it. The rest of the file was read with the invalid bytes replaced.',
    );
    expect(byFile('deploy/duplicate.yaml')).toContain('Map keys must be unique');
    expect(byFile('deploy/tabs.yaml')).toContain('Tabs are not allowed as indentation');
    expect(byFile('deploy/service.json')).toContain('Missing , between flow map items');
    expect(byFile('deploy/statestore.yaml')).toContain('Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(byFile('production/statestore.yaml')).toMatch(/^Not valid YAML: All mapping items must start at the same column\. \(production\)$/);
  });

  it('still checks the documents before the error and the rest of the repository', () => {
    // deploy/statestore.yaml: the first document (unscoped "statestore") is checked; the broken "pubsub" is not trusted
    expect(hits(of(fires, 'DAPR101'))).toEqual([{ rule: 'DAPR101', file: 'deploy/statestore.yaml', line: 4, column: 9 }]);
    expect(fires.model.ofType('component').map((c) => c.resource.name)).toEqual(['statestore']);
  });

  it('still reports binary content and invalid UTF-8 in files the pre-check does not parse', () => {
    expect(fires.model.parsed.filter((p) => p.skipped).map((p) => p.file.path)).toEqual(['deploy/binary.yaml', 'deploy/latin1.yaml', 'rules.config.json']);
    expect(hits(results).filter((h) => h.file === 'deploy/binary.yaml' || h.file === 'deploy/latin1.yaml').length).toBe(2);
  });

  it('does not fire on Helm templates, non-manifest JSON, comment-only files, BOMs or UTF-16', () => {
    const passes = scanFixture('rules/DAPR001/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the UTF-16 and BOM files were read as manifests (plain ConfigMaps: this fixture turns the pre-check off),
    // and the chart's templates were seen but not parsed
    expect(passes.model.ofType('configmap').map((c) => c.resource.name).sort()).toEqual(['legacy', 'welcome']);
    expect(passes.model.files.filter((f) => f.kind === 'helm-template').map((f) => f.path)).toEqual([
      'charts/orders/templates/_helpers.tpl',
      'charts/orders/templates/deployment.yaml',
    ]);
  });
});
