// Hostile input: what an untrusted pull request can put in front of the scan.
// Each case asserts the outcome: the scan finishes (vitest's per-test timeout
// is the hang guard; README "Limits" documents the bounds, no test times
// anything), the process stays under a memory ceiling, the problem is reported
// where it is, and the rest of the repository is still checked.
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/engine/config.js';
import type { Result } from '../src/engine/policy.js';
import type { ScanResult } from '../src/engine/run.js';
import type { Notification } from '../src/engine/types.js';
import { FORMATS } from '../src/report/index.js';
import { cli, hits, NOW, scanDir, writeTree } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

const COMPONENT = (name = 'statestore'): string => `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n`;
/** DAPR101 on the good Component beside every hostile file: nothing else was lost. */
const GOOD_HIT = { rule: 'DAPR101', file: 'good/statestore.yaml', line: 4, column: 9 };

/**
 * The memory ceiling of this test file's process (peak RSS). Every case here
 * would pass it many times over if it expanded what it should not (an alias
 * bomb is 9^9 nodes; a 10 MB string copied per finding is gigabytes).
 */
const MAX_RSS_BYTES = 2 * 1024 ** 3;
afterEach(() => {
  expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(MAX_RSS_BYTES);
});

function scanWithGood(bad: Record<string, string | Buffer>, config?: Record<string, unknown>): { dir: string; result: ScanResult } {
  const dir = writeTree({ 'good/statestore.yaml': COMPONENT(), ...bad }, config);
  const result = scanDir(dir);
  expect(result.executionSuccessful).toBe(true);
  expect(hits(result.results, 'DAPR101').filter((h) => h.file === 'good/statestore.yaml')).toEqual([GOOD_HIT]);
  return { dir, result };
}

/** Every format of a scan, as the CLI writes them. */
function allFormats(result: ScanResult, root: string): Record<string, string> {
  const input = { results: result.results, notifications: result.notifications, rules: result.rules, filesScanned: result.model.files.length, executionSuccessful: result.executionSuccessful, root };
  const out: Record<string, string> = {};
  for (const [name, format] of Object.entries(FORMATS)) out[name] = format(input, { cwd: root, color: true, includeSuppressed: true });
  return out;
}

const byId = (ns: readonly Notification[], id: string): Notification[] => ns.filter((n) => n.id === id);
const regionOf = (n: Notification | Result): string => {
  const r = 'location' in n ? n.location.region : n.region;
  return r ? `${r.startLine}:${r.startColumn}` : 'none';
};

/** Records every attempt to open a socket or resolve a name while `fn` runs. */
async function withoutNetwork<T>(fn: () => Promise<T> | T): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const refuse = (what: string): Error => {
    attempts.push(what);
    return new Error(`network access during a scan: ${what}`);
  };
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    throw refuse(`connect ${JSON.stringify(args[0])}`);
  } as typeof connect;
  dns.lookup = ((host: string) => {
    throw refuse(`lookup ${host}`);
  }) as unknown as typeof dns.lookup;
  dns.promises.lookup = ((host: string) => Promise.reject(refuse(`lookup ${host}`))) as typeof dns.promises.lookup;
  try {
    return { value: await fn(), attempts };
  } finally {
    net.Socket.prototype.connect = connect;
    dns.lookup = lookup;
    dns.promises.lookup = promisesLookup;
  }
}

