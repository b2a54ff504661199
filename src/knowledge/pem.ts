// PEM blocks, X.509 certificates and private keys, for the rules on committed
// keys (DAPR207), certificate expiry (DAPR403) and the Sentry trust chain
// (DAPR404; dapr-security-facts.md §7). Pure functions over strings: no file
// I/O and no openssl CLI, only node:crypto, so results are the same on every
// machine. Nothing here throws on bad input, and no message or result ever
// carries key material: findings may be printed, logged or uploaded as SARIF.
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';

// ---------------------------------------------------------------------------
// PEM discovery

/** One `-----BEGIN <label>-----` … `-----END <label>-----` block of a text. */
export interface PemBlock {
  /** The label between `BEGIN ` and `-----`, e.g. `CERTIFICATE`, `EC PRIVATE KEY`. */
  label: string;
  /** Offset of the first `-` of `-----BEGIN` (indentation before it is not part of the block). */
  start: number;
  /** Offset just past the last `-` of the `-----END <label>-----` line (its line break is not part of the block). */
  end: number;
  /** `text.slice(start, end)`, exactly as written (indentation and CRs of inner lines included). */
  text: string;
  /**
   * The block as a PEM parser wants it: every line trimmed, LF line breaks,
   * one final newline. Needed because OpenSSL only recognises the END line at
   * the start of a line, and a PEM inside a YAML block scalar is indented.
   */
  pem: string;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
/** Longer labels do not exist in practice; the bound keeps each marker O(1). */
const MAX_LABEL_LENGTH = 64;

/** RFC 7468 labelchar: printable ASCII except `-`. */
function isLabelChar(code: number): boolean {
  return code >= 0x21 && code <= 0x7e && code !== 0x2d;
}

/**
 * Reads the label of a marker starting at `from` (just after `BEGIN `/`END `)
 * up to its closing `-----`. Returns the label and the offset past the dashes,
 * or undefined when this is not a well-formed marker. RFC 7468 grammar:
 * labelchars separated by single spaces or hyphens.
 */
function readMarkerLabel(text: string, from: number): { label: string; next: number } | undefined {
  let i = from;
  const limit = Math.min(text.length, from + MAX_LABEL_LENGTH);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isLabelChar(c)) {
      i++;
      continue;
    }
    // A single space or hyphen is part of the label only between labelchars;
    // otherwise (e.g. the `-----` that closes the marker) the label ends here.
    const isSeparator = c === 0x20 || c === 0x2d;
    if (isSeparator && i > from && isLabelChar(text.charCodeAt(i - 1)) && i + 1 < text.length && isLabelChar(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    break;
  }
  if (i === from || !text.startsWith(DASHES, i)) return undefined;
  return { label: text.slice(from, i), next: i + DASHES.length };
}

/** Trims every line and ends with one newline, so OpenSSL can read an indented or CRLF block. */
export function normalizePem(block: string): string {
  const lines = block.split('\n').map((l) => l.trim());
  return lines.filter((l) => l.length > 0).join('\n') + '\n';
}

/**
 * Every PEM block of a text, in order. Markers are found anywhere (not only at
 * a line start), so PEM inside YAML block scalars, CRLF files and JSON strings
 * is found as well. A BEGIN that is followed by another BEGIN before its END is
 * dropped (PEM blocks do not nest); an END whose label differs from the open
 * BEGIN is ignored. Linear time whatever the input, and no regular expression
 * to backtrack: two `indexOf` cursors (next BEGIN, next END) only move
 * forward, and each marker's label read is bounded.
 */
export function findPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { label: string; start: number } | undefined;
  let nextBegin = text.indexOf(BEGIN);
  let nextEnd = text.indexOf(END);
  while (nextBegin !== -1 || nextEnd !== -1) {
    const isBegin = nextEnd === -1 || (nextBegin !== -1 && nextBegin < nextEnd);
    const at = isBegin ? nextBegin : nextEnd;
    const marker = readMarkerLabel(text, at + (isBegin ? BEGIN.length : END.length));
    if (marker && isBegin) {
      open = { label: marker.label, start: at };
    } else if (marker && open && marker.label === open.label) {
      const blockText = text.slice(open.start, marker.next);
      blocks.push({ label: open.label, start: open.start, end: marker.next, text: blockText, pem: normalizePem(blockText) });
      open = undefined;
    }
    // Resume after a well-formed marker, else one character on; a cursor is
    // searched again only once the scan has passed it.
    const resume = marker ? marker.next : at + 1;
    if (nextBegin !== -1 && nextBegin < resume) nextBegin = text.indexOf(BEGIN, resume);
    if (nextEnd !== -1 && nextEnd < resume) nextEnd = text.indexOf(END, resume);
  }
  return blocks;
}

/**
 * Labels of private keys: `PRIVATE KEY` (PKCS#8), `ENCRYPTED PRIVATE KEY`,
 * `RSA`/`EC`/`DSA`/`OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`, … Matching on
 * the words rather than a list also catches rarer formats; a committed key is
 * a critical finding, so a false negative costs more than a false positive.
 */
