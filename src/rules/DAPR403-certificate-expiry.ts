// DAPR403 certificate-expiry: a certificate in the repository has expired, is
// not valid yet, or expires within `certificateExpiryDays` of the scan's clock.
import { type CertificateSummary, type CertificateValidity, certificateValidity, MS_PER_DAY, parseCertificate } from '../knowledge/pem.js';
import { certificateValues, distinguishedName, isCertificateBlock, occurrences, type PemOccurrence, reportInScopes } from './pem-sources.js';
import { EXPIRED_ROOT_EXAMPLE, ROOT_EXAMPLE } from './pem-examples.js';
import type { Rule } from './types.js';

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function isSentry(o: PemOccurrence): boolean {
  return o.value.role === 'root' || o.value.role === 'issuer';
}

function describeCertificate(o: PemOccurrence, cert: CertificateSummary): string {
  const kind = o.value.role === 'root' ? 'The Dapr trust anchor (root) certificate' : o.value.role === 'issuer' ? 'The Dapr Sentry issuer certificate' : 'The certificate';
  const nth = o.count > 1 ? `, certificate ${o.index} of ${o.count} in` : ' in';
  return `${kind} "${distinguishedName(cert.subject)}"${nth} ${o.value.where}`;
}

/** What is wrong, with the exact days and dates. */
function state(v: CertificateValidity, now: Date, cert: CertificateSummary, warnDays: number): string {
  if (v.status === 'expired') {
    const ago = Math.floor((now.getTime() - cert.notAfter.getTime()) / MS_PER_DAY);
    return `expired on ${v.notAfter}, ${ago === 0 ? 'less than a day' : days(ago)} ago`;
  }
  if (v.status === 'not-yet-valid') {
    const until = Math.ceil((cert.notBefore.getTime() - now.getTime()) / MS_PER_DAY);
    return `is not valid before ${v.notBefore} (in ${days(until)}); it expires on ${v.notAfter}, ${days(v.daysLeft)} from now`;
  }
  const left = v.daysLeft === 0 ? 'in less than a day' : `in ${days(v.daysLeft)}`;
  return `expires on ${v.notAfter}, ${left} (config certificateExpiryDays: ${warnDays})`;
}

function consequence(v: CertificateValidity, sentry: boolean): string {
  if (!sentry) {
    if (v.status === 'expiring') return 'Once it expires, TLS peers reject it.';
    return v.status === 'expired' ? 'TLS peers reject it.' : 'Until then, TLS peers reject it.';
  }
  if (v.status === 'expiring') return 'Once it expires, sidecars reject every workload certificate that chains to it and mTLS between Dapr apps fails.';
  if (v.status === 'expired') return 'Sidecars reject every workload certificate that chains to it, so mTLS between Dapr apps fails.';
  return 'Until then, sidecars reject the workload certificates that chain to it.';
}

function remedy(v: CertificateValidity, sentry: boolean): string {
  if (v.status === 'not-yet-valid') return 'Check the clock of the machine that issued it, or re-issue it with a notBefore in the past.';
  return sentry ? 'Renew the root and issuer (dapr mtls renew-certificate) and commit the new certificates.' : 'Renew it and commit the new certificate.';
}

function message(o: PemOccurrence, cert: CertificateSummary, v: CertificateValidity, now: Date, warnDays: number): string {
  const sentry = isSentry(o);
  return `${describeCertificate(o, cert)} ${state(v, now, cert, warnDays)}. ${consequence(v, sentry)} ${remedy(v, sentry)}`;
}

/** A ConfigMap `dapr-trust-bundle` holding one `ca.crt`, for the docs examples. */
function trustBundleConfigMap(pem: string): string {
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: dapr-trust-bundle', '  namespace: dapr-system', 'data:', '  ca.crt: |', ...pem.trimEnd().split('\n').map((l) => `    ${l}`), ''].join('\n');
}

export const rule: Rule = {
  meta: {
    id: 'DAPR403',
    name: 'certificate-expiry',
    shortDescription: 'A certificate in the repository has expired, is not valid yet, or expires soon.',
    fullDescription:
      'Checks every PEM certificate in Secret `data`/`stringData` values (the `dapr-trust-bundle` `ca.crt` and `issuer.crt` among them), ConfigMap `data`/`binaryData` values, the Dapr chart values `dapr_sentry.tls.root.certPEM` and `dapr_sentry.tls.issuer.certPEM`, and `.crt`/`.pem` files. Reports a certificate that has expired, is not valid yet, or expires within `certificateExpiryDays` (default 30) of the scan\'s clock (`--now` sets it for reproducible runs). Every certificate of a bundle or chain is checked. The message gives the notAfter date and the exact days left.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 7.0,
    tags: ['security', 'mtls', 'certificates', 'sentry'],
    precision: 'very-high',
    docs: {
      why: 'When the Dapr root or issuer certificate expires, sidecars reject the workload certificates Sentry issues and every service invocation and pub/sub delivery over mTLS fails, all at once. Sentry only logs a warning 30 days before. A certificate committed to the repository can be checked before that happens: this is the static form of "days until expiry" monitoring.',
      fix: 'Renew the certificate before it expires: for Sentry, `dapr mtls renew-certificate` (or issue a new root and issuer and update the `dapr-trust-bundle` Secret or the `dapr_sentry.tls` values), then commit the new certificates. Set `certificateExpiryDays` in rules.config.json to how much warning you need.',
      incorrect: [
        {
          title: 'A trust anchor that expired in 2020',
          files: { 'dapr-system/trust-bundle.yaml': trustBundleConfigMap(EXPIRED_ROOT_EXAMPLE) },
        },
      ],
      correct: [
        {
          title: 'A trust anchor valid until 2099',
          files: { 'dapr-system/trust-bundle.yaml': trustBundleConfigMap(ROOT_EXAMPLE) },
        },
      ],
      notes: [
        'Days are whole days of 24 hours from the scan\'s clock to notAfter, rounded down; "expires within 30 days" includes a certificate with exactly 30 days left. The clock is the time of the scan unless `--now` sets it, so a result can appear without any commit: run the scan on a schedule.',
        'A value in YAML is reported at its scalar (several certificates in one value are reported separately and numbered); a certificate in a `.crt`/`.pem` file at its `-----BEGIN` line.',
        'Certificates in Component metadata (a component\'s `caCert`) and in Helm templates are not checked. Values that do not parse as X.509 are skipped.',
      ],
    },
  },
  check(ctx) {
    const { model, config, report } = ctx;
    const warnDays = config.certificateExpiryDays;
    for (const value of certificateValues(model)) {
      for (const o of occurrences(value, isCertificateBlock)) {
        const parsed = parseCertificate(o.block.pem);
        if (!parsed.ok) continue;
        // Read only here: a scan that judged no certificate does not depend on its clock (result-cache.ts).
        const now = ctx.now;
        const v = certificateValidity(parsed.cert, now, warnDays);
        if (v.status === 'valid') continue;
        reportInScopes(report, value.scopes, { message: message(o, parsed.cert, v, now, warnDays), at: o.at, path: o.path });
      }
    }
  },
};
