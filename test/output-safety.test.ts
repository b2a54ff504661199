// What the reports may carry out of the scanning machine: no absolute path of
// it (unless --absolute-paths), no raw control character from the repository,
// and never the value of a secret: a finding says where a secret is, not what.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORMAT_NAMES } from '../src/report/index.js';
import { cli, writeTree } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

/** Every output format of a scan (suppressed findings included where a format has them). */
async function everyFormat(dir: string, extra: string[] = []): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of FORMAT_NAMES) {
    const run = await cli(['.', '-f', f, '--include-suppressed', '--now', '2026-11-28', ...extra], dir);
    expect(run.stderr, f).toBe('');
    out[f] = run.stdout;
  }
  out['stylish --color'] = (await cli(['.', '--color', '--now', '2026-11-28', ...extra], dir)).stdout;
  return out;
}

const COMPONENT = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: production\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('no path of the scanning machine in SARIF or JSON', () => {
  it('by default, even when a file cannot be read; with --absolute-paths, the root only where asked', async () => {
    const dir = writeTree({ 'deploy/c.yaml': COMPONENT, 'deploy/gone.yaml': COMPONENT });
    // A file that disappears between discovery and reading: Node's error names its absolute path.
    const real = fs.readFileSync;
    vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
      if (typeof file === 'string' && file.endsWith('gone.yaml')) {
        const e = new Error(`ENOENT: no such file or directory, open '${file}'`) as NodeJS.ErrnoException;
        e.code = 'ENOENT';
        throw e;
      }
      return real(file, options as never);
    }) as typeof fs.readFileSync);
    const machine = [dir, fs.realpathSync(dir), os.tmpdir(), process.cwd()];
    for (const format of ['sarif', 'json']) {
      const run = await cli(['.', '-f', format], dir);
      expect(run.stdout).toContain('deploy/gone.yaml: ENOENT');
      for (const p of machine) expect(run.stdout, `${format} names ${p}`).not.toContain(p);
    }
    const sarif = JSON.parse((await cli(['.', '-f', 'sarif', '--absolute-paths'], dir)).stdout) as { runs: Array<{ originalUriBaseIds: Record<string, { uri?: string }> }> };
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(dir).href}/`);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const json = JSON.parse((await cli(['.', '-f', 'json', '--absolute-paths'], dir)).stdout) as { root?: string };
    expect(json.root).toBe(dir);
    expect((JSON.parse((await cli(['.', '-f', 'json'], dir)).stdout) as { root?: string }).root).toBeUndefined();
  });
});

describe('control characters from the repository are escaped in every format', () => {
  it('a resource name and a key with ESC, NUL, newlines and a bidi override', async () => {
    // YAML's own escapes write the characters: \e is ESC, \0 NUL, \u202E RIGHT-TO-LEFT OVERRIDE.
    const name = '"evil\\e[31mred\\e]0;title\\a\\0nul\\nnext\\r\\u202Eyaml"';
    const dir = writeTree({
      'c.yaml': COMPONENT.replace('name: statestore', `name: ${name}`),
      'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: web\n        "dapr.io/\\e[2Jcleared": "x"\n',
    });
    const out = await everyFormat(dir);
    for (const [format, text] of Object.entries(out)) {
      const withoutOurColours = format === 'stylish --color' ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
      expect(withoutOurColours, format).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
      expect(text, format).not.toContain('\u001b[31mred');
    }
    expect(out.stylish).toContain('evil\\u001b[31mred\\u001b]0;title\\u0007\\u0000nul\\nnext\\r\\u202eyaml');
    expect(out.stylish).toContain('dapr.io/\\u001b[2Jcleared');
    // JSON and SARIF carry the escaped text as the message, not the raw characters JSON would encode.
    const messages = (JSON.parse(out.json) as { results: Array<{ message: string }> }).results.map((r) => r.message);
    for (const m of messages) expect(m).not.toMatch(/[\u0000-\u001f]/);
    expect(messages.join('\n')).toContain('\\u001b[31mred');
  });
});

/**
 * Canaries: one distinctive value per place a credential can be written.
 * None of them may appear in any output, in whole or in part.
 */
const CANARY = {
  redisPassword: 'qZ7mVx2LkP9rT4wB8nCa',
  connectionString: 'hY3sKd8QpL2mN6vR1tGe',
  urlPassword: 'uJ5cWq9XbT3kM7zP2rFd',
  accessKey: 'AKIAQ4MZ7XK2PL9VN3TB',
  metadataNested: 'eR8tYu2IoP5aS9dF3gHj',
  envAnnotation: 'mN4bV7cX1zL8kJ2hG6fD',
  envAnnotationBroken: 'wQ9eR3tY6uI1oP4aS7dZ',
  containerEnv: 'pL6kJ9hG2fD5sA8zX1cV',
  secretData: 'tR5eW8qA2sD6fG9hJ3kL',
  secretStringData: 'bN7mQ2wE5rT8yU1iO4pX',
  marEnv: 'gH4jK7lZ1xC5vB8nM2qW',
  composeEnv: 'cV6bN9mA3sD7fG1hJ4kQ',
  composeToken: 'zX2cV5bN8mL1kJ4hG7fR',
  httpEndpointHeader: 'oI9uY2tR6eW3qA7sD1fK',
  wrongType: 'kJ3hG6fD9sA2zX5cV8bQ',
};
const base64 = (s: string): string => Buffer.from(s).toString('base64');

function secretsRepository(privateKey: string): Record<string, string> {
  return {
    'prod/statestore.yaml': `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
  namespace: production