describe('YAML built to exhaust the parser', () => {
  it('an alias bomb (billion laughs) is refused without being expanded, and located', () => {
    const names = 'abcdefghi'.split('');
    const lines = [`a: &a [${Array(9).fill('"lol"').join(', ')}]`];
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
    // The trailing comment is a Dapr marker: without one the pre-check would not parse the file at all.
    const { result } = scanWithGood({ 'bad/bomb.yaml': `${lines.join('\n')}\n# dapr\n` });
    expect(hits(result.results, 'DAPR001')).toEqual([{ rule: 'DAPR001', file: 'bad/bomb.yaml', line: 2, column: 8 }]);
    const [n] = byId(result.notifications, 'alias-limit');
    expect(n).toMatchObject({ file: 'bad/bomb.yaml', level: 'warning', region: { startLine: 2, startColumn: 8 } });
    expect(n.message).toContain('config "maxAliasCount"');
  });

  it('a merge-key bomb (each map merging the one before it nine times) is refused the same way', () => {
    const lines = ['a0: &a0 { x: 1 }'];
    for (let i = 1; i <= 12; i++) lines.push(`a${i}: &a${i} { <<: [${Array(9).fill(`*a${i - 1}`).join(', ')}] }`);
    lines.push('apiVersion: dapr.io/v1alpha1', 'kind: Component', 'metadata:', '  name: merged', '  <<: *a12');
    const { result } = scanWithGood({ 'bad/merge.yaml': `${lines.join('\n')}\n` });
    expect(byId(result.notifications, 'alias-limit').map((n) => n.file)).toEqual(['bad/merge.yaml']);
  });

  it('a 10 MB single-line string over the size cap is skipped and reported', () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const { result } = scanWithGood({ 'bad/big.yaml': big });
    expect(byId(result.notifications, 'file-too-large')).toEqual([expect.objectContaining({ file: 'bad/big.yaml', level: 'warning' })]);
  });

  it('a 10 MB single-line credential under a raised size cap is checked, located, and never echoed', () => {
    const secret = `S3cr3t${'k'.repeat(10 * 1024 * 1024)}`;
    const text = `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: redis\nspec:\n  type: state.redis\n  version: v1\n  metadata:\n  - name: redisPassword\n    value: "${secret}"\nscopes: [a]\n`;
    const { dir, result } = scanWithGood({ 'bad/huge.yaml': text }, { maxFileSize: 32 * 1024 * 1024 });
    const own = result.results.filter((r) => r.location.file === 'bad/huge.yaml');
    expect(own.map((r) => r.ruleId)).toContain('DAPR201');
    const d201 = own.find((r) => r.ruleId === 'DAPR201') as Result;
    expect(d201.location.region).toMatchObject({ startLine: 10, startColumn: 12, endLine: 10 });
    for (const [format, out] of Object.entries(allFormats(result, dir))) {
      expect(out.length, format).toBeLessThan(2 * 1024 * 1024);
      expect(out, format).not.toContain('kkkkkkkkkkkkkkkk');
    }
  });

  it('10,000 documents in one file are read up to maxDocumentsPerFile, and the rest is reported from its first line', () => {
    const docs = Array.from({ length: 10_000 }, (_, i) => COMPONENT(`c${i}`)).join('---\n');
    const { result } = scanWithGood({ 'bad/many.yaml': docs }, { maxDocumentsPerFile: 5_000 });
    expect(result.results.filter((r) => r.location.file === 'bad/many.yaml' && r.ruleId === 'DAPR101')).toHaveLength(5_000);
    const [n] = byId(result.notifications, 'documents-limit');
    // Documents are 8 lines, each after the first opened by a `---` line: document 5,001 opens on line 5,000 × 9.
    expect(n).toMatchObject({ file: 'bad/many.yaml', region: { startLine: 5_000 * 9, startColumn: 1 } });
    expect(n.message).toContain('config "maxDocumentsPerFile"');
  });

  it('10,000 documents within the default limit are all checked', () => {
    const docs = Array.from({ length: 10_000 }, (_, i) => COMPONENT(`c${i}`)).join('---\n');
    const { result } = scanWithGood({ 'bad/many.yaml': docs });
    expect(result.results.filter((r) => r.location.file === 'bad/many.yaml' && r.ruleId === 'DAPR101')).toHaveLength(10_000);
    expect(byId(result.notifications, 'documents-limit')).toEqual([]);
  });

  const blockNest = (levels: number): string => {
    let out = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dapr-deep\ndata:\n';
    for (let i = 0; i < levels; i++) out += `${' '.repeat(2 * i + 2)}k${i}:\n`;
    return `${out}${' '.repeat(2 * levels + 2)}leaf\n`;
  };

  it('1,000 levels of block nesting are reported at the first level too deep; nothing overflows the stack', () => {
    const { result } = scanWithGood({ 'bad/deep.yaml': blockNest(1_000) });
    expect(hits(result.results, 'DAPR001')).toEqual([]);
    const [n] = byId(result.notifications, 'depth-limit');
    // The root map is level 1, data's map level 2: level 101 is the map under k98, on line 5 + 99 + 1.
    expect(n).toMatchObject({ file: 'bad/deep.yaml', region: { startLine: 105, startColumn: 2 * 99 + 3 } });
    expect(n.message).toContain('config "maxDepth"');
  });

  it('1,000 and 200,000 levels of flow nesting are reported, not composed', () => {
    // yaml's composer runs out of stack near 800 levels; the parser before it is linear (README "Limits").
    const { result } = scanWithGood({ 'bad/flow.yaml': `x: ${'['.repeat(1_000)}${']'.repeat(1_000)}\n# dapr\n`, 'bad/flow-huge.yaml': `${'['.repeat(200_000)}${']'.repeat(200_000)}\n# dapr\n` });
    expect(hits(result.results, 'DAPR001')).toEqual([]);
    expect(byId(result.notifications, 'depth-limit').map((n) => `${n.file} ${regionOf(n)}`)).toEqual(['bad/flow-huge.yaml 1:101', 'bad/flow.yaml 1:103']);
  });

  it('the same bombs without anything a rule reads are not parsed at all: no finding, no notification', () => {
    const names = 'abcdefghi'.split('');
    const lines = [`a: &a [${Array(9).fill('"lol"').join(', ')}]`];
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
    const { result } = scanWithGood({ 'bad/bomb.yaml': `${lines.join('\n')}\n`, 'bad/flow.yaml': `${'['.repeat(200_000)}${']'.repeat(200_000)}\n` });
    expect(result.results.filter((r) => r.location.file.startsWith('bad/'))).toEqual([]);
    expect(result.notifications).toEqual([]);
    expect(result.model.parsed.filter((p) => p.file.path.startsWith('bad/')).map((p) => p.skipped)).toEqual([true, true]);
  });

  it('a raised maxDepth reads 400 levels of nesting without running out of stack', () => {
    const { result } = scanWithGood({ 'bad/deep.yaml': blockNest(400) }, { maxDepth: 500 });
    expect(result.notifications).toEqual([]);
    expect(result.results.filter((r) => r.location.file === 'bad/deep.yaml')).toEqual([]);
  });

  it('a maxDepth the parser could not honour is a configuration error', () => {
    const dir = writeTree({ 'a.yaml': COMPONENT() }, { maxDepth: 100_000 });
    expect(() => resolveConfig({ root: dir })).toThrow(/\/maxDepth: expected a value that must be <= 500/);
  });
});

