// Safe autofixes: `--fix` edits the files in place, byte for byte except what
// each fix changes; `--fix-dry-run` prints the same change as a unified diff
// that git applies. Every fix is idempotent, leaves a file that parses and a
// re-scan without the fixed findings, and is never offered when unsafe.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFixes, unifiedDiff } from '../src/engine/fix.js';
import { parseText } from '../src/engine/parse.js';
import type { Result } from '../src/engine/policy.js';
import { cli, type CliRun, git, of, scanDir, scanFiles, tmpDir, writeTree } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

function snapshot(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r));
    }
  };
  walk('');
  return out;
}

/**
 * Runs `--fix` on a repository and checks what every fix must guarantee: the
 * files still parse, a second `--fix` changes nothing, and the dry run of the
 * original prints a diff that git applies to give the same bytes.
 */
async function fix(files: Record<string, string>, config?: Record<string, unknown>): Promise<{ dir: string; run: CliRun; after: Record<string, string> }> {
  const dir = writeTree(files, config);
  const dry = writeTree(files, config);
  const patch = await cli(['.', '--root', '.', '--fix-dry-run'], dry);
  const run = await cli(['.', '--root', '.', '--fix'], dir);
  const after: Record<string, string> = {};
  for (const f of Object.keys(files)) {
    after[f] = read(dir, f);
    const parsed = parseText({ path: f, absPath: path.join(dir, f), kind: 'yaml', size: 0 }, after[f].replace(/^\uFEFF/, ''));
    expect(parsed.syntax, `${f} no longer parses`).toBeUndefined();
  }
  const once = snapshot(dir);
  const again = await cli(['.', '--root', '.', '--fix'], dir);
  expect(snapshot(dir), 'a second --fix changed something').toEqual(once);
  expect(again.stdout).not.toContain('fixed');
  // The dry run changed nothing, and its diff, applied by git, gives the same bytes as --fix.
  expect(snapshot(dry)).toEqual(snapshot(writeTree(files, config)));
  if (patch.stdout) {
    git(dry, 'init', '-q');
    const patchFile = path.join(tmpDir('patch-'), 'fix.patch');
    fs.writeFileSync(patchFile, patch.stdout);
    git(dry, 'apply', '--check', patchFile);
    git(dry, 'apply', patchFile);
    for (const f of Object.keys(files)) expect(read(dry, f), `git apply of the dry run differs from --fix in ${f}`).toBe(after[f]);
  }
  return { dir, run, after };
}

const ANNOTATED = (annotations: string, eol = '\n'): string =>
  [
    '# orders: the API',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: orders # the workload',
    'spec:',
    '  template:',
    '    metadata:',
    annotations,
    '    spec:',
    '      containers:',
    '        - name: orders',
    '          image: example/orders:1',
    '',
  ].join(eol);

