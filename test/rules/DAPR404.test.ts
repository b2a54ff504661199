// DAPR404 trust-chain-broken: bundles minted at test time (wrong root,
// mismatched key, issuer outliving the root, and valid ones) in trust bundle
// Secrets (stringData and base64 data) and in the Dapr chart's dapr_sentry.tls
// values; findings point at the issuer certificate, with the root or the key
// as related location, and never print key material.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/policy.js';
import { privateKeyPem } from '../support/certs.js';
import { hits, NOW, of, scanDir, writeTree } from '../helpers.js';
import { daysFrom, makeCertificate, makeKeyPair, makeTrustBundle, TRUST_BUNDLE_VARIANTS } from '../support/certs.js';
import { DAPR_CHART, keyMaterial, leaks, position, printed, sentryValues, trustBundleSecret, valueOf } from '../support/pem-trees.js';

const ID = 'DAPR404';

function related(r: Result): Array<{ file: string; line: number; column: number; label?: string }> {
  return r.related.map((l) => ({ file: l.file, line: l.region.startLine, column: l.region.startColumn, label: l.label }));
}

describe('DAPR404 trust-chain-broken in trust bundle Secrets', () => {
  const files = {
    'wrong-root.yaml': trustBundleSecret(makeTrustBundle(NOW, 'wrong-root'), { namespace: 'prod' }),
    'key-mismatch.yaml': trustBundleSecret(makeTrustBundle(NOW, 'key-mismatch'), { encoding: 'data', namespace: 'dev' }),
    'outlives.yaml': trustBundleSecret(makeTrustBundle(NOW, 'issuer-outlives-root')),
    'valid.yaml': trustBundleSecret(makeTrustBundle(NOW, 'valid')),
  };
  const result = scanDir(writeTree(files));
  const results = of(result, ID);

  it('points at the issuer certificate', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'key-mismatch.yaml', ...valueOf(files['key-mismatch.yaml'], 'issuer.crt') },
      { rule: ID, file: 'outlives.yaml', ...valueOf(files['outlives.yaml'], 'issuer.crt') },
      { rule: ID, file: 'wrong-root.yaml', ...valueOf(files['wrong-root.yaml'], 'issuer.crt') },
    ]);
    // an error in every environment
    expect(results.map((r) => [r.level, r.environments[0]])).toEqual([
      ['error', 'non-production'],
      ['error', 'unclassified'],
      ['error', 'production'],
    ]);
  });

  it('lists the key or the root as related location', () => {
    expect(results.map(related)).toEqual([
      [{ file: 'key-mismatch.yaml', ...valueOf(files['key-mismatch.yaml'], 'issuer.key'), label: 'the issuer key' }],
      [{ file: 'outlives.yaml', ...valueOf(files['outlives.yaml'], 'ca.crt'), label: 'the root certificate (trust anchors)' }],
      [{ file: 'wrong-root.yaml', ...valueOf(files['wrong-root.yaml'], 'ca.crt'), label: 'the root certificate (trust anchors)' }],
    ]);
  });

  it('says which check failed, and why it matters to Sentry', () => {
    const [mismatch, outlives, wrongRoot] = results.map((r) => r.message);
    expect(mismatch).toBe(
      'The issuer key in data[issuer.key] (base64) of Secret "dapr-trust-bundle" does not belong to the Sentry issuer certificate "O=cluster.local, CN=cluster.local" in data[issuer.crt] (base64) of Secret "dapr-trust-bundle". Sentry refuses such a bundle ("issuer key does not match issuer certificate") and does not start, so no sidecar gets a workload certificate. Commit the certificate and key of one pair. (non-production)',
    );
    expect(outlives).toBe(
      'The Sentry issuer certificate "O=cluster.local, CN=cluster.local" in stringData[issuer.crt] of Secret "dapr-trust-bundle" is valid until 2027-06-16T12:00:00Z, 100 days after the root certificate in stringData[ca.crt] of Secret "dapr-trust-bundle" expires (2027-03-08T12:00:00Z): from then on the workload certificates it signs chain to an expired anchor and mTLS fails, while the issuer still looks valid. Re-issue the issuer with a notAfter no later than the root\'s.',
    );
    expect(wrongRoot).toBe(
      'The Sentry issuer certificate "O=cluster.local, CN=cluster.local" in stringData[issuer.crt] of Secret "dapr-trust-bundle" is not signed by the root certificate in stringData[ca.crt] of Secret "dapr-trust-bundle" (its issuer name matches the root, but the root\'s key did not sign it: another root with the same name did). Sentry refuses such a bundle ("issuer chain does not belong to trust anchors") and does not start, so no sidecar gets a workload certificate. Re-issue the issuer from this root, or commit the root that signed it. (production)',
    );
  });

  it('never prints key material, in messages or in SARIF', () => {
    const material = keyMaterial(...Object.values(files));
    expect(material.length).toBeGreaterThan(0);
    expect(leaks(printed(result), material)).toEqual([]);
  });

  it('fires on the three chain variants of the factory and on no other', () => {
    const fired = TRUST_BUNDLE_VARIANTS.filter((v) => of(scanDir(writeTree({ 'b.yaml': trustBundleSecret(makeTrustBundle(NOW, v)) })), ID).length > 0);
    expect(fired).toEqual(['wrong-root', 'key-mismatch', 'issuer-outlives-root']);
  });
});