describe('bytes that are not UTF-8 YAML', () => {
  it('invalid UTF-8 is one DAPR001 at the first bad byte; the rest of the file is still read', () => {
    const text = Buffer.concat([Buffer.from('apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  labels: { a: "'), Buffer.from([0xc3, 0x28]), Buffer.from('" }\nspec:\n  type: state.redis\n  version: v1\n')]);
    const { result } = scanWithGood({ 'bad/latin1.yaml': text });
    const own = hits(result.results.filter((r) => r.location.file === 'bad/latin1.yaml'));
    // `  labels: { a: "` is 16 characters: the bad byte is column 17.
    expect(own).toContainEqual({ rule: 'DAPR001', file: 'bad/latin1.yaml', line: 5, column: 17 });
    expect(own).toContainEqual({ rule: 'DAPR101', file: 'bad/latin1.yaml', line: 4, column: 9 });
  });

  for (const [name, bom, encode] of [
    ['UTF-16 LE', [0xff, 0xfe], (s: string) => Buffer.from(s, 'utf16le')],
    ['UTF-16 BE', [0xfe, 0xff], (s: string) => Buffer.from(s, 'utf16le').swap16()],
  ] as const) {
    it(`${name} with a BOM is decoded and located like UTF-8`, () => {
      const { result } = scanWithGood({ 'bad/utf16.yaml': Buffer.concat([Buffer.from(bom), encode(COMPONENT('wide'))]) });
      expect(hits(result.results.filter((r) => r.location.file === 'bad/utf16.yaml'))).toEqual([{ rule: 'DAPR101', file: 'bad/utf16.yaml', line: 4, column: 9 }]);
    });
  }

  it('a NUL byte makes the file binary: one DAPR001 where it is', () => {
    const { result } = scanWithGood({ 'bad/nul.yaml': Buffer.from(`${COMPONENT('n')}  x: "a\u0000b"\n`) });
    // `  x: "a` is 7 characters: the NUL is column 8 of line 9.
    expect(hits(result.results.filter((r) => r.location.file === 'bad/nul.yaml'))).toEqual([{ rule: 'DAPR001', file: 'bad/nul.yaml', line: 9, column: 8 }]);
  });

  it('CRLF and mixed line endings keep lines and UTF-16 columns right', () => {
    const crlf = COMPONENT('crlf-store').replace(/\n/g, '\r\n');
    // CRLF on every other line; the file still ends in a plain LF.
    const mixed = COMPONENT('mixed-store')
      .split('\n')
      .map((l, i, all) => (i % 2 === 0 && i < all.length - 1 ? `${l}\r` : l))
      .join('\n');
    const { result } = scanWithGood({ 'bad/crlf.yaml': crlf, 'bad/mixed.yaml': mixed, 'bad/unicode.yaml': COMPONENT('ünïcödé-😀').replace(/\n/g, '\r\n') });
    const regions = result.results.filter((r) => r.location.file.startsWith('bad/')).map((r) => `${r.location.file} ${r.ruleId} ${JSON.stringify(r.location.region)}`);
    expect(regions).toEqual([
      'bad/crlf.yaml DAPR101 {"startLine":4,"startColumn":9,"endLine":4,"endColumn":19}',
      'bad/mixed.yaml DAPR101 {"startLine":4,"startColumn":9,"endLine":4,"endColumn":20}',
      // 😀 is two UTF-16 code units, as SARIF columns count: 7 letters, `-` and 2 units.
      'bad/unicode.yaml DAPR101 {"startLine":4,"startColumn":9,"endLine":4,"endColumn":19}',
    ]);
  });

  it('Helm / Go template syntax outside a chart is a located DAPR001, or read as the YAML it happens to be', () => {
    const { result } = scanWithGood({
      'bad/values-like.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  type: state.redis\n  version: v1\n',
      'bad/image.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: { dapr.io/enabled: "true" }\nspec:\n  template:\n    spec:\n      containers:\n      - image: {{ .Values.image }}:{{ .Values.tag }}\n',
      'bad/if.yaml': '{{- if .Values.enabled }}\napiVersion: v1\nkind: Secret\n{{- end }}\n',
    });
    const own = result.results.filter((r) => r.location.file.startsWith('bad/'));
    expect(own.map((r) => `${r.location.file} ${r.ruleId}`).sort()).toEqual(expect.arrayContaining(['bad/if.yaml DAPR001', 'bad/image.yaml DAPR001']));
    for (const r of own) expect(r.location.region.startLine).toBeGreaterThan(0);
  });
});

