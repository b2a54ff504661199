// DAPR207 committed-private-key: every PEM private key in a scanned file is
// reported, wherever and however it is written (plain, escaped, base64, block
// scalar, comment, broken document, .pem file), at the scalar that holds it or
// at its BEGIN line; messages say where it is and never what it is.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/run.js';
import { CORPUS, FIXTURES, hasCorpus, hits, NOW, of, scanDir, scanFixture, writeTree } from '../helpers.js';
import { makeTrustBundle } from '../support/certs.js';
import { base64, DAPR_CHART, indent, keyMaterial, leaks, position, printed, sentryValues, trustBundleSecret, valueOf } from '../support/pem-trees.js';

const ID = 'DAPR207';

/** Every file of a fixture tree, concatenated: the key material it holds. */
function treeText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

/** The key material of `texts` that the scan printed (expected: none); fails if there was nothing to look for. */
function noLeaks(result: ScanResult, ...texts: string[]): string[] {
  const material = keyMaterial(...texts);
  expect(material.length).toBeGreaterThan(0);
  return leaks(printed(result), material);
}

describe('DAPR207 committed-private-key (fixture)', () => {
  const fires = scanFixture('rules/DAPR207/fires');
  const results = of(fires, ID);

  it('scans the fixture without notifications', () => {
    expect(fires.executionSuccessful).toBe(true);
    expect(fires.notifications).toEqual([]);
  });

  it('points at the scalar in YAML, and at the BEGIN line in .pem files, comments and broken documents', () => {
    expect(hits(results)).toEqual([
      // a document that does not parse: the BEGIN marker inside it
      { rule: ID, file: 'broken/bad.yaml', line: 8, column: 5 },
      { rule: ID, file: 'certs/encrypted.pem', line: 1, column: 1 },
      // the key after the certificate
      { rule: ID, file: 'certs/server.pem', line: 12, column: 1 },
      // `keyPEM: |`: the `|`
      { rule: ID, file: 'charts/platform/values.yaml', line: 5, column: 17 },
      // a double-quoted value with \n escapes: its opening quote
      { rule: ID, file: 'components/pulsar.yaml', line: 12, column: 14 },
      // base64 in data
      { rule: ID, file: 'deploy/prod/trust-bundle.yaml', line: 9, column: 15 },
      { rule: ID, file: 'kube/kubeconfig.yaml', line: 10, column: 24 },
      // `# -----BEGIN …`: the marker after the comment sign
      { rule: ID, file: 'notes/commented.yaml', line: 6, column: 3 },
      // two keys in one literal block: two results on the one scalar
      { rule: ID, file: 'tests/fixtures/client.yaml', line: 6, column: 13 },
      { rule: ID, file: 'tests/fixtures/client.yaml', line: 6, column: 13 },
    ]);
  });

  it('is an error in every environment, with security-severity 9.5 from the rule', () => {
    expect(results.map((r) => r.level)).toEqual(Array(10).fill('error'));
    expect(results.map((r) => r.environments[0])).toEqual([
      'unclassified',
      'unclassified',
      'unclassified',
      'unclassified',
      'unclassified',
      'production',
      'unclassified',
      'unclassified',
      'non-production',
      'non-production',
    ]);
    expect(fires.rules.find((r) => r.id === ID)?.securitySeverity).toBe(9.5);
  });

  it('says where the key is, how it is encoded, and what it is for', () => {
    const byFile = (file: string): string[] => results.filter((r) => r.location.file === file).map((r) => r.message);
    expect(byFile('deploy/prod/trust-bundle.yaml')).toEqual([
      'A private key (PEM "PRIVATE KEY") is committed in data[issuer.key] (base64) of Secret "dapr-trust-bundle". It is the Dapr Sentry issuer key: whoever can read the repository can mint workload certificates that every sidecar trusts, and so impersonate any app. Remove it from the repository and its history, rotate it (dapr mtls renew-certificate), and deliver it from a secret manager (External Secrets, Sealed Secrets, SOPS, or Helm valuesFrom a Secret). (production)',
    ]);
    expect(byFile('charts/platform/values.yaml')[0]).toMatch(/^A private key \(PEM "PRIVATE KEY"\) is committed in dapr\.dapr_sentry\.tls\.issuer\.keyPEM\. It is the Dapr Sentry issuer key:/);
    expect(byFile('components/pulsar.yaml')[0]).toMatch(/^A private key \(PEM "EC PRIVATE KEY"\) is committed in spec\.metadata\[privateKey\]\.value of Component "messagebus"\. Whoever can read the repository has it:/);
    expect(byFile('kube/kubeconfig.yaml')[0]).toContain('is committed in users[admin].user.client-key-data (base64).');
    expect(byFile('notes/commented.yaml')[0]).toContain('is committed in a comment (line 6).');
    expect(byFile('broken/bad.yaml')[0]).toContain('is committed in a YAML document that does not parse (line 8).');
    expect(byFile('certs/server.pem')[0]).toContain('is committed in certs/server.pem.');
    expect(byFile('certs/encrypted.pem')[0]).toMatch(/^An encrypted private key \(PEM "ENCRYPTED PRIVATE KEY"\) is committed in certs\/encrypted\.pem\..* A passphrase protects it only as well as the passphrase is strong and kept out of the repository\./);
  });

  it('numbers several keys of one value, and says when the file is under a test folder', () => {
    const client = results.filter((r) => r.location.file === 'tests/fixtures/client.yaml');
    expect(client.map((r) => r.message.slice(0, r.message.indexOf(' is committed')))).toEqual([
      'A private key (PEM "EC PRIVATE KEY"), the 2nd of 2 in this value,',
      'A private key (PEM "PRIVATE KEY"), the 1st of 2 in this value,',
    ]);
    for (const r of client) expect(r.message).toContain('The file is under "tests/": a test key is public all the same, so nothing outside the tests may trust it.');
    // one value, two results: the fingerprints tell them apart
    expect(new Set(client.map((r) => r.fingerprint)).size).toBe(2);
  });

  it('never prints key material, in messages or in SARIF', () => {
    const material = keyMaterial(treeText(path.join(FIXTURES, 'rules/DAPR207/fires')));
    expect(material.length).toBeGreaterThan(40);
    expect(leaks(printed(fires), material)).toEqual([]);
  });

  it('does not fire on SOPS ciphertext, placeholders, public keys, certificates, SealedSecrets or other base64', () => {
    const passes = scanFixture('rules/DAPR207/passes');
    expect(passes.executionSuccessful).toBe(true);
    expect(hits(of(passes, ID))).toEqual([]);
    // the fixture does hold PEM armor and base64, so the silence means something
    expect(passes.model.pemFiles.map((f) => f.file.path)).toEqual(['certs/public.pem', 'certs/server.crt']);
    expect(passes.model.ofType('secret').map((s) => [s.resource.name, s.resource.sops])).toEqual([
      ['redis', false],
      ['dapr-trust-bundle', true],
    ]);
  });
});