spec:
  type: state.redis
  version: v1
  metadata:
  - name: redisHost
    value: redis.production.svc:6379
  - name: redisPassword
    value: ${CANARY.redisPassword}
  - name: enableTLS
    value: "false"
scopes: [web]
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: db
  namespace: production
spec:
  type: state.postgresql
  version: v1
  metadata:
  - name: connectionString
    value: "host=db user=app password=${CANARY.connectionString} sslmode=disable"
  - name: actorStateStore
    value: { password: ${CANARY.metadataNested} }
  - name: timeout
    value: [${CANARY.wrongType}]
scopes: [web]
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: cache
  namespace: production
spec:
  type: state.redis
  version: v1
  metadata:
  - name: redisHost
    value: "redis://admin:${CANARY.urlPassword}@redis.production.svc:6379"
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: files
  namespace: production
spec:
  type: bindings.aws.s3
  version: v1
  metadata:
  - name: accessKey
    value: ${CANARY.accessKey}
  - name: secretKey
    value: ${CANARY.accessKey}x
`,
    'prod/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: production
spec:
  template:
    metadata:
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: web
        dapr.io/env: "LOG_LEVEL=debug,DAPR_API_TOKEN=${CANARY.envAnnotation},BROKEN_PASSWORD ${CANARY.envAnnotationBroken}"
        dapr.io/sidecar-listen-addresses: 0.0.0.0
    spec:
      containers:
      - name: web
        image: example/web:1
        env:
        - name: DB_PASSWORD
          value: ${CANARY.containerEnv}
`,
    'prod/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: redis
  namespace: production
data:
  password: ${base64(CANARY.secretData)}
stringData:
  token: ${CANARY.secretStringData}
`,
    'prod/endpoint.yaml': `apiVersion: dapr.io/v1alpha1
kind: HTTPEndpoint
metadata:
  name: partner
  namespace: production
spec:
  baseUrl: http://partner.example.com
  headers:
  - name: Authorization
    value: "Bearer ${CANARY.httpEndpointHeader}"
`,
    'local/dapr.yaml': `version: 1
apps:
- appID: local-web
  appDirPath: ./web
  env:
    API_TOKEN: ${CANARY.marEnv}
`,
    'local/docker-compose.yml': `services:
  web:
    image: example/web:1
  web-dapr:
    image: daprio/daprd:1.16.0
    command: ["./daprd", "--app-id", "web", "--dapr-listen-addresses", "0.0.0.0"]
    network_mode: service:web
    environment:
      DAPR_API_TOKEN: ${CANARY.composeToken}
      DB_PASSWORD: ${CANARY.composeEnv}
`,
    'certs/server.key': privateKey,
  };
}

describe('a plaintext-secret finding says where the secret is, never what it is', () => {
  it('no output format carries any planted credential, in whole or in part', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const dir = writeTree(secretsRepository(privateKey));
    const out = await everyFormat(dir);
    // The findings are there: the planted values were seen.
    const ruleIds = new Set((JSON.parse(out.json) as { results: Array<{ ruleId: string }> }).results.map((r) => r.ruleId));
    for (const id of ['DAPR201', 'DAPR203', 'DAPR206', 'DAPR207']) expect(ruleIds, id).toContain(id);
    // Any 8 characters in a row of a canary (or of its base64) would be an echo.
    const fragments = new Set<string>();
    for (const v of Object.values(CANARY)) for (const s of [v, base64(v)]) for (let i = 0; i + 8 <= s.length; i++) fragments.add(s.slice(i, i + 8));
    // The key's first 64 base64 characters are the algorithm's fixed ASN.1 header (the rule docs' examples share it); the rest is the key.
    const keyBody = privateKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (let i = 64; i + 16 <= keyBody.length; i += 4) fragments.add(keyBody.slice(i, i + 16));
    for (const [format, text] of Object.entries(out)) {
      const leaked = [...fragments].filter((f) => text.includes(f));
      expect(leaked, `${format} echoes a secret`).toEqual([]);
    }
  });
});