describe('the file system as an attacker lays it out', () => {
  it('links to /etc/passwd, to a parent folder, and in a loop are reported and never followed', async () => {
    const dir = writeTree({ 'good/statestore.yaml': COMPONENT(), 'sub/x.yaml': COMPONENT('x') });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd.yaml'));
    fs.symlinkSync('..', path.join(dir, 'parent'));
    fs.symlinkSync(path.join(dir, '..'), path.join(dir, 'sub', 'up.yaml'));
    fs.symlinkSync('loop-b.yaml', path.join(dir, 'loop-a.yaml'));
    fs.symlinkSync('loop-a.yaml', path.join(dir, 'loop-b.yaml'));
    fs.symlinkSync('.', path.join(dir, 'sub', 'self'));
    const result = scanDir(dir);
    expect(result.executionSuccessful).toBe(true);
    expect(hits(result.results, 'DAPR101').map((h) => h.file)).toEqual(['good/statestore.yaml', 'sub/x.yaml']);
    // `parent` has no YAML name, so it is not even a candidate; sub/up.yaml is, and leaves the root.
    expect(result.notifications.map((n) => `${n.id} ${n.file}`).sort()).toEqual(['symlink-loop loop-a.yaml', 'symlink-loop loop-b.yaml', 'symlink-outside-root passwd.yaml', 'symlink-outside-root sub/up.yaml']);
    const run = await cli(['.', '-f', 'json'], dir);
    expect(run.stdout).not.toMatch(/root:x:0:0/);
  });

  it('a rules.config.json linked out of the repository is refused, and its contents never printed', async () => {
    const dir = writeTree({ 'a.yaml': COMPONENT() });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'rules.config.json'));
    const run = await cli(['.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rules\.config\.json: a symbolic link to a file outside the repository; not read/);
    expect(run.stderr).not.toMatch(/root:/);
  });

  it('a config that is not JSON is reported by line and column, without quoting it', async () => {
    const dir = writeTree({ 'a.yaml': COMPONENT(), 'rules.config.json': 'token=ghp_SECRETSECRETSECRET\n' });
    const run = await cli(['.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rules\.config\.json: not valid JSON \(line 1, column 1\)/);
    expect(run.stderr).not.toContain('ghp_');
  });

  it('file names with spaces, unicode, leading dashes and control characters are scanned, encoded and escaped', async () => {
    const names = ['with space/a b.yaml', 'ünï/çødé 😀.yaml', '-rf.yaml', '--help.yaml', 'esc\u001b[31mred.yaml', 'new\nline.yaml'];
    const dir = writeTree(Object.fromEntries(names.map((n, i) => [n, COMPONENT(`c${i}`)])));
    const result = scanDir(dir);
    expect(hits(result.results, 'DAPR101').map((h) => h.file).sort()).toEqual([...names].sort());
    const out = allFormats(result, dir);
    expect(sarifSchemaErrors(JSON.parse(out.sarif))).toEqual([]);
    const uris = (JSON.parse(out.sarif) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }).runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(expect.arrayContaining(['with%20space/a%20b.yaml', '%C3%BCn%C3%AF/%C3%A7%C3%B8d%C3%A9%20%F0%9F%98%80.yaml', '-rf.yaml', 'esc%1B%5B31mred.yaml', 'new%0Aline.yaml']));
    for (const format of ['stylish', 'github', 'markdown']) {
      expect(out[format], format).not.toContain('\u001b[31mred');
      expect(out[format], format).toContain('esc\\u001b[31mred.yaml');
    }
    // As arguments after `--`, a name with leading dashes is a path, not an option.
    const run = await cli(['-f', 'json', '--', '-rf.yaml', '--help.yaml'], dir);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as { results: Array<{ file: string }> }).results.map((r) => r.file)).toEqual(['--help.yaml', '-rf.yaml']);
  });

  it('maxTotalBytes stops reading at the first file that would pass it, and names every file not read', () => {
    // 131 files of one size; the limit holds 20 of them.
    const files = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`f/${String(i).padStart(3, '0')}.yaml`, COMPONENT(`c${String(i).padStart(3, '0')}`)]));
    const size = Buffer.byteLength(COMPONENT('c000'));
    const dir = writeTree({ 'a/statestore.yaml': COMPONENT('c999'), ...files }, { maxTotalBytes: size * 20 + 1 });
    const result = scanDir(dir);
    const unread = byId(result.notifications, 'total-bytes-limit');
    // 20 files fit (the first is a/statestore.yaml): 111 YAML files and rules.config.json are not read, the first 100 by name, then one count.
    expect(unread).toHaveLength(101);
    expect(unread[0]).toMatchObject({ file: 'f/019.yaml', level: 'warning' });
    expect(unread[100].message).toMatch(/^12 more files were not read either \(config "maxTotalBytes"\)/);
    expect(result.model.files).toHaveLength(20);
  });
});