describe('DAPR404 trust-chain-broken in chart values', () => {
  it('judges the dapr_sentry.tls block of chart values, Flux HelmReleases, Argo CD values strings and plain values files', () => {
    const wrongRoot = makeTrustBundle(NOW, 'wrong-root');
    const mismatch = makeTrustBundle(NOW, 'key-mismatch');
    const outlives = makeTrustBundle(NOW, 'issuer-outlives-root');
    const valid = makeTrustBundle(NOW, 'valid');
    const chartValues = sentryValues({ root: wrongRoot.caCrt, issuer: wrongRoot.issuerCrt, key: wrongRoot.issuerKey });
    const flux = ['apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: dapr', '  namespace: dapr-system', 'spec:', '  chart:', '    spec:', '      chart: dapr', '  values:', ...sentryValues({ root: mismatch.caCrt, issuer: mismatch.issuerCrt, key: mismatch.issuerKey }).split('\n').map((l) => (l ? `    ${l}` : l))].join('\n');
    const argo = ['apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', '  name: dapr', 'spec:', '  source:', '    chart: dapr', '    helm:', '      values: |', ...sentryValues({ root: outlives.caCrt, issuer: outlives.issuerCrt }).split('\n').map((l) => (l ? `        ${l}` : l))].join('\n');
    // helm install -f values.yaml: no Chart.yaml, but `dapr_sentry` says which chart it is for
    const standalone = sentryValues({ root: wrongRoot.caCrt, issuer: wrongRoot.issuerCrt });
    const fine = sentryValues({ root: valid.caCrt, issuer: valid.issuerCrt, key: valid.issuerKey });
    const files = { 'chart/Chart.yaml': DAPR_CHART, 'chart/values.yaml': chartValues, 'flux/dapr.yaml': flux, 'argo/dapr.yaml': argo, 'install/sentry-values.yaml': standalone, 'ok/Chart.yaml': DAPR_CHART, 'ok/values.yaml': fine };
    const result = scanDir(writeTree(files));
    const results = of(result, ID);
    expect(hits(results)).toEqual([
      // the Argo CD values string is parsed in place: the nested certPEM block
      { rule: ID, file: 'argo/dapr.yaml', ...valueOf(argo, 'certPEM', 1) },
      { rule: ID, file: 'chart/values.yaml', ...valueOf(chartValues, 'certPEM', 1) },
      { rule: ID, file: 'flux/dapr.yaml', ...valueOf(flux, 'certPEM', 1) },
      { rule: ID, file: 'install/sentry-values.yaml', ...valueOf(standalone, 'certPEM', 1) },
    ]);
    const [argoR, chartR, fluxR, standaloneR] = results;
    expect(argoR.message).toMatch(/^The Sentry issuer certificate "O=cluster\.local, CN=cluster\.local" in dapr_sentry\.tls\.issuer\.certPEM \(Argo CD Application "dapr" of chart dapr\) is valid until 2027-06-16T12:00:00Z, 100 days after the root certificate in dapr_sentry\.tls\.root\.certPEM \(Argo CD Application "dapr" of chart dapr\) expires \(2027-03-08T12:00:00Z\)/);
    expect(related(argoR)).toEqual([{ file: 'argo/dapr.yaml', ...valueOf(argo, 'certPEM'), label: 'the root certificate (trust anchors)' }]);
    expect(chartR.message).toContain('is not signed by the root certificate in dapr_sentry.tls.root.certPEM (chart/values.yaml of the dapr chart)');
    expect(fluxR.message).toMatch(/^The issuer key in spec\.values\.dapr_sentry\.tls\.issuer\.keyPEM \(HelmRelease "dapr" of chart dapr\) does not belong to the Sentry issuer certificate/);
    expect(related(fluxR)).toEqual([{ file: 'flux/dapr.yaml', ...valueOf(flux, 'keyPEM'), label: 'the issuer key' }]);
    expect(standaloneR.message).toContain('in dapr_sentry.tls.issuer.certPEM is not signed by the root certificate in dapr_sentry.tls.root.certPEM (its issuer name matches the root');
    expect(leaks(printed(result), keyMaterial(...Object.values(files)))).toEqual([]);
  });
});