describe('DAPR207 committed-private-key (generated keys)', () => {
  const bundle = makeTrustBundle(NOW, 'valid');

  it('finds the issuer key of a trust bundle Secret in base64 data and in stringData', () => {
    const data = trustBundleSecret(bundle, { encoding: 'data', namespace: 'prod' });
    const stringData = trustBundleSecret(bundle, { name: 'copy', namespace: 'dev' });
    const result = scanDir(writeTree({ 'prod/bundle.yaml': data, 'dev/bundle.yaml': stringData }));
    const results = of(result, ID);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'dev/bundle.yaml', ...valueOf(stringData, 'issuer.key') },
      { rule: ID, file: 'prod/bundle.yaml', ...valueOf(data, 'issuer.key') },
    ]);
    // only the dapr-trust-bundle Secret's issuer.key is Sentry's
    expect(results.map((r) => r.message.includes('It is the Dapr Sentry issuer key'))).toEqual([false, true]);
    expect(noLeaks(result, data, stringData)).toEqual([]);
  });

  it('finds dapr_sentry.tls.issuer.keyPEM in chart values, a Flux HelmRelease, Argo CD parameters and a values string', () => {
    const values = sentryValues({ root: bundle.caCrt, issuer: bundle.issuerCrt, key: bundle.issuerKey });
    const flux = ['apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: dapr', 'spec:', '  chart:', '    spec:', '      chart: dapr', '  values:', ...sentryValues({ key: bundle.issuerKey }).split('\n').map((l) => (l ? `    ${l}` : l))].join('\n');
    const escaped = bundle.issuerKey.replace(/\n/g, '\\n');
    const argo = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      '  name: dapr',
      'spec:',
      '  source:',
      '    chart: dapr',
      '    helm:',
      '      parameters:',
      '        - name: dapr_sentry.tls.issuer.keyPEM',
      `          value: "${escaped}"`,
      '      values: |',
      ...sentryValues({ key: bundle.issuerKey }).split('\n').map((l) => (l ? `        ${l}` : l)),
    ].join('\n');
    const result = scanDir(writeTree({ 'chart/Chart.yaml': DAPR_CHART, 'chart/values.yaml': values, 'flux/dapr.yaml': flux, 'argo/dapr.yaml': argo }));
    const results = of(result, ID);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'argo/dapr.yaml', ...valueOf(argo, 'value') },
      // the values string is one literal block: the finding is on its `|`
      { rule: ID, file: 'argo/dapr.yaml', ...valueOf(argo, 'values') },
      { rule: ID, file: 'chart/values.yaml', ...valueOf(values, 'keyPEM') },
      { rule: ID, file: 'flux/dapr.yaml', ...valueOf(flux, 'keyPEM') },
    ]);
    expect(results.map((r) => r.message.includes('It is the Dapr Sentry issuer key'))).toEqual([true, false, true, true]);
    expect(results[0].message).toContain('is committed in spec.source.helm.parameters[dapr_sentry.tls.issuer.keyPEM].value of Application "dapr".');
    expect(results[1].message).toContain('is committed in spec.source.helm.values of Application "dapr".');
    expect(noLeaks(result, values, flux, argo)).toEqual([]);
  });

  it('finds a key in a JSON manifest and in a plain (folded) YAML scalar', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, stringData: { 'tls.key': bundle.issuerKey } }, null, 2);
    const plain = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndata:\n  key:\n${indent(bundle.issuerKey, 4)}`;
    const result = scanDir(writeTree({ 'a/secret.json': json, 'b/plain.yaml': plain }));
    expect(hits(of(result, ID))).toEqual([
      { rule: ID, file: 'a/secret.json', ...position(json, '"-----BEGIN') },
      { rule: ID, file: 'b/plain.yaml', ...position(plain, '-----BEGIN') },
    ]);
    expect(noLeaks(result, json, plain)).toEqual([]);
  });

  it('finds a key whose marker escapes hide from the text: \\x2D in a double-quoted value, base64 split by a line continuation', () => {
    const escaped = JSON.stringify(bundle.issuerKey).replace(/^"-/, '"\\x2D');
    const b64 = base64(bundle.issuerKey);
    const hex = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: hex\nstringData:\n  tls.key: ${escaped}\n`;
    const split = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: split\ndata:\n  tls.key: "${b64.slice(0, 6)}\\\n    ${b64.slice(6)}"\n`;
    expect(hex).not.toContain('-----BEGIN');
    expect(split).not.toContain('LS0tLS1CRUdJ');
    const result = scanDir(writeTree({ 'hex.yaml': hex, 'split.yaml': split }));
    expect(hits(of(result, ID))).toEqual([
      { rule: ID, file: 'hex.yaml', ...valueOf(hex, 'tls.key') },
      { rule: ID, file: 'split.yaml', ...valueOf(split, 'tls.key') },
    ]);
  });

  it('finds base64 of a key wrapped so that the marker is split across lines', () => {
    const b64 = base64(`# key\n${bundle.issuerKey}`);
    const lines = b64.match(/.{1,12}/g) ?? [];
    const wrapped = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: wrapped\ndata:\n  tls.key: |\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
    for (const marker of ['-----BEGIN', 'LS0tLS1CRUdJ', 'LS0tQkVHSU', 'LS0tLUJFR0lO']) expect(wrapped).not.toContain(marker);
    const result = scanDir(writeTree({ 'wrapped.yaml': wrapped }));
    expect(hits(of(result, ID))).toEqual([{ rule: ID, file: 'wrapped.yaml', ...valueOf(wrapped, 'tls.key') }]);
  });

  it('reports a plaintext key that SOPS left unencrypted, and says so', () => {
    const file = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: mixed',
      'stringData:',
      '  password: ENC[AES256_GCM,data:3q2+7w4bZ0Kx,iv:0Jt4m1s3Zb8Q,tag:Yv8r3kG1s0W5,type:str]',
      '  tls.key: |',
      indent(bundle.issuerKey, 4).trimEnd(),
      'sops:',
      '  encrypted_regex: ^password$',
      '  version: 3.9.0',
      '',
    ].join('\n');
    const results = of(scanDir(writeTree({ 'mixed.yaml': file })), ID);
    expect(hits(results)).toEqual([{ rule: ID, file: 'mixed.yaml', ...valueOf(file, 'tls.key') }]);
    expect(results[0].message).toContain('(the file is SOPS-encrypted, but this value is not: encrypted_regex or unencrypted_suffix left it in plaintext)');
  });

  it('can be suppressed with a comment above the key, because it points at the scalar', () => {
    const file = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: tls', 'stringData:', '  # dapr-policy-disable-next-line DAPR207 -- throwaway key of the e2e cluster', '  tls.key: |', indent(bundle.issuerKey, 4)].join('\n');
    const result = scanDir(writeTree({ 'e2e.yaml': file }));
    const all = result.results.filter((r) => r.ruleId === ID);
    expect(all).toHaveLength(1);
    expect(all[0].suppression?.justification).toBe('throwaway key of the e2e cluster');
  });

  it('keeps fingerprints stable when lines move', () => {
    const secret = trustBundleSecret(bundle);
    const before = of(scanDir(writeTree({ 's.yaml': secret })), ID)[0];
    const after = of(scanDir(writeTree({ 's.yaml': `# a new comment\n# and another\n${secret}` })), ID)[0];
    expect(after.location.region.startLine).toBe(before.location.region.startLine + 2);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('reads a base64 value only when all of it is base64 of PEM', () => {
    const half = base64(bundle.issuerKey).slice(0, 120);
    const file = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  truncated: ${half}\n  words: ${'not base64 at all '.repeat(8)}\n`;
    expect(of(scanDir(writeTree({ 'x.yaml': file })), ID)).toEqual([]);
  });
});

// The corpus holds real repositories: every hit of the PEM rules was read by
// hand. components-contrib commits test keys for its certification tests (a
// double-quoted RSA key, two PKCS#8 keys in literal blocks); its metadata.yaml
// example `-----BEGIN PRIVATE KEY-----\nXXX\n…` is a placeholder. No Secret,
// ConfigMap, chart value or .crt/.pem file there holds a certificate, so
// DAPR403 and DAPR404 stay silent (certificates in Component metadata are not
// theirs to judge). One scan for the three rules.
describe.skipIf(!hasCorpus)('DAPR207, DAPR403 and DAPR404 on the corpus', () => {
  it('finds the three committed test keys of components-contrib, and nothing else', () => {
    const result = scanDir(CORPUS);
    expect(result.executionSuccessful).toBe(true);
    const base = 'dapr__components-contrib/tests/certification';
    expect(hits(of(result, ID))).toEqual([
      { rule: ID, file: `${base}/bindings/rabbitmq/mtls_sasl_external/components/mtls_external/rabbitmq-mtls.yaml`, line: 63, column: 14 },
      { rule: ID, file: `${base}/pubsub/pulsar/components/auth-none/consumer_six/pulsar.yaml`, line: 18, column: 12 },
      { rule: ID, file: `${base}/pubsub/rabbitmq/mtls_sasl_external/components/mtls_external/rabbitmq-mtls.yaml`, line: 89, column: 14 },
    ]);
    expect(of(result, ID).map((r) => [r.level, r.environments])).toEqual(Array(3).fill(['error', ['non-production']]));
    expect(of(result, 'DAPR403')).toEqual([]);
    expect(of(result, 'DAPR404')).toEqual([]);
  });
});

describe('DAPR207 in JSON files that are not manifests', () => {
  it('finds a key pasted into one, escaped in a string or raw after it; a JSON file without one is not even kept', () => {
    const pem = fs.readFileSync(path.join(FIXTURES, 'rules/DAPR207/fires/certs/server.pem'), 'utf8');
    const dir = writeTree({
      'settings/escaped.json': JSON.stringify({ name: 'x', key: pem }, null, 2),
      'settings/raw.json': `{\n  "note": "pasted below"\n}\n${pem}`,
      'dashboards/orders.json': JSON.stringify({ title: 'orders', panels: [{ expr: 'dapr_http_server_request_count' }] }),
    });
    const result = scanDir(dir);
    const column = JSON.stringify({ name: 'x', key: pem }, null, 2).split('\n')[2].indexOf('-----BEGIN PRIVATE KEY') + 1;
    expect(hits(result.results, ID)).toEqual([
      { rule: ID, file: 'settings/escaped.json', line: 3, column },
      { rule: ID, file: 'settings/raw.json', line: 4 + pem.slice(0, pem.indexOf('-----BEGIN PRIVATE KEY')).split('\n').length - 1, column: 1 },
    ]);
    const dashboard = result.model.parsed.find((p) => p.file.path === 'dashboards/orders.json');
    expect(dashboard).toMatchObject({ text: '', skipped: true, docs: [] });
  });

  it('finds a key in a .key file and in a Helm template (read as text), not in a file discovery does not read', () => {
    const pem = fs.readFileSync(path.join(FIXTURES, 'rules/DAPR207/fires/certs/server.pem'), 'utf8');
    const template = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-tls\nstringData:\n  tls.key: |\n${pem.replace(/^/gm, '    ').trimEnd()}\n`;
    const dir = writeTree({
      'certs/server.key': pem,
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'chart/templates/secret.yaml': template,
      'env/server.env': `KEY="${pem}"`,
    });
    const result = scanDir(dir);
    const line = (text: string): number => text.slice(0, text.indexOf('-----BEGIN PRIVATE KEY')).split('\n').length;
    expect(hits(result.results, ID)).toEqual([
      { rule: ID, file: 'certs/server.key', line: line(pem), column: 1 },
      { rule: ID, file: 'chart/templates/secret.yaml', line: line(template), column: 5 },
    ]);
  });
});
