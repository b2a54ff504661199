// Assertions shared by the credential and transport rule tests: the text a
// finding highlights, and that no secret leaks into a message or the SARIF log.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import type { ScanResult } from '../../src/engine/run.js';
import { formatSarif } from '../../src/report/sarif.js';

/** The characters a one-line finding highlights (its SARIF region), read from the scanned file. */
export function highlighted(scan: ScanResult, r: Result): string {
  const { startLine, startColumn, endLine, endColumn } = r.location.region;
  const lines = fs.readFileSync(path.join(scan.model.root, r.location.file), 'utf8').split('\n');
  if (startLine === endLine) return lines[startLine - 1].slice(startColumn - 1, endColumn - 1);
  const middle = lines.slice(startLine, endLine - 1);
  return [lines[startLine - 1].slice(startColumn - 1), ...middle, lines[endLine - 1].slice(0, endColumn - 1)].join('\n');
}

/** Every substring of `secret` at least `min` characters long (all of it when shorter). */
function pieces(secret: string, min: number): string[] {
  if (secret.length <= min) return [secret];
  const out: string[] = [];
  for (let i = 0; i + min <= secret.length; i++) out.push(secret.slice(i, i + min));
  return out;
}

/**
 * No part of any secret (5 characters or more) appears in the message or a
 * related label of a result of `ruleIds`, nor anywhere in the SARIF log of
 * those results (rule descriptors included). Other rules' results are theirs
 * to check.
 */
export function expectNoSecretLeak(scan: ScanResult, ruleIds: readonly string[], secrets: readonly string[]): void {
  const results = scan.results.filter((r) => ruleIds.includes(r.ruleId));
  expect(results.length).toBeGreaterThan(0);
  const sarif = formatSarif({ results, notifications: scan.notifications, rules: scan.rules, filesScanned: scan.model.files.length, executionSuccessful: true, root: scan.model.root }, {});
  for (const secret of secrets) {
    for (const piece of pieces(secret, 5)) {
      for (const r of results) {
        expect(r.message, `${r.ruleId} ${r.location.file}:${r.location.region.startLine}`).not.toContain(piece);
        for (const rel of r.related) expect(rel.label ?? '').not.toContain(piece);
      }
      expect(sarif.includes(piece), `SARIF contains "${piece}"`).toBe(false);
    }
  }
}
