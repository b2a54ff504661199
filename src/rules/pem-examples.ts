// Fixed PEM data for the docs examples of DAPR207, DAPR403 and DAPR404. The
// examples are static YAML run by test/rules/examples.test.ts at any date, so
// these were minted once with test/support/certs.ts at fixed dates (not
// relative to a clock): expired in 2020, or valid from 2025 to 2098/2099.
// Throwaway material made for these docs; no real system trusts it.

/** A self-signed Ed25519 root `O=cluster.local, CN=cluster.local`, valid 2019-01-01 to 2020-01-01. */
export const EXPIRED_ROOT_EXAMPLE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBgTCCATOgAwIBAgIQXUz7PClOkLxwWyx8ybfjLzAFBgMrZXAwMDEWMBQGA1UE',
  'CgwNY2x1c3Rlci5sb2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDAeFw0xOTAx',
  'MDEwMDAwMDBaFw0yMDAxMDEwMDAwMDBaMDAxFjAUBgNVBAoMDWNsdXN0ZXIubG9j',
  'YWwxFjAUBgNVBAMMDWNsdXN0ZXIubG9jYWwwKjAFBgMrZXADIQAfpvND93GsBmLj',
  'dtD3tpsTVL39IprQuRZM4rAoY0YJVqNjMGEwDwYDVR0TAQH/BAUwAwEB/zAOBgNV',
  'HQ8BAf8EBAMCAQYwHQYDVR0OBBYEFCUgATBWk1WFEggh6WLLboK/29LgMB8GA1Ud',
  'IwQYMBaAFCUgATBWk1WFEggh6WLLboK/29LgMAUGAytlcANBAHfOQI05UbvQyQk8',
  '+3YaqcJU7MohY7ZUJc3SW4lm3nIydgf3twUrs0L939iylt5qu+7Z3crU63V3+wwb',
  'Sdfp5ww=',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** A self-signed Ed25519 root `O=cluster.local, CN=cluster.local`, valid 2025-01-01 to 2099-01-01. */
export const ROOT_EXAMPLE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBgzCCATWgAwIBAgIQSQ+0nxYuDOGALFk0ApxSRzAFBgMrZXAwMDEWMBQGA1UE',
  'CgwNY2x1c3Rlci5sb2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDAgFw0yNTAx',
  'MDEwMDAwMDBaGA8yMDk5MDEwMTAwMDAwMFowMDEWMBQGA1UECgwNY2x1c3Rlci5s',
  'b2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDAqMAUGAytlcAMhAF6rIdT8frnO',
  'NB/BLcgIP+sWU8oVkjNqVSb9IO7v8gtgo2MwYTAPBgNVHRMBAf8EBTADAQH/MA4G',
  'A1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUUNf+eb5DMqQZd44vXdznpSmxgegwHwYD',
  'VR0jBBgwFoAUUNf+eb5DMqQZd44vXdznpSmxgegwBQYDK2VwA0EAeKimNV44Cxpn',
  '2xe2X8A+Nr5qQGDv6bRw+3rYXYhkUaPXyoUoiBgbXQFHjq6yQ1VFB6yUt1TLwM2M',
  'pWbqa1zXCw==',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** An ECDSA issuer signed by `ROOT_EXAMPLE`, valid 2025-01-01 to 2098-01-01. */
export const ISSUER_EXAMPLE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBsjCCAWSgAwIBAgIQcdM7/8S0WBMSENADbEVdczAFBgMrZXAwMDEWMBQGA1UE',
  'CgwNY2x1c3Rlci5sb2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDAgFw0yNTAx',
  'MDEwMDAwMDBaGA8yMDk4MDEwMTAwMDAwMFowMDEWMBQGA1UECgwNY2x1c3Rlci5s',
  'b2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDBZMBMGByqGSM49AgEGCCqGSM49',
  'AwEHA0IABKPm9DDU/aW3wxxmhlbF0sse3NPljsMHV/7tNPt+k6Gk2DyikoDmOfML',
  'kmKLhH5Xe6u/rDISAL6T+ObIwcLo1QyjYzBhMA8GA1UdEwEB/wQFMAMBAf8wDgYD',
  'VR0PAQH/BAQDAgEGMB0GA1UdDgQWBBSpct0z9Qi3Lw/VGy2dpQ70hC3+HjAfBgNV',
  'HSMEGDAWgBRQ1/55vkMypBl3ji9d3OelKbGB6DAFBgMrZXADQQD683lZzfOZ4CSj',
  'nmhW3dngfO9g8r2xKn0u1ct7lI722HCz/FO24Ei1nSt67q7/kdLWIhI1O929JlWR',
  'klYetKAH',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** An ECDSA issuer with the same names, signed by another root (not `ROOT_EXAMPLE`), valid 2025-01-01 to 2098-01-01. */
export const FOREIGN_ISSUER_EXAMPLE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBsjCCAWSgAwIBAgIQMQJVBNLzgT51uBjj4b+jTDAFBgMrZXAwMDEWMBQGA1UE',
  'CgwNY2x1c3Rlci5sb2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDAgFw0yNTAx',
  'MDEwMDAwMDBaGA8yMDk4MDEwMTAwMDAwMFowMDEWMBQGA1UECgwNY2x1c3Rlci5s',
  'b2NhbDEWMBQGA1UEAwwNY2x1c3Rlci5sb2NhbDBZMBMGByqGSM49AgEGCCqGSM49',
  'AwEHA0IABAHXiOEVIBknSxCeZb/YizsYBzcKDcArWyGwOYYk/5U7JydAPZ13uyhr',
  'RvV5t661qmflmPo1GnR6x1hviOIxLHWjYzBhMA8GA1UdEwEB/wQFMAMBAf8wDgYD',
  'VR0PAQH/BAQDAgEGMB0GA1UdDgQWBBQgH81eQuqVvmog4kFYth6GOyqa0zAfBgNV',
  'HSMEGDAWgBTpIfwpkITHHebREmVdUDf2N8J49DAFBgMrZXADQQBZqpP6Le9YJn5N',
  'oqE62aIS6Ft4OEFL//5F6+OJ4Iq8RR4t4I6ZBuu2cvnQRDUN0rbsoBc9aOHLNZ7z',
  'qfl2yDAK',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** A throwaway Ed25519 private key (PKCS#8), generated for the DAPR207 docs only. */
export const SENTRY_ISSUER_KEY_EXAMPLE = [
  '-----BEGIN PRIVATE KEY-----',
  'MC4CAQAwBQYDK2VwBCIEIIFEy3+7q4XNMOT4OmxHbsnPsJks7I8s4ztrq2EIo4QJ',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');

/**
 * A Flux HelmRelease of the Dapr chart whose Sentry issuer key comes from a
 * Secret the repository does not hold, with the root and issuer certificates
 * inline when given, for the docs examples.
 */
export function daprHelmRelease(certs?: { root: string; issuer: string }): string {
  const block = (pem: string): string[] => pem.trimEnd().split('\n').map((l) => `            ${l}`);
  const values = certs ? ['  values:', '    dapr_sentry:', '      tls:', '        root:', '          certPEM: |', ...block(certs.root), '        issuer:', '          certPEM: |', ...block(certs.issuer)] : [];
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: dapr',
    '  namespace: dapr-system',
    'spec:',
    '  chart:',
    '    spec:',
    '      chart: dapr',
    '      version: 1.16.x',
    '  valuesFrom:',
    '    - kind: Secret',
    '      name: sentry-issuer',
    '      valuesKey: issuer.key',
    '      targetPath: dapr_sentry.tls.issuer.keyPEM',
    ...values,
    '',
  ].join('\n');
}
