// Property-based tests (fast-check): random repositories built from the
// shapes dapr-policy reads (Deployments with dapr.io annotations, Components,
// Configurations, Subscriptions, Services, Secrets, Multi-App Run and compose
// files), mutated with wrong types, missing fields, huge and unicode strings,
// deep nesting and broken bytes. Each property runs RUNS cases from a fixed
// seed, so a failure reproduces; fast-check prints the seed and the shrunk
// counterexample. Cases are kept small (a few files of a few documents) so
// that 500 of them run in seconds.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { resolveConfig } from '../src/engine/config.js';
import { isInside } from '../src/engine/discover.js';
import { parseText } from '../src/engine/parse.js';
import type { Result } from '../src/engine/policy.js';
import { scan, type ScanResult } from '../src/engine/run.js';
import type { Location } from '../src/engine/types.js';
import { formatJson } from '../src/report/json.js';
import { buildSarif, formatSarif } from '../src/report/sarif.js';
import { formatStylish } from '../src/report/stylish.js';
import type { ReportInput } from '../src/report/types.js';
import { NOW, tmpDir } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

const RUNS = 500;
const SEED = 20_261_128;

/**
 * The test hook for (c): fast-glob's listing, the order in which discovery
 * sees the files, is permuted when `order.seed` is set. Only the listing is
 * touched: what the engine does with it is the code under test.
 */
const order = vi.hoisted(() => ({ seed: undefined as number | undefined }));
vi.mock('fast-glob', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: typeof import('fast-glob') }).default;
  const shuffle = <T>(items: T[], seed: number): T[] => {
    const out = [...items];
    let s = seed >>> 0 || 1;
    for (let i = out.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const sync = ((pattern: string | string[], options?: Parameters<typeof real.sync>[1]) => {
    const listed = real.sync(pattern, options as never) as unknown[];
    return order.seed === undefined ? listed : shuffle(listed, order.seed);
  }) as typeof real.sync;
  return { default: Object.assign(Object.create(real) as typeof real, { sync }) };
});

// ------------------------------------------------------------ generators

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const appId = fc.constantFrom('task-api', 'orders', 'test-runner', 'web', 'a.b', 'ÜNÏ', '');
const namespace = fc.constantFrom(undefined, 'production', 'dev', 'prod-eu', 'default', 'a'.repeat(70));

/** The documents dapr-policy reads, valid before mutation. */
const SHAPES: Record<string, (id: string, ns: string | undefined) => unknown> = {
  deployment: (id, ns) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id || 'x', ...(ns ? { namespace: ns } : {}) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: id } },
      template: {
        metadata: {
          labels: { app: id },
          annotations: {
            'dapr.io/enabled': 'true',
            'dapr.io/app-id': id,
            'dapr.io/app-port': '8080',
            'dapr.io/config': 'appconfig',
            'dapr.io/sidecar-listen-addresses': '0.0.0.0',
            'dapr.io/enable-api-logging': 'false',
            'dapr.io/env': 'GOMAXPROCS=2,API_TOKEN=t0ken',
            'dapr.io/app-token-secret': 'app-token',
          },
        },
        spec: { containers: [{ name: 'app', image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }], env: [{ name: 'PASSWORD', value: 'hunter2' }] }] },
      },
    },
  }),
  component: (id, ns) => ({
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'statestore', ...(ns ? { namespace: ns } : {}) },
    spec: {
      type: 'state.redis',
      version: 'v1',
      metadata: [
        { name: 'redisHost', value: 'redis.example.com:6379' },
        { name: 'redisPassword', value: 'hunter2' },
        { name: 'enableTLS', value: 'false' },
        { name: 'connectionString', value: 'redis://user:pw@redis:6379/0' },
        { name: 'fromSecret', secretKeyRef: { name: 'redis', key: 'password' } },
      ],
    },
    auth: { secretStore: 'kubernetes' },
    scopes: [id],
  }),
  configuration: (id, ns) => ({
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Configuration',
    metadata: { name: 'appconfig', ...(ns ? { namespace: ns } : {}) },
    spec: {
      mtls: { enabled: false },
      accessControl: { defaultAction: 'allow', trustDomain: 'public', policies: [{ appId: id, defaultAction: 'deny', namespace: ns ?? 'default', operations: [{ name: '/orders', httpVerb: ['GET'], action: 'allow' }] }] },
      secrets: { scopes: [{ storeName: 'kubernetes', defaultAccess: 'deny', allowedSecrets: ['redis'] }] },
      api: { allowed: [{ name: 'state', version: 'v1.0', protocol: 'http' }] },
    },
  }),
  subscription: (id, ns) => ({
    apiVersion: 'dapr.io/v2alpha1',
    kind: 'Subscription',
    metadata: { name: 'orders', ...(ns ? { namespace: ns } : {}) },
    spec: { pubsubname: 'pubsub', topic: 'orders', routes: { default: '/orders' } },
    scopes: [id],
  }),
  service: (id, ns) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: id || 'svc', ...(ns ? { namespace: ns } : {}) },
    spec: { type: 'LoadBalancer', selector: { app: id }, ports: [{ name: 'dapr', port: 3500, targetPort: 3500 }] },
  }),
  secret: (_id, ns) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'redis', ...(ns ? { namespace: ns } : {}) },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==' },
    stringData: { token: 't0ken' },
  }),
  multiAppRun: (id) => ({
    version: 1,
    common: { resourcesPath: './components' },
    apps: [{ appID: id, appDirPath: './app', appPort: 8080, daprHTTPPort: 3500, env: { API_TOKEN: 't0ken' } }],
  }),
  compose: (id) => ({
    services: {
      app: { image: 'example/app:1' },
      'app-dapr': { image: 'daprio/daprd:1.16.0', command: ['./daprd', '--app-id', id, '--dapr-http-port', '3500', '--dapr-listen-addresses', '0.0.0.0'], network_mode: 'service:app', ports: ['3500:3500'] },
    },
  }),
};

