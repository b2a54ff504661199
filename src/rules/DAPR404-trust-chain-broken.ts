// DAPR404 trust-chain-broken: in one Sentry trust bundle (the
// `dapr-trust-bundle` Secret, or one `dapr_sentry.tls` block of the Dapr chart
// values), the issuer is not signed by the root, the issuer key does not match
// the issuer certificate, or the issuer outlives the root. Sentry runs the
// first two checks itself at start-up and refuses the bundle
// (dapr/dapr pkg/sentry/server/ca/validate.go, verifyX509Bundle).
import { type CertificateSummary, checkIssuedBy, isPrivateKeyLabel, keyMatchesCertificate, MS_PER_DAY, parseCertificate } from '../knowledge/pem.js';
import { daprHelmRelease, FOREIGN_ISSUER_EXAMPLE, ISSUER_EXAMPLE, ROOT_EXAMPLE } from './pem-examples.js';
import { distinguishedName, isCertificateBlock, occurrences, type PemOccurrence, type PemValue, reportInScopes, trustBundles, type TrustBundleSource } from './pem-sources.js';
import type { ReportInput, Rule } from './types.js';

interface ParsedOccurrence {
  o: PemOccurrence;
  cert: CertificateSummary;
}

/** The certificates of a value, in order; undefined for one that does not parse. */
function certificatesOf(value: PemValue | undefined): Array<ParsedOccurrence | undefined> {
  if (!value) return [];
  return occurrences(value, isCertificateBlock).map((o) => {
    const parsed = parseCertificate(o.block.pem);
    return parsed.ok ? { o, cert: parsed.cert } : undefined;
  });
}

function parsedOnly(list: Array<ParsedOccurrence | undefined>): ParsedOccurrence[] {
  return list.filter((c): c is ParsedOccurrence => c !== undefined);
}

type Chain = { ok: true; anchor: ParsedOccurrence } | { ok: false; last: CertificateSummary };

/**
 * Walks from the issuer up its own chain (the rest of `issuer.crt`) until a
 * trust anchor signed the current certificate, as Go's x509 Verify does with
 * the anchors as roots and the rest of the issuer chain as intermediates.
 */
