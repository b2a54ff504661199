// DAPR201 / DAPR202 / DAPR501 on real manifests (../shared/corpus, skipped
// when absent): the literal commercetools clientSecret, and the password and
// `sslmode=disable` inside the drasi sample's PostgreSQL connection strings,
// located exactly.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/run.js';
import { CORPUS, FIXTURES, hasCorpus, of, scanDir } from '../helpers.js';
import { highlighted } from '../support/findings.js';

const DRASI = 'dapr__samples/reactive-dapr-with-drasi/services';

/** [file under DRASI, line, password start, password end, sslmode start, sslmode end] */
const DRASI_STORES: ReadonlyArray<readonly [string, number, number, number, number, number]> = [
  ['catalogue/k8s/dapr/statestore-drasi.yaml', 13, 90, 98, 118, 133],
  ['catalogue/k8s/dapr/statestore.yaml', 11, 90, 98, 118, 133],
  ['customers/k8s/dapr/statestore.yaml', 10, 90, 98, 118, 133],
  ['orders/k8s/dapr/statestore.yaml', 10, 87, 95, 112, 127],
  ['products/k8s/dapr/statestore.yaml', 10, 89, 97, 116, 131],
  ['reviews/k8s/dapr/statestore.yaml', 10, 88, 96, 114, 129],
];

describe.skipIf(!hasCorpus)('credential and transport rules on the corpus', () => {
  const scanned = hasCorpus ? scanDir(CORPUS) : undefined;
  /** The corpus scan; the suite is skipped without a corpus, so this never throws when it runs. */
  const corpus = (): ScanResult => {
    if (!scanned) throw new Error('corpus not scanned');
    return scanned;
  };
  const get = (rule: string, file: string) => of(corpus(), rule).filter((r) => r.location.file === file);

  it('DAPR201 on the literal clientSecret of the commercetools binding', () => {
    const scan = corpus();
    const [r, ...rest] = get('DAPR201', 'dapr__samples/commercetools-graphql-sample/components/commercetools_bindings.yaml');
    expect(rest).toEqual([]);
    expect(r.location.region).toEqual({ startLine: 19, startColumn: 14, endLine: 19, endColumn: 46 });
    expect(r.level).toBe('error');
    expect(r.message).toBe(
      'Component "sample-project" (bindings.commercetools): metadata item "clientSecret" is a credential written in plain text (`clientSecret` is marked sensitive in the bindings.commercetools metadata). Anyone who can read the repository can use it. Reference it with secretKeyRef (a Kubernetes Secret, or the store named in auth.secretStore) or envRef instead, and rotate the credential.',
    );
    // the secret itself is what is highlighted, and it is never repeated
    const secret = highlighted(scan, r);
    expect(secret).toHaveLength(32);
    expect(r.message).not.toContain(secret);
    // clientID and projectKey are identifiers, not secrets
    expect(get('DAPR201', 'dapr__samples/commercetools-graphql-sample/components/commercetools_bindings.yaml')).toHaveLength(1);
  });

  it.each(DRASI_STORES)('DAPR201 on the password and DAPR501 on sslmode=disable in %s', (file, line, pwStart, pwEnd, sslStart, sslEnd) => {
    const scan = corpus();
    const rel = `${DRASI}/${file}`;
    const secrets = get('DAPR201', rel);
    expect(secrets.map((r) => r.location.region)).toEqual([{ startLine: line, startColumn: pwStart, endLine: line, endColumn: pwEnd }]);
    expect(highlighted(scan, secrets[0])).toBe('postgres');
    expect(secrets[0].level).toBe('error');
    expect(secrets[0].message).toContain('(state.postgresql): metadata item "connectionString" embeds a credential in plain text: the password= value of its connection string.');
    expect(secrets[0].message).not.toContain('password=postgres');

    const tls = get('DAPR501', rel);
    expect(tls.map((r) => r.location.region)).toEqual([{ startLine: line, startColumn: sslStart, endLine: line, endColumn: sslEnd }]);
    expect(highlighted(scan, tls[0])).toBe('sslmode=disable');
    expect(tls[0].level).toBe('warning');
    expect(tls[0].message).toContain(
      'metadata item "connectionString" sets sslmode=disable in its connection string, so the PostgreSQL connection never uses TLS. Its host (connectionString) is not loopback, so the traffic crosses the network.',
    );
    expect(tls[0].message).not.toContain('password=');
  });

  it('does not report fill-in markers, key file names or templated values of the corpus', () => {
    const at = (rule: string, file: string, line: number) => get(rule, file).filter((r) => r.location.region.startLine === line);
    // Bearer {SQUARE_SANDBOX_TOKEN}
    expect(get('DAPR201', 'dapr__samples/workflow-external-invocation/Resources/httpEndpoint.yaml')).toEqual([]);
    // redisPassword: REPLACE_SECRET
    expect(get('DAPR201', 'dapr__samples/functions-and-keda/deploy/redis.yaml')).toEqual([]);
    // pulsar privateKey: private.key
    expect(at('DAPR201', 'dapr__components-contrib/tests/certification/pubsub/pulsar/components/auth-none/consumer_five/pulsar.yaml', 18)).toEqual([]);
    // key: $((ed25519PrivateKey))
    expect(at('DAPR201', 'dapr__components-contrib/tests/config/state/cloudflare/workerskv/statestore.yml', 19)).toEqual([]);
    // redirectURL: http://dummy.com is opened by the browser, not dialled by the component
    expect(get('DAPR501', 'dapr__samples/middleware-oauth-google/deploy/oauth2.yaml')).toEqual([]);
  });
});

describe('credential and transport fixtures', () => {
  it('cover at least 25 component types across DAPR201, DAPR202 and DAPR501', () => {
    const types = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) for (const m of fs.readFileSync(p, 'utf8').matchAll(/^ {2}type: ([a-z0-9.-]+\.[a-z0-9.-]+)$/gm)) types.add(m[1]);
      }
    };
    for (const id of ['DAPR201', 'DAPR202', 'DAPR501']) walk(path.join(FIXTURES, 'rules', id));
    expect(types.size).toBeGreaterThanOrEqual(25);
  });
});