/** Values that do not belong: wrong types, huge or odd strings, deep nesting. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.nat({ max: 4_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('\u001b[31m', 'a\u0000b', 'a\nb\r\nc', '\u202eevil', '{{ .Values.x }}', '8080', 'yes', 'on', '0x10', '1e3', '~', '*a', '&a', '- x', ': ', '#', '"', "'"),
  fc.nat({ max: 120 }).map((depth) => {
    let v: Json = 'leaf';
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
    return v;
  }),
);

/** Paths of a document, once each, parents before children. */
function allPaths(v: Json): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const walk = (x: Json, at: Array<string | number>): void => {
    if (at.length > 0) out.push(at);
    if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...at, i]));
    else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, [...at, k]);
  };
  walk(v, []);
  return out;
}

interface Mutation {
  op: 'set' | 'delete' | 'rename' | 'wrap';
  /** Picks the path: an index into the document's paths, modulo their number. */
  pick: number;
  value: Json;
  key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('set', 'delete', 'rename', 'wrap'),
  pick: fc.nat(),
  value: hostileValue,
  key: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('<<', 'dapr.io/app-id', 'dapr.io/enabled', 'scopes', '__proto__', 'constructor')),
});

function mutate(doc: Json, m: Mutation): Json {
  const paths = allPaths(doc);
  if (paths.length === 0) return doc;
  const p = paths[m.pick % paths.length];
  const parent = p.slice(0, -1).reduce<Json>((x, k) => (x as Record<string, Json>)[k as string], doc) as Record<string, Json> | Json[];
  const last = p[p.length - 1];
  if (Array.isArray(parent)) {
    const i = last as number;
    if (m.op === 'delete') parent.splice(i, 1);
    else if (m.op === 'wrap') parent[i] = [parent[i]];
    else parent[i] = m.value;
    return doc;
  }
  const key = last as string;
  if (m.op === 'delete') delete parent[key];
  else if (m.op === 'wrap') parent[key] = { [m.key || 'k']: parent[key] };
  else if (m.op === 'rename') {
    const v = parent[key];
    delete parent[key];
    // defineProperty: a "__proto__" key stays a key.
    Object.defineProperty(parent, m.key, { value: v, enumerable: true, writable: true, configurable: true });
  } else parent[key] = m.value;
  return doc;
}