describe('DAPR003: quote the value', () => {
  it('quotes unquoted booleans and numbers by their text, leaving comments, null and every other byte alone', async () => {
    const before = ANNOTATED(
      [
        '      annotations:',
        '        # the sidecar',
        '        dapr.io/enabled: true   # on',
        "        dapr.io/app-id: 'orders'",
        '        dapr.io/app-port: 8000',
        '        dapr.io/log-as-json: yes',
        '        dapr.io/config: null',
      ].join('\n'),
    );
    const { after, dir } = await fix({ 'deploy/orders.yaml': before });
    expect(after['deploy/orders.yaml']).toBe(
      before.replace('dapr.io/enabled: true   # on', 'dapr.io/enabled: "true"   # on').replace('app-port: 8000', 'app-port: "8000"').replace('log-as-json: yes', 'log-as-json: "yes"'),
    );
    // Only the null value is left: there is no text to quote.
    expect(of(scanDir(dir), 'DAPR003').map((r) => r.location.region.startLine)).toEqual([15]);
  });

  it('quotes inside a flow map', async () => {
    const before = ANNOTATED('      annotations: {dapr.io/enabled: On, dapr.io/app-id: orders, dapr.io/app-port: 8000}');
    const { after } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(before.replace('enabled: On', 'enabled: "On"').replace('app-port: 8000}', 'app-port: "8000"}'));
  });

  it('keeps CRLF line endings and a BOM', async () => {
    const before = `\uFEFF${ANNOTATED(['      annotations:', '        dapr.io/enabled: true', '        dapr.io/app-port: 8000'].join('\r\n'), '\r\n')}`;
    const { after } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(before.replace('enabled: true', 'enabled: "true"').replace('app-port: 8000', 'app-port: "8000"'));
    expect(after['orders.yaml'].startsWith('\uFEFF')).toBe(true);
    expect(after['orders.yaml'].replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('offers no fix for a null value, a list, or an explicit tag', () => {
    const result = scanFiles({
      'orders.yaml': ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/config: ~', '        dapr.io/app-max-concurrency:', '        dapr.io/env: [A=1]', '        dapr.io/app-port: !!int 8000'].join('\n')),
    });
    const found = of(result, 'DAPR003');
    expect(found).toHaveLength(4);
    expect(found.filter((r) => r.fix)).toEqual([]);
  });
});

describe('DAPR004: rename the key', () => {
  it('renames to the certain key, in the key\'s own quoting style', async () => {
    const before = ANNOTATED(
      [
        '      annotations:',
        '        dapr.io/enabled: "true"',
        '        dapr.io/app-id: orders',
        '        "dapr.io/api-token": "orders-token" # from the Secret',
        "        'dapr.io.log-level': 'info'",
        '        dapr.io/app-protocl: grpc',
      ].join('\n'),
    );
    const { after, dir } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(
      before.replace('"dapr.io/api-token":', '"dapr.io/api-token-secret":').replace("'dapr.io.log-level'", "'dapr.io/log-level'").replace('dapr.io/app-protocl:', 'dapr.io/app-protocol:'),
    );
    expect(of(scanDir(dir), 'DAPR004')).toEqual([]);
  });

  it('offers no fix when the suggestion is ambiguous, far, already set, or would open something up', () => {
    const result = scanFiles({
      'orders.yaml': ANNOTATED(
        [
          '      annotations:',
          '        dapr.io/enabled: "true"',
          '        dapr.io/app-id: orders',
          // as near to api-token-secret as to app-token-secret
          '        dapr.io/appi-token-secret: orders-token',
          // three edits from sidecar-cpu-limit: a guess
          '        dapr.io/sidecar-cpu-xxx: "1"',
          // the target is already there
          '        dapr.io/enable: "true"',
          // renaming would make the sidecar listen on every interface
          '        dapr.io/sidecar-listen-address: "0.0.0.0"',
          '        dapr.io/enable-debugs: "true"',
        ].join('\n'),
      ),
    });
    const found = of(result, 'DAPR004');
    expect(found.map((r) => r.message.match(/"(dapr\.io[^"]*)"/)?.[1])).toEqual([
      'dapr.io/appi-token-secret',
      'dapr.io/sidecar-cpu-xxx',
      'dapr.io/enable',
      'dapr.io/sidecar-listen-address',
      'dapr.io/enable-debugs',
    ]);
    expect(found[0].message).toContain('Did you mean');
    expect(found.filter((r) => r.fix)).toEqual([]);
  });
});

const COMPONENT = (body: string[], eol = '\n'): string => ['apiVersion: dapr.io/v1alpha1', 'kind: Component', ...body, ''].join(eol);

describe('DAPR103: move scopes to the top level', () => {
  it('moves a list that ends spec, re-indented, with its comments', async () => {
    const before = COMPONENT([
      'metadata:',
      '  name: statestore',
      'spec:',
      '  type: state.redis',
      '  version: v1',
      '  metadata:',
      '    - name: redisHost',
      '      value: redis:6379',
      '  # only these apps',
      '  scopes:',
      '    - orders # the API',
      '    - "checkout"',
      '# end',
    ]);
    const { after, dir } = await fix({ 'statestore.yaml': before, 'apps.yaml': APPS });
    expect(after['statestore.yaml']).toBe(
      COMPONENT([
        'metadata:',
        '  name: statestore',
        'spec:',
        '  type: state.redis',
        '  version: v1',
        '  metadata:',
        '    - name: redisHost',
        '      value: redis:6379',
        '  # only these apps',
        'scopes:',
        '  - orders # the API',
        '  - "checkout"',
        '# end',
      ]),
    );
    const rescan = scanDir(dir);
    expect(of(rescan, 'DAPR103')).toEqual([]);
    expect(of(rescan, 'DAPR101')).toEqual([]);
  });

  it('moves a flow list from metadata to after spec\'s block, in a CRLF file', async () => {
    const before = COMPONENT(['metadata:', '  name: pubsub', '  scopes: [orders]', 'spec:', '  type: pubsub.redis', '  version: v1', '  metadata: []', 'auth:', '  secretStore: kubernetes'], '\r\n');
    const { after } = await fix({ 'pubsub.yaml': before, 'apps.yaml': APPS });
    expect(after['pubsub.yaml']).toBe(COMPONENT(['metadata:', '  name: pubsub', 'spec:', '  type: pubsub.redis', '  version: v1', '  metadata: []', 'scopes: [orders]', 'auth:', '  secretStore: kubernetes'], '\r\n'));
  });

  it('moves a flow list from metadata to after spec\'s block, in a file whose lines end in a lone CR', async () => {
    const before = COMPONENT(['metadata:', '  name: pubsub', '  scopes: [orders]', 'spec:', '  type: pubsub.redis', '  version: v1', '  metadata: []', 'auth:', '  secretStore: kubernetes'], '\r');
    const { after } = await fix({ 'pubsub.yaml': before, 'apps.yaml': APPS });
    expect(after['pubsub.yaml']).toBe(COMPONENT(['metadata:', '  name: pubsub', 'spec:', '  type: pubsub.redis', '  version: v1', '  metadata: []', 'scopes: [orders]', 'auth:', '  secretStore: kubernetes'], '\r'));
  });

  it('removes a misplaced list that the top-level scopes already cover, and leaves any other merge', async () => {
    const covered = COMPONENT(['metadata:', '  name: a', 'spec:', '  type: state.redis', '  version: v1', '  metadata: []', '  scopes: [orders]', 'scopes:', '  - orders', '  - checkout']);
    const widening = COMPONENT(['metadata:', '  name: b', 'spec:', '  type: state.redis', '  version: v1', '  metadata: []', '  scopes: [payments]', 'scopes:', '  - orders']);
    const { after } = await fix({ 'a.yaml': covered, 'b.yaml': widening, 'apps.yaml': APPS });
    expect(after['a.yaml']).toBe(covered.replace('  scopes: [orders]\n', ''));
    expect(after['b.yaml']).toBe(widening);
  });

  it('moves only the first of two misplaced lists; the next run removes the second when it is covered', async () => {
    const before = COMPONENT(['metadata:', '  name: a', '  scopes: [orders]', 'spec:', '  type: state.redis', '  version: v1', '  metadata: []', '  scopes: [orders]']);
    const dir = writeTree({ 'a.yaml': before, 'apps.yaml': APPS });
    const first = await cli(['.', '--root', '.', '--fix'], dir);
    expect(first.stdout).toContain('✔ 1 problem fixed in 1 file');
    const second = await cli(['.', '--root', '.', '--fix'], dir);
    expect(second.stdout).toContain('✔ 1 problem fixed in 1 file');
    expect(read(dir, 'a.yaml')).toBe(COMPONENT(['metadata:', '  name: a', 'spec:', '  type: state.redis', '  version: v1', '  metadata: []', 'scopes: [orders]']));
  });
});

const APPS = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: orders', 'spec:', '  template:', '    metadata:', '      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders', '    spec:', '      containers: [{ name: a, image: a }]', ''].join('\n');

describe('DAPR301: listen on 127.0.0.1', () => {
  it('replaces the annotation value, keeping its quotes and comment', async () => {
    const before = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders', "        dapr.io/sidecar-listen-addresses: '0.0.0.0' # public"].join('\n'));
    const { after, dir } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(before.replace("'0.0.0.0' # public", "'127.0.0.1' # public"));
    expect(of(scanDir(dir), 'DAPR301')).toEqual([]);
  });

  it('Multi-App CliRun: replaces common\'s value and adds the key to an app without it (CRLF kept)', async () => {
    const common = ['version: 1', 'common:', '  apiListenAddresses: 0.0.0.0', 'apps:', '  - appID: orders', '    appDirPath: ./orders', ''].join('\n');
    const open = ['version: 1', 'apps:', '  - appID: orders # the API', '    appDirPath: ./orders', '  - appDirPath: ./checkout', '    command: ["python3", "app.py"]', ''].join('\r\n');
    const { after, dir } = await fix({ 'common/dapr.yaml': common, 'open/dapr.yaml': open });
    expect(after['common/dapr.yaml']).toBe(common.replace('0.0.0.0', '127.0.0.1'));
    expect(after['open/dapr.yaml']).toBe(
      ['version: 1', 'apps:', '  - appID: orders # the API', '    apiListenAddresses: "127.0.0.1"', '    appDirPath: ./orders', '  - appDirPath: ./checkout', '    apiListenAddresses: "127.0.0.1"', '    command: ["python3", "app.py"]', ''].join('\r\n'),
    );
    expect(of(scanDir(dir), 'DAPR301')).toEqual([]);
  });

  it('leaves compose daprd flags alone', () => {
    const result = scanFiles({
      'docker-compose.yaml': ['services:', '  orders-dapr:', '    image: daprio/daprd:1.15.0', '    command: ["./daprd", "--app-id", "orders", "--dapr-listen-addresses", "0.0.0.0"]', '  checkout-dapr:', '    image: daprio/daprd:1.15.0', '    command: ["./daprd", "--app-id", "checkout"]', ''].join('\n'),
    });
    const found = of(result, 'DAPR301');
    expect(found).toHaveLength(2);
    expect(found.filter((r) => r.fix)).toEqual([]);
  });
});

describe('DAPR304: add dapr.io/enable-api-logging', () => {
  it('adds a line after the last dapr.io annotation, with its indentation', async () => {
    const before = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders # id', '        prometheus.io/scrape: "true"'].join('\n')).replace('  name: orders # the workload', '  name: orders # the workload\n  namespace: production');
    const { after, dir } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(before.replace('dapr.io/app-id: orders # id\n', 'dapr.io/app-id: orders # id\n        dapr.io/enable-api-logging: "true"\n'));
    expect(of(scanDir(dir), 'DAPR304')).toEqual([]);
  });

  it('adds an entry to a flow map, and a line in a CRLF file', async () => {
    const flow = ANNOTATED('      annotations: {dapr.io/enabled: "true", dapr.io/app-id: orders}').replace('metadata:\n  name', 'metadata:\n  namespace: production\n  name');
    const crlf = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: payments'].join('\r\n'), '\r\n').replace('name: orders', 'name: payments').replace('metadata:\r\n  name', 'metadata:\r\n  namespace: production\r\n  name');
    const { after } = await fix({ 'flow.yaml': flow, 'crlf.yaml': crlf });
    expect(after['flow.yaml']).toBe(flow.replace('dapr.io/app-id: orders}', 'dapr.io/app-id: orders, dapr.io/enable-api-logging: "true"}'));
    expect(after['crlf.yaml']).toBe(crlf.replace('dapr.io/app-id: payments\r\n', 'dapr.io/app-id: payments\r\n        dapr.io/enable-api-logging: "true"\r\n'));
  });

  it('adds a line in a file whose lines end in a lone CR, with that line ending', async () => {
    const cr = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: payments'].join('\r'), '\r').replace('name: orders', 'name: payments').replace('metadata:\r  name', 'metadata:\r  namespace: production\r  name');
    const { after } = await fix({ 'cr.yaml': cr });
    expect(after['cr.yaml']).toBe(cr.replace('dapr.io/app-id: payments\r', 'dapr.io/app-id: payments\r        dapr.io/enable-api-logging: "true"\r'));
  });

  it('does not add the key when a misspelling of it is there: DAPR004 renames that one', async () => {
    const before = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders', '        dapr.io/api-logging: "true"'].join('\n')).replace('  name: orders # the workload', '  name: orders # the workload\n  namespace: production');
    const found = scanFiles({ 'orders.yaml': before });
    expect(of(found, 'DAPR304')).toHaveLength(1);
    expect(of(found, 'DAPR304')[0].fix).toBeUndefined();
    const { after, dir } = await fix({ 'orders.yaml': before });
    expect(after['orders.yaml']).toBe(before.replace('dapr.io/api-logging:', 'dapr.io/enable-api-logging:'));
    const rescan = scanDir(dir);
    expect([...of(rescan, 'DAPR004'), ...of(rescan, 'DAPR304')]).toEqual([]);
  });

  it('leaves an explicit "false" alone', () => {
    const before = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders', '        dapr.io/enable-api-logging: "false"'].join('\n')).replace('  name: orders # the workload', '  name: orders # the workload\n  namespace: production');
    const found = of(scanFiles({ 'orders.yaml': before }), 'DAPR304');
    expect(found).toHaveLength(1);
    expect(found[0].fix).toBeUndefined();
  });
});

describe('the CLI', () => {
  const BROKEN = ANNOTATED(['      annotations:', '        dapr.io/enabled: true', '        dapr.io/app-id: orders', '        dapr.io/app-port: 8000'].join('\n'));

  it('stylish says what is fixable, then what was fixed; the exit status is about what remains', async () => {
    const dir = writeTree({ 'orders.yaml': BROKEN });
    const before = await cli(['.', '--root', '.'], dir);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('✖ 2 problems (2 errors, 0 warnings, 0 notes)\n  2 problems potentially fixable with the `--fix` option.\n');
    const fixed = await cli(['.', '--root', '.', '--fix'], dir);
    expect(fixed).toEqual({ code: 0, stdout: '\n✔ 2 problems fixed in 1 file\n', stderr: '' });
  });

  it('--fix-dry-run prints the diff on stdout, changes nothing, and keeps the exit status', async () => {
    const dir = writeTree({ 'orders.yaml': BROKEN });
    const run = await cli(['.', '--root', '.', '--fix-dry-run'], dir);
    expect(read(dir, 'orders.yaml')).toBe(BROKEN);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('dapr-policy: --fix-dry-run: 2 findings can be fixed in 1 file; nothing was written.\n');
    expect(run.stdout).toBe(
      [
        'diff --git a/orders.yaml b/orders.yaml',
        '--- a/orders.yaml',
        '+++ b/orders.yaml',
        '@@ -7,9 +7,9 @@',
        '   template:',
        '     metadata:',
        '       annotations:',
        '-        dapr.io/enabled: true',
        '+        dapr.io/enabled: "true"',
        '         dapr.io/app-id: orders',
        '-        dapr.io/app-port: 8000',
        '+        dapr.io/app-port: "8000"',
        '     spec:',
        '       containers:',
        '         - name: orders',
        '',
      ].join('\n'),
    );
  });

  it('--fix and --fix-dry-run are mutually exclusive', async () => {
    const dir = writeTree({ 'orders.yaml': BROKEN });
    const run = await cli(['.', '--fix', '--fix-dry-run'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mutually exclusive/);
    expect(read(dir, 'orders.yaml')).toBe(BROKEN);
  });

  it('json carries each fix and, after --fix, what was fixed', async () => {
    const dir = writeTree({ 'orders.yaml': BROKEN });
    const json = JSON.parse((await cli(['.', '--root', '.', '-f', 'json'], dir)).stdout) as { results: Array<{ ruleId: string; fix?: unknown }> };
    expect(json.results.map((r) => r.fix)).toEqual([
      { description: 'Quote the value of dapr.io/enabled: "true"', edits: [{ file: 'orders.yaml', startLine: 10, startColumn: 26, endLine: 10, endColumn: 30, start: 171, end: 175, text: '"true"' }] },
      { description: 'Quote the value of dapr.io/app-port: "8000"', edits: [{ file: 'orders.yaml', startLine: 12, startColumn: 27, endLine: 12, endColumn: 31, start: 233, end: 237, text: '"8000"' }] },
    ]);
    // Offsets index the file's text: what they delimit is what the fix replaces.
    expect([BROKEN.slice(171, 175), BROKEN.slice(233, 237)]).toEqual(['true', '8000']);
    const after = JSON.parse((await cli(['.', '--root', '.', '-f', 'json', '--fix'], dir)).stdout) as { results: unknown[]; fixed: unknown };
    expect(after.results).toEqual([]);
    expect(after.fixed).toEqual({ findings: 2, files: ['orders.yaml'], skipped: [] });
  });

  it('SARIF carries the fixes as artifactChanges and validates against the schema', async () => {
    const dir = writeTree({
      'orders.yaml': BROKEN,
      'statestore.yaml': COMPONENT(['metadata:', '  name: statestore', 'spec:', '  type: state.redis', '  version: v1', '  metadata: []', '  scopes:', '    - orders']),
    });
    const log = JSON.parse((await cli(['.', '--root', '.', '-f', 'sarif'], dir)).stdout) as { runs: Array<{ results: Array<{ ruleId: string; fixes?: unknown[] }> }> };
    expect(sarifSchemaErrors(log)).toEqual([]);
    const fixes = log.runs[0].results.filter((r) => r.fixes).map((r) => [r.ruleId, r.fixes]);
    expect(fixes).toEqual([
      [
        'DAPR003',
        [{ description: { text: 'Quote the value of dapr.io/enabled: "true"' }, artifactChanges: [{ artifactLocation: { uri: 'orders.yaml', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { startLine: 10, startColumn: 26, endLine: 10, endColumn: 30 }, insertedContent: { text: '"true"' } }] }] }],
      ],
      ['DAPR003', [expect.objectContaining({ description: { text: 'Quote the value of dapr.io/app-port: "8000"' } })]],
      [
        'DAPR103',
        [
          {
            description: { text: 'Move scopes from spec to the top level' },
            artifactChanges: [
              {
                artifactLocation: { uri: 'statestore.yaml', uriBaseId: '%SRCROOT%' },
                replacements: [
                  // the misplaced lines go (no insertedContent) …
                  { deletedRegion: { startLine: 9, startColumn: 1, endLine: 11, endColumn: 1 } },
                  // … and the re-indented block is inserted where they ended (an empty region)
                  { deletedRegion: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 1 }, insertedContent: { text: 'scopes:\n  - orders\n' } },
                ],
              },
            ],
          },
        ],
      ],
    ]);
  });

  it('fixes only the files given (pre-commit), never suppressed findings, never with --quiet what is not shown', async () => {
    const note = ANNOTATED(['      annotations:', '        dapr.io/enabled: "true"', '        dapr.io/app-id: orders', '        dapr.io/sidecar-listen-addresses: "0.0.0.0"'].join('\n')).replace('name: orders', 'name: dev').replace('app-id: orders', 'app-id: dev');
    const suppressed = BROKEN.replace('        dapr.io/app-port: 8000', '        # dapr-policy-disable-next-line DAPR003 -- the chart quotes it\n        dapr.io/app-port: 8000').replace(/orders/g, 'billing');
    const files = { 'a.yaml': BROKEN, 'b.yaml': BROKEN.replace(/orders/g, 'payments'), 'c.yaml': suppressed, 'dev/d.yaml': note };
    const dir = writeTree(files);
    await cli(['a.yaml', 'c.yaml', 'dev/d.yaml', '--root', '.', '--fix', '--quiet'], dir);
    expect(read(dir, 'a.yaml')).toBe(BROKEN.replace('enabled: true', 'enabled: "true"').replace('port: 8000', 'port: "8000"'));
    expect(read(dir, 'b.yaml')).toBe(files['b.yaml']); // not given
    expect(read(dir, 'c.yaml')).toBe(suppressed.replace('enabled: true', 'enabled: "true"')); // the suppressed one stays
    expect(read(dir, 'dev/d.yaml')).toBe(note); // a warning in non-production: --quiet does not show it
  });
});

describe('src/engine/fix.ts', () => {
  const text = 'a: 1\nb: 2\n';
  // Plain YAML without any Dapr marker: the pre-check would skip it, and these tests are about the file itself.
  const dir = writeTree({ 'x.yaml': text }, { precheck: false });
  const scanned = scanDir(dir);
  const result = (file: string, edits: Array<{ start: number; end: number; text: string }>, fingerprint: string): Result => ({
    ruleId: 'DAPR003',
    ruleName: 'annotation-not-string',
    level: 'error',
    message: 'm',
    location: { file, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } },
    related: [],
    environments: ['unclassified'],
    namespaces: [],
    fingerprint,
    fix: { description: 'd', edits: edits.map((e) => ({ ...e, file, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } })) },
  });

  it('skips the later of two overlapping fixes and shares identical ones', () => {
    const plan = planFixes({
      root: dir,
      parsed: scanned.model.parsed,
      results: [result('x.yaml', [{ start: 3, end: 4, text: '"1"' }], 'f1'), result('x.yaml', [{ start: 0, end: 4, text: 'a: 3' }], 'f0'), result('x.yaml', [{ start: 3, end: 4, text: '"1"' }], 'f2'), result('x.yaml', [{ start: 8, end: 9, text: '"2"' }], 'f3')],
    });
    expect(plan.changes.map((c) => [c.file, c.after, c.fixed.map((r) => r.fingerprint)])).toEqual([['x.yaml', 'a: 3\nb: "2"\n', ['f0', 'f3']]]);
    expect(plan.skipped.map((s) => s.result.fingerprint)).toEqual(['f1', 'f2']);
  });

  it('never writes outside the scan root, nor a file whose fix would not parse, nor a file changed since the scan', () => {
    const outside = planFixes({ root: path.join(dir, 'sub'), parsed: scanned.model.parsed, results: [result('x.yaml', [{ start: 3, end: 4, text: '"1"' }], 'f')] });
    expect(outside.changes).toEqual([]);
    expect(outside.skipped.map((s) => s.reason)).toEqual(['the file is outside the scan root']);
    const broken = planFixes({ root: dir, parsed: scanned.model.parsed, results: [result('x.yaml', [{ start: 3, end: 4, text: '[' }], 'f')] });
    expect(broken.changes).toEqual([]);
    const changed = writeTree({ 'x.yaml': text }, { precheck: false });
    const stale = scanDir(changed);
    fs.writeFileSync(path.join(changed, 'x.yaml'), 'a: 9\nb: 2\n');
    expect(planFixes({ root: changed, parsed: stale.model.parsed, results: [result('x.yaml', [{ start: 3, end: 4, text: '"1"' }], 'f')] }).skipped.map((s) => s.reason)).toEqual(['the file changed since it was scanned']);
  });

  it('writes a unified diff git applies: no final newline, CRLF, and paths git must quote', () => {
    const files = { 'no newline.yaml': 'a: 1\nb: 2', 'crlf.yaml': 'a: 1\r\nb: 2\r\nc: 3\r\n', 'dé"j\\à.yaml': 'x: 1\n' };
    const after: Record<string, string> = { 'no newline.yaml': 'a: 1\nb: "2"', 'crlf.yaml': 'a: 1\r\nb: "2"\r\nc: 3\r\n', 'dé"j\\à.yaml': 'x: "1"\n' };
    const repo = writeTree(files);
    git(repo, 'init', '-q');
    const patch = Object.keys(files)
      .map((f) => unifiedDiff(f, files[f as keyof typeof files], after[f]))
      .join('');
    expect(patch).toContain('\\ No newline at end of file\n');
    expect(patch).toContain('diff --git "a/d\\303\\251\\"j\\\\\\303\\240.yaml" "b/d\\303\\251\\"j\\\\\\303\\240.yaml"\n');
    const patchFile = path.join(tmpDir('patch-'), 'x.patch');
    fs.writeFileSync(patchFile, patch);
    git(repo, 'apply', patchFile);
    for (const f of Object.keys(files)) expect(read(repo, f)).toBe(after[f]);
  });

  it('splits far-apart changes into hunks with three lines of context', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `k${i}: ${i}\n`);
    const changed = [...lines];
    changed[1] = 'k1: "1"\n';
    changed[18] = 'k18: "18"\n';
    const diff = unifiedDiff('f.yaml', lines.join(''), changed.join(''));
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });
});