export function isPrivateKeyLabel(label: string): boolean {
  return /(^|\s)PRIVATE KEY(\s|$)/.test(label.trim().toUpperCase());
}

// ---------------------------------------------------------------------------
// Base64 (Kubernetes Secret `data:` values)

function isBase64Char(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2b || // +
    code === 0x2f // /
  );
}

function isBase64Whitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * Standard padded base64 with whitespace removed, or undefined when the value
 * is not strictly base64. Strict because `Buffer.from(x, 'base64')` accepts
 * almost anything and would turn plain words into bytes.
 */
function strictBase64(value: string): string | undefined {
  let length = 0;
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isBase64Whitespace(c)) continue;
    if (c === 0x3d) {
      padding++;
      if (padding > 2) return undefined;
    } else if (!isBase64Char(c) || padding > 0) {
      return undefined; // a data character after `=`, or not base64 at all
    }
    length++;
  }
  if (length === 0 || length % 4 !== 0) return undefined;
  // Removed in one pass after validation: appending char by char would build a
  // rope of millions of nodes for a large value.
  return value.replace(/[ \t\r\n]+/g, '');
}

/**
 * The decoded text of a base64 value when it holds at least one PEM block,
 * else undefined. Secret `data:` values are base64, so a private key there is
 * not visible to a text search. Binary (non-UTF-8) content is rejected.
 */
export function decodeMaybeBase64(value: string): string | undefined {
  const compact = strictBase64(value);
  if (compact === undefined) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
  return findPemBlocks(decoded).length > 0 ? decoded : undefined;
}

// ---------------------------------------------------------------------------
// Certificates

export interface CertificateSummary {
  /** Distinguished name as Node prints it, e.g. `CN=cluster.local`. */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Upper-case hex, as Node prints it. */
  serialNumber: string;
  /** basicConstraints CA:TRUE. */
  isCA: boolean;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  fingerprint256: string;
  publicKey: KeyObject;
  x509: X509Certificate;
}

export type CertificateParseResult = { ok: true; cert: CertificateSummary } | { ok: false; error: string };

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/**
 * Parses OpenSSL's ASN1_TIME_print form (`Jun  5 12:00:00 2026 GMT`), which is
 * what `validFrom`/`validTo` hold on Node 20. Done by hand because
 * `Date.parse` of that form is implementation-defined.
 */
function parseOpenSslTime(value: string): Date | undefined {
  const m = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$/.exec(value.trim());
  if (!m) return undefined;
  const month = MONTHS[m[1]];
  if (month === undefined) return undefined;
  const date = new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Node ≥ 22.10 exposes the dates directly; older versions only as text. */
type X509WithDates = X509Certificate & { validFromDate?: Date; validToDate?: Date };

function validityDates(x509: X509Certificate): { notBefore: Date; notAfter: Date } | undefined {
  const withDates = x509 as X509WithDates;
  const notBefore = withDates.validFromDate ?? parseOpenSslTime(x509.validFrom);
  const notAfter = withDates.validToDate ?? parseOpenSslTime(x509.validTo);
  return notBefore && notAfter ? { notBefore, notAfter } : undefined;
}

function summarize(x509: X509Certificate): CertificateParseResult {
  const dates = validityDates(x509);
  if (!dates) return { ok: false, error: 'certificate validity dates could not be read' };
  return {
    ok: true,
    cert: {
      subject: x509.subject,
      issuer: x509.issuer,
      notBefore: dates.notBefore,
      notAfter: dates.notAfter,
      serialNumber: x509.serialNumber,
      isCA: x509.ca,
      fingerprint256: x509.fingerprint256,
      publicKey: x509.publicKey,
      x509,
    },
  };
}

/** Node's error code (e.g. `ERR_OSSL_…`) only: never the message, which could someday quote input. */
function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,80}$/.test(code)) return code;
  }
  return undefined;
}

function parseCertificateBlock(block: PemBlock): CertificateParseResult {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(block.pem);
  } catch (err) {
    const code = errorCode(err);
    return { ok: false, error: 'not a valid X.509 certificate' + (code ? ` (${code})` : '') };
  }
  return summarize(x509);
}

/**
 * The first certificate of a PEM text (a bundle such as `issuer.crt` may hold
 * a chain; its first certificate is the leaf). Indentation and CRLF are fine.
 */
export function parseCertificate(pem: string): CertificateParseResult {
  const block = findPemBlocks(pem).find((b) => CERTIFICATE_LABELS.has(b.label));
  if (!block) return { ok: false, error: 'no PEM CERTIFICATE block' };
  return parseCertificateBlock(block);
}

/** Every certificate block of a text with where it is, e.g. all trust anchors of a `ca.crt`. */
export function parseCertificates(text: string): Array<{ block: PemBlock; result: CertificateParseResult }> {
  return findPemBlocks(text)
    .filter((b) => CERTIFICATE_LABELS.has(b.label))
    .map((block) => ({ block, result: parseCertificateBlock(block) }));
}