/** Breaks the bytes of a file the way editors, tools and attackers do. */
const textMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      what: fc.constantFrom('\t', ':', '- ', '{', '[', '"', "'", '&a ', '*a ', '!!binary ', '%YAML 1.1\n', '---\n', '...\n', '# dapr-policy-disable-next-line DAPR101 -- why\n', '# dapr-policy-disable DAPR201\n', '<<: *a\n', '\r', '{{ .Values.x }}', '\u00a0', 'key: &a [*a]\n'),
    }),
  },
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, m: TextMutation): string {
  switch (m.kind) {
    case 'none':
      return text;
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.what + text.slice(at);
    }
  }
}

const shapeName = fc.constantFrom(...(Object.keys(SHAPES) as Array<keyof typeof SHAPES>));
const docArb = fc.record({ shape: shapeName, id: appId, ns: namespace, mutations: fc.array(mutation, { maxLength: 4 }) });
const fileArb = fc.record({
  dir: fc.constantFrom('', 'prod/', 'dev/', 'k8s/staging/', 'a b/', 'ünï/', '.hidden/', 'components/'),
  name: fc.constantFrom('app.yaml', 'components.yaml', '-lead.yaml', 'x y.yml', 'data.json', 'ca.pem'),
  docs: fc.array(docArb, { minLength: 1, maxLength: 3 }),
  text: textMutation,
  flow: fc.boolean(),
});

interface TreeFile {
  path: string;
  bytes: Buffer;
}

