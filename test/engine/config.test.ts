// rules.config.json: discovery order, validation errors that name the file,
// the JSON path and what was expected, and level precedence.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/engine/config.js';
import { effectiveLevel } from '../../src/engine/policy.js';
import { DEFAULT_CONFIG } from '../../src/engine/config-types.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles, writeTree } from '../helpers.js';

function configError(config: unknown): string {
  const dir = writeTree({ 'rules.config.json': JSON.stringify(config) });
  try {
    resolveConfig({ root: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config validation', () => {
  it('names the file, the JSON path and what was expected', () => {
    expect(configError({ rules: { DAPR101: 'fatal' } })).toContain('rules.config.json: /rules/DAPR101: expected one of "error", "warning", "note", "off", "default", got "fatal"');
    expect(configError({ rules: { DAPR999: 'error' } })).toContain('rules.config.json: /rules/DAPR999: unknown rule "DAPR999"');
    expect(configError({ defaultNamespce: 'x' })).toContain('rules.config.json: /defaultNamespce: unknown field "defaultNamespce"');
    expect(configError({ knownAppIds: 'task-api' })).toContain('rules.config.json: /knownAppIds: expected array, got "task-api"');
    expect(configError({ certificateExpiryDays: -1 })).toContain('rules.config.json: /certificateExpiryDays: expected a value that must be >= 0, got number -1');
    expect(configError({ rules: { DAPR101: { environments: { prod: 'error' } } } })).toContain('/rules/DAPR101/environments/prod: unknown field "prod"');
  });

  it('rejects a file that is not JSON', () => {
    const dir = writeTree({ 'rules.config.json': '{ "rules": ' });
    expect(() => resolveConfig({ root: dir })).toThrow(/rules\.config\.json: not valid JSON/);
  });

  it('accepts rule names as keys and the recommended config as written by init', () => {
    const dir = writeTree({ 'rules.config.json': fs.readFileSync('rules.config.json', 'utf8') });
    expect(resolveConfig({ root: dir }).config.rules.DAPR101).toMatchObject({ level: 'default' });
    const byName = writeTree({ 'rules.config.json': JSON.stringify({ rules: { 'component-unscoped': 'off' } }) });
    expect(resolveConfig({ root: byName }).config.rules['component-unscoped']).toBe('off');
  });
});

describe('config discovery', () => {
  it('uses --config, else the root, else the nearest parent up to the git root, else defaults', () => {
    const dir = writeTree({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/rules.config.json': '{"defaultNamespace":"from-repo"}', 'repo/deploy/x.yaml': '', 'other.json': '{"defaultNamespace":"explicit"}', 'rules.config.json': '{"defaultNamespace":"outside-git"}' });
    expect(resolveConfig({ root: path.join(dir, 'repo/deploy') }).config.defaultNamespace).toBe('from-repo');
    expect(resolveConfig({ root: path.join(dir, 'repo'), explicit: path.join(dir, 'other.json') }).config.defaultNamespace).toBe('explicit');
    fs.rmSync(path.join(dir, 'repo/rules.config.json'));
    // The search stops at the git root: the file above it is not this repository's.
    expect(resolveConfig({ root: path.join(dir, 'repo/deploy') }).config.defaultNamespace).toBe('default');
  });

  it('a missing --config file is an error', () => {
    expect(() => resolveConfig({ root: '.', explicit: 'nope.json' })).toThrow(/nope\.json: config file not found/);
  });
});

describe('levels', () => {
  const meta = findRule('DAPR101')!.meta;
  it('follows entry for the environment, then entry level, then the catalog column, then the default', () => {
    const cfg = (rules: Record<string, unknown>) => ({ ...DEFAULT_CONFIG, rules: rules as typeof DEFAULT_CONFIG.rules });
    expect(effectiveLevel(meta, 'production', cfg({}))).toBe('error');
    expect(effectiveLevel(meta, 'non-production', cfg({}))).toBe('note');
    expect(effectiveLevel(meta, 'unclassified', cfg({}))).toBe('warning');
    expect(effectiveLevel(meta, 'production', cfg({ DAPR101: 'note' }))).toBe('note');
    expect(effectiveLevel(meta, 'production', cfg({ DAPR101: { level: 'note', environments: { production: 'warning' } } }))).toBe('warning');
    expect(effectiveLevel(meta, 'non-production', cfg({ 'component-unscoped': { environments: { production: 'warning' } } }))).toBe('note');
    expect(effectiveLevel(meta, 'production', cfg({ DAPR101: 'default' }))).toBe('error');
  });

  it('"off" removes findings', () => {
    const files = { 'c.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n' };
    expect(scanFiles(files).results.map((r) => r.ruleId)).toEqual(['DAPR101']);
    expect(scanFiles(files, { rules: { DAPR101: 'off' } }).results).toEqual([]);
  });
});