describe('a rules.config.json written to hurt', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['a glob with many stars against a 250-character file name', { include: ['**/*a*a*a*a*a*a*a*a*a*a*a*b'] }, { [`${'a'.repeat(250)}.yaml`]: COMPONENT() }],
    ['a regex-like (a+)+ glob against a long namespace', { environments: { production: { namespaces: ['(a+)+'] } } }, { 'c.yaml': COMPONENT().replace('  name: statestore\n', `  name: statestore\n  namespace: ${'a'.repeat(60)}x\n`) }],
    ['globstars against a deep path', { exclude: ['**/a/**/a/**/a/**/a/**/a/**/b'] }, { [`${'a/'.repeat(100)}c.yaml`]: COMPONENT() }],
    ['a custom rule whose pattern backtracks', { customRules: [{ id: 'ACME001', message: 'Bad name.', match: { kind: 'Component' }, schema: { properties: { metadata: { properties: { name: { pattern: '^(a+)+$' } } } } } }] }, { 'c.yaml': COMPONENT(`${'a'.repeat(60)}-`) }],
    ['an app-id glob list that expands braces', { nonProductionAppIds: [`${'{a,b}'.repeat(100)}`] }, { 'c.yaml': COMPONENT() }],
  ];
  for (const [name, config, files] of cases) {
    it(`${name}: the scan finishes`, { timeout: 20_000 }, () => {
      const dir = writeTree(files, config);
      const result = scanDir(dir);
      expect(result.executionSuccessful).toBe(true);
    });
  }

  it('the custom rule with a backtracking pattern still reports the name it rejects', async () => {
    const dir = writeTree({ 'c.yaml': COMPONENT(`${'a'.repeat(60)}-`) }, cases[3][1]);
    const run = await cli(['.', '-f', 'json', '--now', NOW.toISOString()], dir);
    const results = (JSON.parse(run.stdout) as { results: Array<{ ruleId: string; startLine: number; startColumn: number }> }).results;
    expect(results.filter((r) => r.ruleId === 'ACME001').map((r) => `${r.startLine}:${r.startColumn}`)).toEqual(['4:9']);
  });

  it('a glob the matcher cannot bound is a configuration error naming it', async () => {
    const dir = writeTree({ 'c.yaml': COMPONENT() }, { exclude: ['!(vendor)/**'], environments: { production: { paths: ['{1..100000}'] } } });
    const run = await cli(['.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rules.config.json: /exclude/0: glob "!(vendor)/**": the negated extglob');
    expect(run.stderr).toContain('rules.config.json: /environments/production/paths/0: glob "{1..100000}"');
  });

  it('a config key or glob with terminal escapes is reported with them written out', async () => {
    const dir = writeTree({ 'c.yaml': COMPONENT(), 'rules.config.json': JSON.stringify({ 'evil\u001b[2J\u009b31m': 1, exclude: ['!(\u001b]0;x\u0007)'] }) });
    const run = await cli(['.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.stderr).toContain('unknown field "evil\\u001b[2J\\u009b31m"');
  });

  it('a custom rule schema nested 100,000 levels deep is refused before it is compiled', async () => {
    const depth = 100_000;
    const schema = `${'{"not":'.repeat(depth)}{}${'}'.repeat(depth)}`;
    const dir = writeTree({ 'c.yaml': COMPONENT(), 'rules.config.json': `{"customRules":[{"id":"ACME001","message":"x","match":{"kind":"Component"},"schema":${schema}}]}` });
    const run = await cli(['.'], dir);
    expect(run).toMatchObject({ code: 2, stderr: expect.stringMatching(/\/customRules\/0\/schema\/not\/not.*: nested deeper than 64 levels/) });
  });

  it('a custom rule schema of 60,000 subschemas is refused by its size', async () => {
    const dir = writeTree({ 'c.yaml': COMPONENT() }, { customRules: [{ id: 'ACME001', message: 'x', match: { kind: 'Component' }, schema: { allOf: Array.from({ length: 60_000 }, () => ({})) } }] });
    const run = await cli(['.'], dir);
    expect(run).toMatchObject({ code: 2, stderr: expect.stringMatching(/rules\.config\.json: \/customRules\/0\/schema: more than 50000 objects and arrays/) });
  });

  it('a config file over 1 MB is not read', async () => {
    const dir = writeTree({ 'c.yaml': COMPONENT(), 'rules.config.json': `{"knownAppIds":[${Array(200_000).fill('"an-app"').join(',')}]}` });
    const run = await cli(['.'], dir);
    expect(run).toMatchObject({ code: 2, stderr: 'dapr-policy: rules.config.json: larger than 1 MB; not read.\n' });
  });

  it('a remote $ref is refused without any network attempt', async () => {
    const dir = writeTree(
      { 'c.yaml': COMPONENT() },
      { customRules: [{ id: 'ACME001', message: 'x', match: { kind: 'Component' }, schema: { $id: 'https://attacker.example/base.json', allOf: [{ $ref: 'https://attacker.example/schema.json' }, { $ref: 'other.json#/x' }] } }] },
    );
    const { value: run, attempts } = await withoutNetwork(() => cli(['.', '-f', 'sarif'], dir));
    expect(attempts).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/customRules/0/schema/allOf/0/$ref: only local references (#/…) are allowed; (https://attacker.example/schema.json) would have to be fetched');
  });

  it('the guard itself sees a connection attempt', async () => {
    const { attempts } = await withoutNetwork(() => {
      try {
        net.connect(9, '127.0.0.1');
      } catch {
        // refused by the guard
      }
      return Promise.resolve();
    });
    expect(attempts).toHaveLength(1);
  });
});
