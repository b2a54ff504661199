// Microsoft's SARIF validator with the rules GitHub applies when it ingests
// SARIF (GH1001-GH1007 and the rest, raised to Error by our policy file).
// Its exit code is 0 even when it finds problems, so its output file is read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../src/report/sarif.js';
import { fixtureTrees, scanDir, tmpDir } from './helpers.js';

const require = createRequire(import.meta.url);

function multitool(): string | undefined {
  try {
    const bin = require('@microsoft/sarif-multitool') as string;
    if (!fs.existsSync(bin)) return undefined;
    // npm 11 does not run the package's postinstall (chmod u+x): make sure it can run.
    fs.chmodSync(bin, 0o755);
    return bin;
  } catch {
    return undefined;
  }
}

const bin = multitool();

interface Finding {
  level: string;
  ruleId: string;
  message: { text?: string; arguments?: string[] };
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }>;
}

describe.skipIf(!bin)('SARIF Multitool with the GitHub ingestion rules', () => {
  it('finds no error and no warning in the SARIF of the example and of every fixture tree', { timeout: 600_000 }, () => {
    const out = tmpDir('multitool-');
    const trees = [path.resolve('examples/task-api'), ...fixtureTrees()];
    trees.forEach((tree, i) => {
      const r = scanDir(tree);
      const input = { results: r.results, notifications: r.notifications, rules: r.rules, filesScanned: r.model.files.length, executionSuccessful: r.executionSuccessful, root: r.model.root };
      fs.writeFileSync(path.join(out, `tree-${String(i).padStart(3, '0')}.sarif`), formatSarif(input, { includeSuppressed: i % 2 === 1 }));
    });
    const report = path.join(tmpDir('multitool-report-'), 'validation.sarif');
    // Spawned without a shell: `;` in --rule-kind would otherwise end the command.
    const run = spawnSync(bin as string, ['validate', path.join(out, '*.sarif'), '--config', 'test/sarif/github-ingestion.config.xml', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning', '--output', report], { encoding: 'utf8', timeout: 120_000 });
    expect(run.error).toBeUndefined();
    expect(fs.existsSync(report), run.stdout + run.stderr).toBe(true);
    const validation = JSON.parse(fs.readFileSync(report, 'utf8').replace(/^\uFEFF/, '')) as { runs: Array<{ results: Finding[]; artifacts?: unknown[] }> };
    const problems = validation.runs[0].results.map((f) => `${f.level} ${f.ruleId} ${f.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''}: ${f.message.text ?? (f.message.arguments ?? []).join(' | ')}`);
    expect(problems).toEqual([]);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('tree-')).length).toBe(trees.length);
  });

  it('catches what GitHub would reject (a result without a region)', () => {
    const out = tmpDir('multitool-bad-');
    const r = scanDir(path.resolve('examples/task-api'));
    const log = JSON.parse(formatSarif({ results: r.results, notifications: [], rules: r.rules, filesScanned: 1, executionSuccessful: true, root: r.model.root }, {}));
    delete log.runs[0].results[0].locations[0].physicalLocation.region;
    fs.writeFileSync(path.join(out, 'bad.sarif'), JSON.stringify(log));
    const report = path.join(tmpDir('multitool-report-'), 'validation.sarif');
    spawnSync(bin as string, ['validate', path.join(out, 'bad.sarif'), '--config', 'test/sarif/github-ingestion.config.xml', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning', '--output', report], { encoding: 'utf8', timeout: 120_000 });
    const validation = JSON.parse(fs.readFileSync(report, 'utf8').replace(/^\uFEFF/, '')) as { runs: Array<{ results: Finding[] }> };
    expect(validation.runs[0].results.map((f) => f.ruleId)).toContain('GH1003');
  });
});
