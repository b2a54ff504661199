// DAPR403 certificate-expiry: certificates minted at test time relative to the
// fixed clock (expired, not yet valid, expiring in 10 days, valid) in trust
// bundle Secrets, ConfigMaps, chart values and .crt/.pem files; the message
// gives notAfter and the exact days; non-production is a warning.
import { describe, expect, it } from 'vitest';
import { hits, NOW, of, scanDir, writeTree } from '../helpers.js';
import { daysFrom, makeCertificate, makeTrustBundle, TRUST_BUNDLE_VARIANTS } from '../support/certs.js';
import { base64, DAPR_CHART, indent, keyMaterial, leaks, position, printed, sentryValues, trustBundleSecret, valueOf } from '../support/pem-trees.js';

const ID = 'DAPR403';
const ANCHOR = 'The Dapr trust anchor (root) certificate "O=cluster.local, CN=cluster.local"';
const ISSUER = 'The Dapr Sentry issuer certificate "O=cluster.local, CN=cluster.local"';

describe('DAPR403 certificate-expiry in trust bundle Secrets', () => {
  const files = {
    'prod/root-expired.yaml': trustBundleSecret(makeTrustBundle(NOW, 'root-expired'), { namespace: 'prod' }),
    'dev/issuer-expired.yaml': trustBundleSecret(makeTrustBundle(NOW, 'issuer-expired'), { namespace: 'dev' }),
    'staging/not-yet-valid.yaml': trustBundleSecret(makeTrustBundle(NOW, 'not-yet-valid'), { namespace: 'staging' }),
    'shop/expiring.yaml': trustBundleSecret(makeTrustBundle(NOW, 'expiring'), { namespace: 'shop', encoding: 'data' }),
    'shop/valid.yaml': trustBundleSecret(makeTrustBundle(NOW, 'valid'), { name: 'other', namespace: 'shop' }),
  };
  const result = scanDir(writeTree(files));
  const results = of(result, ID);

  it('checks every certificate of every bundle, at the scalar that holds it', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'dev/issuer-expired.yaml', ...valueOf(files['dev/issuer-expired.yaml'], 'issuer.crt') },
      { rule: ID, file: 'prod/root-expired.yaml', ...valueOf(files['prod/root-expired.yaml'], 'ca.crt') },
      { rule: ID, file: 'prod/root-expired.yaml', ...valueOf(files['prod/root-expired.yaml'], 'issuer.crt') },
      { rule: ID, file: 'shop/expiring.yaml', ...valueOf(files['shop/expiring.yaml'], 'ca.crt') },
      { rule: ID, file: 'shop/expiring.yaml', ...valueOf(files['shop/expiring.yaml'], 'issuer.crt') },
      { rule: ID, file: 'staging/not-yet-valid.yaml', ...valueOf(files['staging/not-yet-valid.yaml'], 'ca.crt') },
      { rule: ID, file: 'staging/not-yet-valid.yaml', ...valueOf(files['staging/not-yet-valid.yaml'], 'issuer.crt') },
    ]);
  });

  it('is an error, and a warning outside production', () => {
    expect(results.map((r) => [r.location.file, r.level, r.environments])).toEqual([
      ['dev/issuer-expired.yaml', 'warning', ['non-production']],
      ['prod/root-expired.yaml', 'error', ['production']],
      ['prod/root-expired.yaml', 'error', ['production']],
      ['shop/expiring.yaml', 'error', ['unclassified']],
      ['shop/expiring.yaml', 'error', ['unclassified']],
      ['staging/not-yet-valid.yaml', 'warning', ['non-production']],
      ['staging/not-yet-valid.yaml', 'warning', ['non-production']],
    ]);
  });

  it('gives the notAfter date and the exact days', () => {
    const [issuerExpired, rootExpired, rootExpiredIssuer, expiringRoot, expiringIssuer, notYetRoot] = results.map((r) => r.message);
    expect(issuerExpired).toBe(
      `${ISSUER} in stringData[issuer.crt] of Secret "dapr-trust-bundle" expired on 2026-11-23T12:00:00Z, 5 days ago. Sidecars reject every workload certificate that chains to it, so mTLS between Dapr apps fails. Renew the root and issuer (dapr mtls renew-certificate) and commit the new certificates. (non-production)`,
    );
    expect(rootExpired).toContain(`${ANCHOR} in stringData[ca.crt] of Secret "dapr-trust-bundle" expired on 2026-10-24T12:00:00Z, 35 days ago.`);
    expect(rootExpiredIssuer).toContain('expired on 2026-10-23T12:00:00Z, 36 days ago.');
    expect(expiringRoot).toBe(
      `${ANCHOR} in data[ca.crt] (base64) of Secret "dapr-trust-bundle" expires on 2026-12-08T12:00:00Z, in 10 days (config certificateExpiryDays: 30). Once it expires, sidecars reject every workload certificate that chains to it and mTLS between Dapr apps fails. Renew the root and issuer (dapr mtls renew-certificate) and commit the new certificates.`,
    );
    expect(expiringIssuer).toContain(`${ISSUER} in data[issuer.crt] (base64) of Secret "dapr-trust-bundle" expires on 2026-12-08T12:00:00Z, in 10 days`);
    expect(notYetRoot).toBe(
      `${ANCHOR} in stringData[ca.crt] of Secret "dapr-trust-bundle" is not valid before 2026-11-30T12:00:00Z (in 2 days); it expires on 2027-11-30T12:00:00Z, 367 days from now. Until then, sidecars reject the workload certificates that chain to it. Check the clock of the machine that issued it, or re-issue it with a notBefore in the past. (non-production)`,
    );
  });

  it('never prints key material', () => {
    const material = keyMaterial(...Object.values(files));
    expect(material.length).toBeGreaterThan(0);
    expect(leaks(printed(result), material)).toEqual([]);
  });
});