describe('DAPR404 trust-chain-broken: chains, rotations and partial bundles', () => {
  const root = makeCertificate({ subject: 'root', notBefore: daysFrom(NOW, -10), notAfter: daysFrom(NOW, 700), isCA: true, keyType: 'ed25519' });
  const intermediate = makeCertificate({ subject: 'intermediate', issuer: { cert: root, key: root.key.privateKey }, notBefore: daysFrom(NOW, -10), notAfter: daysFrom(NOW, 600), isCA: true });
  const issuer = makeCertificate({ subject: 'issuer', issuer: { cert: intermediate, key: intermediate.key.privateKey }, notBefore: daysFrom(NOW, -10), notAfter: daysFrom(NOW, 500), isCA: true });

  it('follows the issuer chain through intermediates, with or without the root at its end', () => {
    const viaIntermediate = { caCrt: root.certPem, issuerCrt: issuer.certPem + intermediate.certPem, issuerKey: issuer.keyPem };
    const withRoot = { ...viaIntermediate, issuerCrt: viaIntermediate.issuerCrt + root.certPem };
    const missingLink = { ...viaIntermediate, issuerCrt: issuer.certPem };
    const result = scanDir(writeTree({ 'a.yaml': trustBundleSecret(viaIntermediate), 'b.yaml': trustBundleSecret(withRoot), 'c.yaml': trustBundleSecret(missingLink) }));
    const results = of(result, ID);
    expect(hits(results).map((h) => h.file)).toEqual(['c.yaml']);
    expect(results[0].message).toContain('is not signed by the root certificate in stringData[ca.crt] of Secret "dapr-trust-bundle" (it names "CN=intermediate" as its issuer; the trust anchors are "CN=root")');
  });

  it('accepts an issuer signed by any of several trust anchors (a root rotation)', () => {
    const old = makeTrustBundle(NOW, 'valid');
    const next = makeTrustBundle(NOW, 'valid');
    const rotating = { caCrt: old.caCrt + next.caCrt, issuerCrt: next.issuerCrt, issuerKey: next.issuerKey };
    expect(of(scanDir(writeTree({ 'b.yaml': trustBundleSecret(rotating) })), ID)).toEqual([]);
    // outliving is judged against the anchor that signed the issuer
    const short = makeCertificate({ subject: 'short', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 50), isCA: true, keyType: 'ed25519' });
    const signed = makeCertificate({ subject: 'issuer', issuer: { cert: short, key: short.key.privateKey }, notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 80), isCA: true });
    const bundle = { caCrt: old.caCrt + short.certPem, issuerCrt: signed.certPem, issuerKey: signed.keyPem };
    const file = trustBundleSecret(bundle);
    const results = of(scanDir(writeTree({ 'b.yaml': file })), ID);
    expect(hits(results)).toEqual([{ rule: ID, file: 'b.yaml', ...valueOf(file, 'issuer.crt') }]);
    expect(results[0].message).toContain('is valid until 2027-02-16T12:00:00Z, 30 days after the root certificate in stringData[ca.crt] of Secret "dapr-trust-bundle" expires (2027-01-17T12:00:00Z)');
  });

  it('judges what a partial bundle allows, and skips encrypted, unreadable or SOPS-encrypted parts', () => {
    const mismatch = makeTrustBundle(NOW, 'key-mismatch');
    const wrongRoot = makeTrustBundle(NOW, 'wrong-root');
    const encryptedKey = makeKeyPair('ec').privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    const files = {
      // issuer and key only: the key check still applies
      'key-only.yaml': trustBundleSecret(mismatch, { keys: ['issuer.crt', 'issuer.key'] }),
      // root and issuer only: the chain check still applies
      'no-key.yaml': trustBundleSecret(wrongRoot, { keys: ['ca.crt', 'issuer.crt'] }),
      // nothing to compare
      'encrypted.yaml': trustBundleSecret({ ...makeTrustBundle(NOW, 'valid'), issuerKey: encryptedKey }),
      'garbage.yaml': trustBundleSecret({ ...makeTrustBundle(NOW, 'valid'), issuerKey: '-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5IGF0IGFsbCwgb25seSBzb21lIHRleHQgdGhhdCBsb29rcyBsaWtlIGJhc2U2NA==\n-----END PRIVATE KEY-----\n' }),
      'sops.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: dapr-trust-bundle\ndata:\n  ca.crt: ENC[AES256_GCM,data:W3b1,iv:s3Zb,tag:1s0W,type:str]\n  issuer.crt: ENC[AES256_GCM,data:X4c2,iv:t4ac,tag:2t1X,type:str]\n  issuer.key: ENC[AES256_GCM,data:Y5d3,iv:u5bd,tag:3u2Y,type:str]\nsops:\n  version: 3.9.0\n',
      // the first certificate of issuer.crt is the issuer: unreadable, nothing to judge
      'bad-leaf.yaml': trustBundleSecret({ ...wrongRoot, issuerCrt: '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxsLCBqdXN0IHNvbWUgdGV4dC4=\n-----END CERTIFICATE-----\n' + wrongRoot.issuerCrt }),
      // a ConfigMap holds only the anchors: not a bundle
      'configmap.yaml': trustBundleSecret(wrongRoot).replace('kind: Secret', 'kind: ConfigMap').replace('stringData:', 'data:'),
      // another Secret name: not Sentry's
      'other.yaml': trustBundleSecret(wrongRoot, { name: 'not-the-bundle' }),
    };
    const result = scanDir(writeTree(files));
    expect(result.executionSuccessful).toBe(true);
    const results = of(result, ID);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'key-only.yaml', ...valueOf(files['key-only.yaml'], 'issuer.crt') },
      { rule: ID, file: 'no-key.yaml', ...valueOf(files['no-key.yaml'], 'issuer.crt') },
    ]);
    expect(results.map((r) => r.message.startsWith('The issuer key in'))).toEqual([true, false]);
  });

  it('prefers stringData over data for the same key, as the API server does', () => {
    const good = makeTrustBundle(NOW, 'valid');
    const bad = makeTrustBundle(NOW, 'wrong-root');
    const both = `${trustBundleSecret(bad, { encoding: 'data', keys: ['issuer.crt'] })}stringData:\n  ca.crt: |\n${good.caCrt.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}\n  issuer.crt: |\n${good.issuerCrt.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}\n`;
    expect(of(scanDir(writeTree({ 'b.yaml': both })), ID)).toEqual([]);
    // and the data value is used when stringData lacks the key
    const onlyData = `${trustBundleSecret(bad, { encoding: 'data', keys: ['issuer.crt'] })}stringData:\n  ca.crt: |\n${good.caCrt.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}\n`;
    const results = of(scanDir(writeTree({ 'b.yaml': onlyData })), ID);
    expect(hits(results)).toEqual([{ rule: ID, file: 'b.yaml', ...valueOf(onlyData, 'issuer.crt') }]);
    expect(position(onlyData, 'issuer.crt').line).toBeLessThan(position(onlyData, 'stringData').line);
  });

  it('reads a key in any PEM form Node can load', () => {
    const bundle = makeTrustBundle(NOW, 'valid');
    const sec1 = bundle.issuer.key.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(of(scanDir(writeTree({ 'b.yaml': trustBundleSecret({ ...bundle, issuerKey: sec1 }) })), ID)).toEqual([]);
    const other = privateKeyPem(makeKeyPair('ed25519').privateKey);
    expect(of(scanDir(writeTree({ 'b.yaml': trustBundleSecret({ ...bundle, issuerKey: other }) })), ID)).toHaveLength(1);
  });
});