function chainToAnchor(leaf: CertificateSummary, intermediates: ParsedOccurrence[], anchors: ParsedOccurrence[]): Chain {
  let current = leaf;
  const unused = [...intermediates];
  for (;;) {
    const signer = anchors.find((a) => checkIssuedBy(current, a.cert).signedBy);
    if (signer) return { ok: true, anchor: signer };
    const next = unused.findIndex((c) => checkIssuedBy(current, c.cert).signedBy);
    if (next === -1) return { ok: false, last: current };
    current = unused.splice(next, 1)[0].cert;
  }
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** `the Sentry issuer certificate "CN=…" in <where>`, for the middle of a sentence. */
function issuerText(issuer: ParsedOccurrence): string {
  return `the Sentry issuer certificate "${distinguishedName(issuer.cert.subject)}" in ${issuer.o.value.where}`;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Why no anchor signed the chain. The same name with another key is the
 * usual mistake (a root re-generated with the same subject), and the one a
 * reader cannot see by comparing names.
 */
function whyUnsigned(chain: Extract<Chain, { ok: false }>, anchors: ParsedOccurrence[]): string {
  const sameName = anchors.some((a) => a.cert.subject === chain.last.issuer);
  if (sameName) return 'its issuer name matches the root, but the root\'s key did not sign it: another root with the same name did';
  const roots = anchors.map((a) => `"${distinguishedName(a.cert.subject)}"`).join(', ');
  return `it names "${distinguishedName(chain.last.issuer)}" as its issuer; the trust anchors are ${roots}`;
}

function rootWhere(anchors: ParsedOccurrence[]): string {
  return anchors[0].o.value.where;
}

type Report = (f: ReportInput) => void;

function checkChain(report: Report, issuer: ParsedOccurrence, intermediates: ParsedOccurrence[], anchors: ParsedOccurrence[]): void {
  if (anchors.length === 0) return;
  const chain = chainToAnchor(issuer.cert, intermediates, anchors);
  const related = [{ at: anchors[0].o.at, label: 'the root certificate (trust anchors)' }];
  if (!chain.ok) {
    reportInScopes(report, issuer.o.value.scopes, {
      message: `${capitalized(issuerText(issuer))} is not signed by the root certificate in ${rootWhere(anchors)} (${whyUnsigned(chain, anchors)}). Sentry refuses such a bundle ("issuer chain does not belong to trust anchors") and does not start, so no sidecar gets a workload certificate. Re-issue the issuer from this root, or commit the root that signed it.`,
      at: issuer.o.at,
      path: `${issuer.o.path}:signed-by-root`,
      related,
    });
    return;
  }
  const root = chain.anchor.cert;
  const extra = issuer.cert.notAfter.getTime() - root.notAfter.getTime();
  if (extra <= 0) return;
  reportInScopes(report, issuer.o.value.scopes, {
    message: `${capitalized(issuerText(issuer))} is valid until ${iso(issuer.cert.notAfter)}, ${days(Math.ceil(extra / MS_PER_DAY))} after the root certificate in ${chain.anchor.o.value.where} expires (${iso(root.notAfter)}): from then on the workload certificates it signs chain to an expired anchor and mTLS fails, while the issuer still looks valid. Re-issue the issuer with a notAfter no later than the root's.`,
    at: issuer.o.at,
    path: `${issuer.o.path}:outlives-root`,
    related: [{ at: chain.anchor.o.at, label: 'the root certificate (trust anchors)' }],
  });
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkKey(report: Report, issuer: ParsedOccurrence, key: PemValue | undefined): void {
  if (!key) return;
  const keyBlock = occurrences(key, (b) => isPrivateKeyLabel(b.label))[0];
  if (!keyBlock) return;
  // Encrypted or unreadable keys cannot be compared: not this rule's finding.
  if (keyMatchesCertificate(key.text, issuer.cert).status !== 'mismatch') return;
  reportInScopes(report, issuer.o.value.scopes, {
    message: `The issuer key in ${key.where} does not belong to ${issuerText(issuer)}. Sentry refuses such a bundle ("issuer key does not match issuer certificate") and does not start, so no sidecar gets a workload certificate. Commit the certificate and key of one pair.`,
    at: issuer.o.at,
    path: `${issuer.o.path}:key-matches`,
    related: [{ at: keyBlock.at, label: 'the issuer key' }],
  });
}

function checkBundle(report: Report, bundle: TrustBundleSource): void {
  // The first certificate of issuer.crt is the issuer: when it does not parse there is nothing to judge.
  const [issuer, ...intermediates] = certificatesOf(bundle.issuer);
  if (!issuer) return;
  checkChain(report, issuer, parsedOnly(intermediates), parsedOnly(certificatesOf(bundle.root)));
  checkKey(report, issuer, bundle.key);
}

export const rule: Rule = {
  meta: {
    id: 'DAPR404',
    name: 'trust-chain-broken',
    shortDescription: 'The Sentry issuer certificate does not chain to the root, does not match its key, or outlives the root.',
    fullDescription:
      'Within one Sentry trust bundle (a `dapr-trust-bundle` Secret: `ca.crt`, `issuer.crt`, `issuer.key`, base64 in `data` or plain in `stringData`; or one `dapr_sentry.tls` block of the Dapr chart values: `root.certPEM`, `issuer.certPEM`, `issuer.keyPEM`), reports an issuer certificate that is not signed by the root (through the rest of its chain, by any trust anchor), an issuer key that does not match the issuer certificate, or an issuer certificate that stays valid after the root expires. Points at the issuer certificate; the root or the key is the related location.',
    levels: { default: 'error' },
    securitySeverity: 7.0,
    tags: ['security', 'mtls', 'certificates', 'sentry'],
    precision: 'very-high',
    docs: {
      why: 'Sentry checks the bundle when it starts: an issuer that does not chain to the trust anchors, or a key that does not belong to the issuer certificate, makes it refuse the bundle and stop, so no sidecar gets a workload certificate and mTLS fails cluster-wide. An issuer that outlives the root passes that check but breaks later, silently: on the day the root expires, every workload certificate chains to an expired anchor.',
      fix: 'Generate the root and issuer together (`dapr mtls renew-certificate`, or openssl/step with the issuer signed by the root), keep the issuer\'s notAfter at or before the root\'s, and commit the certificate and key of one pair.',
      incorrect: [
        {
          title: 'The issuer was signed by another root with the same name',
          files: { 'dapr-system/dapr.yaml': daprHelmRelease({ root: ROOT_EXAMPLE, issuer: FOREIGN_ISSUER_EXAMPLE }) },
        },
      ],
      correct: [
        {
          title: 'Root and issuer of one chain inline; the issuer key from a Secret that the repository does not hold',
          files: { 'dapr-system/dapr.yaml': daprHelmRelease({ root: ROOT_EXAMPLE, issuer: ISSUER_EXAMPLE }) },
        },
      ],
      notes: [
        'Each check needs its two parts in the same bundle: root and issuer for the chain and lifetime checks, issuer and key for the key check. A key supplied from elsewhere (`valuesFrom`, `--set-file`) or an encrypted or unreadable one is not compared; a SOPS-encrypted Secret holds no PEM and is not judged.',
        '`ca.crt` may hold several trust anchors (during a root rotation): the issuer only has to chain to one of them. `issuer.crt` may hold a chain: its first certificate is the issuer, the others are intermediates.',
        'Expired or not-yet-valid certificates are DAPR403\'s findings. A `dapr-trust-bundle` ConfigMap holds only the anchors and is not a bundle here.',
      ],
    },
  },
  check({ model, report }) {
    for (const bundle of trustBundles(model)) checkBundle(report, bundle);
  },
};