describe('DAPR403 certificate-expiry elsewhere', () => {
  it('checks ConfigMaps, Secrets of any name, and the Sentry chart values', () => {
    const expiring = makeTrustBundle(NOW, 'expiring');
    const expired = makeTrustBundle(NOW, 'root-expired');
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dapr-trust-bundle\n  namespace: dapr-system\ndata:\n  ca.crt: |\n${indent(expired.caCrt, 4)}`;
    const tlsSecret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: gateway-tls\n  namespace: dapr-system\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${base64(expiring.issuerCrt)}\n`;
    const values = sentryValues({ root: expiring.caCrt, issuer: expiring.issuerCrt });
    const files = { 'cluster/trust-bundle.yaml': configMap, 'cluster/gateway.yaml': tlsSecret, 'dapr/Chart.yaml': DAPR_CHART, 'dapr/values-prod.yaml': values };
    const results = of(scanDir(writeTree(files)), ID);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'cluster/gateway.yaml', ...valueOf(tlsSecret, 'tls.crt') },
      { rule: ID, file: 'cluster/trust-bundle.yaml', ...valueOf(configMap, 'ca.crt') },
      { rule: ID, file: 'dapr/values-prod.yaml', ...valueOf(values, 'certPEM') },
      { rule: ID, file: 'dapr/values-prod.yaml', ...valueOf(values, 'certPEM', 1) },
    ]);
    const [gateway, configMapRoot, root, issuer] = results;
    expect(gateway.message).toMatch(/^The certificate "O=cluster\.local, CN=cluster\.local" in data\[tls\.crt\] \(base64\) of Secret "gateway-tls" expires on 2026-12-08T12:00:00Z, in 10 days \(config certificateExpiryDays: 30\)\. Once it expires, TLS peers reject it\. Renew it and commit the new certificate\.$/);
    expect(configMapRoot.message).toContain(`${ANCHOR} in data[ca.crt] of ConfigMap "dapr-trust-bundle" expired on 2026-10-24T12:00:00Z, 35 days ago.`);
    // values-prod.yaml of the dapr chart: production
    expect(root.message).toMatch(/^The Dapr trust anchor \(root\) certificate "O=cluster\.local, CN=cluster\.local" in dapr_sentry\.tls\.root\.certPEM \(dapr\/values-prod\.yaml of the dapr chart\) expires on 2026-12-08T12:00:00Z, in 10 days .*\(production\)$/);
    expect(issuer.message).toContain(`${ISSUER} in dapr_sentry.tls.issuer.certPEM (dapr/values-prod.yaml of the dapr chart) expires on`);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('checks every certificate of a .crt/.pem file, at its BEGIN line', () => {
    const issuerExpired = makeTrustBundle(NOW, 'issuer-expired');
    const rootExpired = makeTrustBundle(NOW, 'root-expired');
    // issuer chain: an expired issuer, then its valid root
    const chain = issuerExpired.issuerCrt + issuerExpired.caCrt;
    // both expired, with a key between them (DAPR207's business, not this rule's)
    const both = rootExpired.issuerCrt + rootExpired.issuerKey + rootExpired.caCrt;
    const results = of(scanDir(writeTree({ 'certs/chain.crt': chain, 'certs/both.pem': both })), ID);
    expect(hits(results)).toEqual([
      { rule: ID, file: 'certs/both.pem', ...position(both, '-----BEGIN CERTIFICATE-----') },
      { rule: ID, file: 'certs/both.pem', ...position(both, '-----BEGIN CERTIFICATE-----', { nth: 1 }) },
      { rule: ID, file: 'certs/chain.crt', line: 1, column: 1 },
    ]);
    expect(results.map((r) => r.location.region)).toContainEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 28 });
    expect(results[0].message).toMatch(/^The certificate "O=cluster\.local, CN=cluster\.local", certificate 1 of 2 in certs\/both\.pem expired on 2026-10-23T12:00:00Z, 36 days ago\./);
    expect(results[1].message).toContain(', certificate 2 of 2 in certs/both.pem expired on 2026-10-24T12:00:00Z, 35 days ago.');
    expect(results[2].message).toContain(', certificate 1 of 2 in certs/chain.crt expired on 2026-11-23T12:00:00Z, 5 days ago.');
    expect(leaks(printed(scanDir(writeTree({ 'certs/both.pem': both }))), keyMaterial(both))).toEqual([]);
  });

  it('warns certificateExpiryDays ahead, inclusive, and follows the scan clock', () => {
    const bundle = makeTrustBundle(NOW, 'expiring');
    const files = { 'bundle.yaml': trustBundleSecret(bundle, { keys: ['ca.crt'] }) };
    expect(of(scanDir(writeTree(files, { certificateExpiryDays: 9 })), ID)).toEqual([]);
    const at10 = of(scanDir(writeTree(files, { certificateExpiryDays: 10 })), ID);
    expect(at10.map((r) => r.message)).toEqual([expect.stringContaining('expires on 2026-12-08T12:00:00Z, in 10 days (config certificateExpiryDays: 10).')]);
    // the same valid bundle, scanned 400 days later
    const valid = { 'bundle.yaml': trustBundleSecret(makeTrustBundle(NOW, 'valid'), { keys: ['ca.crt'] }) };
    expect(of(scanDir(writeTree(valid)), ID)).toEqual([]);
    const later = of(scanDir(writeTree(valid), { now: daysFrom(NOW, 400) }), ID);
    expect(later.map((r) => r.message)).toEqual([expect.stringContaining('expired on 2027-11-28T12:00:00Z, 35 days ago.')]);
    // less than a day left, and expired less than a day ago
    const soon = makeCertificate({ subject: 'soon', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 0.5), isCA: true });
    const gone = makeCertificate({ subject: 'gone', notBefore: daysFrom(NOW, -2), notAfter: daysFrom(NOW, -0.5), isCA: true });
    const edge = of(scanDir(writeTree({ 'soon.crt': soon.certPem, 'gone.crt': gone.certPem })), ID);
    expect(edge.map((r) => r.message.slice(0, r.message.indexOf('.', r.message.indexOf('Z,')) + 1))).toEqual([
      'The certificate "CN=gone" in gone.crt expired on 2026-11-28T00:00:00Z, less than a day ago.',
      'The certificate "CN=soon" in soon.crt expires on 2026-11-29T00:00:00Z, in less than a day (config certificateExpiryDays: 30).',
    ]);
  });

  it('does not fire on valid certificates, SOPS ciphertext or values that are not certificates', () => {
    const valid = makeTrustBundle(NOW, 'valid');
    const garbage = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxsLCBqdXN0IHNvbWUgdGV4dC4=\n-----END CERTIFICATE-----\n';
    const sops = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: dapr-trust-bundle\ndata:\n  ca.crt: ENC[AES256_GCM,data:W3b1n0bq9kJ2,iv:s3Zb8Q1R5K2s,tag:1s0W5Zq2Q1p9,type:str]\nsops:\n  version: 3.9.0\n';
    const files = {
      'valid.yaml': trustBundleSecret(valid),
      'valid.pem': valid.caCrt + valid.issuerCrt,
      'garbage.crt': garbage,
      'garbage.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g\ndata:\n  ca.crt: |\n${indent(garbage, 4)}`,
      'sops.yaml': sops,
    };
    const result = scanDir(writeTree(files));
    expect(result.executionSuccessful).toBe(true);
    expect(of(result, ID)).toEqual([]);
  });

  it('fires on the expiry variants of the factory and on no other', () => {
    const fired = TRUST_BUNDLE_VARIANTS.filter((v) => of(scanDir(writeTree({ 'b.yaml': trustBundleSecret(makeTrustBundle(NOW, v)) })), ID).length > 0);
    expect(fired).toEqual(['root-expired', 'issuer-expired', 'not-yet-valid', 'expiring']);
  });
});