// ---------------------------------------------------------------------------
// Validity

export type ValidityStatus = 'expired' | 'not-yet-valid' | 'expiring' | 'valid';

export interface CertificateValidity {
  status: ValidityStatus;
  /**
   * Whole days from `now` to notAfter, rounded down (`Math.floor`): 9.9 days
   * left is 9, and a certificate that expired one second ago has -1. So a
   * negative value -n means "expired within the last n days".
   */
  daysLeft: number;
  /** notAfter as ISO 8601 UTC without milliseconds, e.g. `2027-01-31T12:00:00Z`. */
  notAfter: string;
  notBefore: string;
}

export const MS_PER_DAY = 86_400_000;

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Where a certificate stands at `now`. X.509 validity is inclusive of both
 * ends (RFC 5280 §4.1.2.5), so a certificate is expired only after notAfter.
 * It is `expiring` when it is valid and notAfter is at most `warnDays` × 24h
 * away (inclusive, measured exactly, not in rounded days): "expires within
 * 30 days" includes the certificate with exactly 30 days left.
 */
export function certificateValidity(cert: Pick<CertificateSummary, 'notBefore' | 'notAfter'>, now: Date, warnDays: number): CertificateValidity {
  const msLeft = cert.notAfter.getTime() - now.getTime();
  const daysLeft = Math.floor(msLeft / MS_PER_DAY);
  let status: ValidityStatus;
  if (msLeft < 0) status = 'expired';
  else if (now.getTime() < cert.notBefore.getTime()) status = 'not-yet-valid';
  else if (msLeft <= warnDays * MS_PER_DAY) status = 'expiring';
  else status = 'valid';
  return { status, daysLeft, notAfter: isoSeconds(cert.notAfter), notBefore: isoSeconds(cert.notBefore) };
}

// ---------------------------------------------------------------------------
// Trust chain

export interface IssuedByResult {
  /** The root signed the child: names/key identifiers match AND the signature verifies. */
  signedBy: boolean;
  /** OpenSSL's X509_check_issued: issuer name, key identifiers and key usage fit. */
  namesMatch: boolean;
  /** The child's signature verifies with the root's public key. */
  signatureValid: boolean;
  /** The child's notAfter is later than the root's: it stays in use after its anchor is gone. */
  outlivesRoot: boolean;
}

/**
 * Whether `root` issued `child`. Both checks are needed: `checkIssued` alone
 * only compares names and key identifiers (a different root with the same
 * name passes when the child has no authorityKeyIdentifier), and `verify`
 * alone does not look at names.
 */
export function checkIssuedBy(child: CertificateSummary, root: CertificateSummary): IssuedByResult {
  let namesMatch = false;
  let signatureValid = false;
  try {
    namesMatch = child.x509.checkIssued(root.x509);
  } catch {
    namesMatch = false;
  }
  try {
    signatureValid = child.x509.verify(root.publicKey);
  } catch {
    signatureValid = false; // e.g. a key type that cannot verify this signature algorithm
  }
  return {
    signedBy: namesMatch && signatureValid,
    namesMatch,
    signatureValid,
    outlivesRoot: child.notAfter.getTime() > root.notAfter.getTime(),
  };
}

// ---------------------------------------------------------------------------
// Private key ↔ certificate

/**
 * `encrypted`: the key needs a passphrase, so it cannot be compared (and is a
 * lesser exposure). `unparseable`: not a private key Node can read (garbage,
 * truncated, or a format such as OpenSSH that OpenSSL does not load).
 */
export type KeyMatchStatus = 'match' | 'mismatch' | 'encrypted' | 'unparseable';

export interface KeyMatchResult {
  status: KeyMatchStatus;
}

function looksEncrypted(block: PemBlock): boolean {
  // PKCS#8 says so in its label; legacy OpenSSL PEM in a `Proc-Type` header.
  return block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/.test(block.text);
}

/**
 * Whether the private key in `keyPem` belongs to the certificate: the SPKI DER
 * of its public half equals the certificate's. Compares public keys only, so
 * nothing secret can leak into a result.
 */
export function keyMatchesCertificate(keyPem: string, cert: CertificateSummary): KeyMatchResult {
  const block = findPemBlocks(keyPem).find((b) => isPrivateKeyLabel(b.label));
  if (!block) return { status: 'unparseable' };
  if (looksEncrypted(block)) return { status: 'encrypted' };
  let keySpki: Buffer;
  let certSpki: Buffer;
  try {
    const privateKey = createPrivateKey({ key: block.pem, format: 'pem' });
    keySpki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    certSpki = cert.publicKey.export({ type: 'spki', format: 'der' });
  } catch (err) {
    // Node asks for a passphrase when an encrypted key slipped past the label check.
    return { status: errorCode(err) === 'ERR_MISSING_PASSPHRASE' ? 'encrypted' : 'unparseable' };
  }
  return { status: keySpki.equals(certSpki) ? 'match' : 'mismatch' };
}