/** A repository: 1–4 files, each 1–3 documents; Multi-App Run and compose files get their usual names. */
const treeArb: fc.Arbitrary<TreeFile[]> = fc.array(fileArb, { minLength: 1, maxLength: 4 }).map((files) => {
  const out = new Map<string, Buffer>();
  for (const f of files) {
    const first = f.docs[0].shape;
    const name = first === 'multiAppRun' ? 'dapr.yaml' : first === 'compose' ? 'docker-compose.yml' : f.name;
    const docs = f.docs.map((d) => d.mutations.reduce(mutate, structuredClone(SHAPES[d.shape](d.id, d.ns)) as Json));
    let text: string;
    if (name.endsWith('.pem')) text = `-----BEGIN CERTIFICATE-----\n${Buffer.from(JSON.stringify(docs)).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    else if (name.endsWith('.json')) text = JSON.stringify(docs[0], null, f.flow ? 0 : 2);
    else text = docs.map((d) => stringify(d, { lineWidth: 0, ...(f.flow ? { collectionStyle: 'flow' as const } : {}) })).join('---\n');
    out.set(`${f.dir}${name}`, Buffer.from(applyText(text, f.text), 'utf8'));
  }
  return [...out].map(([p, bytes]) => ({ path: p, bytes }));
});

// ------------------------------------------------------------ helpers

const written: string[] = [];
afterAll(() => {
  for (const d of written) fs.rmSync(d, { recursive: true, force: true });
});

function writeFiles(files: readonly TreeFile[]): string {
  const dir = tmpDir('dapr-policy-prop-');
  written.push(dir);
  for (const f of files) {
    fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.bytes);
  }
  return dir;
}

function scanTree(dir: string): ScanResult {
  return scan({ root: dir, config: resolveConfig({ root: dir }), now: NOW });
}

function reportOf(result: ScanResult, root: string): ReportInput {
  return { results: result.results, notifications: result.notifications, rules: result.rules, filesScanned: result.model.files.length, executionSuccessful: result.executionSuccessful, root };
}

/** The lines of a file as our SARIF says it counts them (run.newlineSequences: CRLF, LF, CR), after the BOM. */
function linesOf(abs: string): string[] {
  let text = fs.readFileSync(abs).toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return text.split(/\r\n|\n|\r/);
}

/** Why a location is not inside the scanned tree, or undefined when it is. */
function badLocation(root: string, loc: Pick<Location, 'file' | 'region'>): string | undefined {
  const abs = path.join(root, loc.file);
  if (!fs.existsSync(abs)) return `${loc.file} does not exist`;
  if (!isInside(fs.realpathSync(root), fs.realpathSync(abs))) return `${loc.file} is outside the root`;
  const lines = linesOf(abs);
  const { startLine, startColumn, endLine, endColumn } = loc.region;
  const where = `${loc.file} ${JSON.stringify(loc.region)} (${lines.length} lines)`;
  if (!(startLine >= 1 && startLine <= endLine && endLine <= lines.length)) return `lines out of the file: ${where}`;
  if (!(startColumn >= 1 && startColumn <= lines[startLine - 1].length + 1)) return `start column out of its line (${lines[startLine - 1].length} long): ${where}`;
  if (!(endColumn >= 1 && endColumn <= lines[endLine - 1].length + 1)) return `end column out of its line (${lines[endLine - 1].length} long): ${where}`;
  if (startLine === endLine && endColumn < startColumn) return `end before start: ${where}`;
  return undefined;
}

function locationsOf(r: Result): Array<Pick<Location, 'file' | 'region'>> {
  return [r.location, ...r.related, ...(r.suppression ? [r.suppression.location] : [])];
}

// ------------------------------------------------------------ properties

describe('properties of a scan of any repository', () => {
  it('(a) never crashes, and every location is inside the scanned tree', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(treeArb, (files) => {
        const dir = writeFiles(files);
        const result = scanTree(dir);
        expect(result.executionSuccessful, JSON.stringify(result.notifications.filter((n) => n.id === 'rule-failed'))).toBe(true);
        const problems = result.results.flatMap((r) => locationsOf(r).flatMap((l) => badLocation(dir, l) ?? []).map((p) => `${r.ruleId}: ${p}`));
        for (const n of result.notifications) if (n.file && n.region) problems.push(...[badLocation(dir, { file: n.file, region: n.region })].flatMap((p) => (p ? [`${n.id}: ${p}`] : [])));
        expect(problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('(b) every SARIF log validates against the official 2.1.0 schema', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(treeArb, fc.boolean(), (files, includeSuppressed) => {
        const dir = writeFiles(files);
        const log = buildSarif(reportOf(scanTree(dir), dir), { includeSuppressed, category: 'prop' });
        expect(sarifSchemaErrors(log)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  });

  it('(c) the output is byte-identical across runs, copies, and shuffled discovery order', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(treeArb, fc.integer(), (files, seed) => {
        const render = (dir: string): string => {
          const input = reportOf(scanTree(dir), dir);
          return [formatSarif(input, {}), formatJson(input, {}), formatStylish(input, { cwd: dir, color: false })].join('\n\u0000\n');
        };
        const a = writeFiles(files);
        // The copy is written in reverse order too: on most file systems that changes the order of the folder listing.
        const b = writeFiles([...files].reverse());
        try {
          order.seed = undefined;
          const first = render(a);
          const again = render(a);
          order.seed = seed;
          const shuffled = render(b);
          expect(again).toBe(first);
          expect(shuffled).toBe(first);
        } finally {
          order.seed = undefined;
        }
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });

  it('(d) fixing is idempotent and never yields invalid YAML', { timeout: 300_000 }, async () => {
    const { planFixes, writeFixes } = await import('../src/engine/fix.js');
    fc.assert(
      fc.property(treeArb, (files) => {
        const dir = writeFiles(files);
        const syntaxBefore = new Map<string, boolean>();
        let result = scanTree(dir);
        for (const p of result.model.parsed) syntaxBefore.set(p.file.path, p.syntax !== undefined);
        // Fixes that overlap wait for the next run: a few runs reach the point where nothing is left to fix.
        let rounds = 0;
        for (;;) {
          const plan = planFixes({ root: dir, results: result.results, parsed: result.model.parsed });
          if (plan.changes.length === 0) break;
          expect(++rounds, 'fixing does not settle').toBeLessThanOrEqual(5);
          for (const c of plan.changes) {
            const again = parseText({ path: c.file, absPath: c.absPath, kind: 'yaml', size: c.after.length }, c.after.replace(/^\uFEFF/, ''));
            if (!syntaxBefore.get(c.file)) expect(again.syntax, `${c.file} after the fix:\n${c.after}`).toBeUndefined();
          }
          writeFixes(plan);
          result = scanTree(dir);
          expect(result.executionSuccessful).toBe(true);
        }
        // Idempotent: once fixed, fixing again changes nothing.
        expect(planFixes({ root: dir, results: result.results, parsed: result.model.parsed }).changes).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED + 3 },
    );
  });
});
