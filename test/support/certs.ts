// Test certificate factory using only node:crypto. Node can parse and verify
// X.509 but not create it, and tests must not depend on the openssl CLI or a
// new npm package, so this file holds a minimal DER encoder and builds X.509
// v3 certificates by hand (RFC 5280 §4.1), signed with ECDSA P-256/SHA-256 or
// Ed25519 (Dapr Sentry's root key type). Every date is relative to a caller's
// `now`, so fixtures never go stale.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';

// ---------------------------------------------------------------------------
// DER encoder (X.690): only what certificates need.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag-length-value with a one-byte tag. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export function derSequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** SET OF: DER wants its elements sorted by encoding. */
export function derSet(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

export function derBoolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/** A non-negative INTEGER from big-endian bytes, minimally encoded. */
export function derUnsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let body = bytes.subarray(start);
  if (body.length === 0) body = Buffer.from([0]);
  // A set top bit would read as negative: prefix a zero byte.
  if ((body[0] & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

export function derInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error('derInteger: only small non-negative integers');
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return derUnsignedInteger(Buffer.from(bytes));
}

/** BIT STRING whose content is whole bytes (keys, signatures). */
export function derBitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export function derOctetString(bytes: Buffer): Buffer {
  return tlv(0x04, bytes);
}

export function derNull(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

export function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`bad OID ${oid}`);
  const out: number[] = [];
  const encodeArc = (arc: number): void => {
    const groups: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80);
    out.push(...groups);
  };
  encodeArc(arcs[0] * 40 + arcs[1]);
  for (const arc of arcs.slice(2)) encodeArc(arc);
  return tlv(0x06, Buffer.from(out));
}

export function derUtf8String(value: string): Buffer {
  return tlv(0x0c, Buffer.from(value, 'utf8'));
}

export function derPrintableString(value: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)) throw new Error('not a PrintableString');
  return tlv(0x13, Buffer.from(value, 'ascii'));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * RFC 5280 §4.1.2.5: UTCTime for years 1950–2049, GeneralizedTime otherwise,
 * both in UTC with whole seconds (milliseconds are dropped).
 */
export function derTime(date: Date): Buffer {
  const y = date.getUTCFullYear();
  const rest = pad(date.getUTCMonth() + 1, 2) + pad(date.getUTCDate(), 2) + pad(date.getUTCHours(), 2) + pad(date.getUTCMinutes(), 2) + pad(date.getUTCSeconds(), 2) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(pad(y % 100, 2) + rest, 'ascii'));
  return tlv(0x18, Buffer.from(pad(y, 4) + rest, 'ascii'));
}

/** `[n] EXPLICIT`: a constructed context-specific tag around one element. */
export function derExplicit(n: number, inner: Buffer): Buffer {
  return tlv(0xa0 | n, inner);
}

/** `[n] IMPLICIT` of a primitive type: the context tag replaces the element's own. */
export function derImplicitPrimitive(n: number, content: Buffer): Buffer {
  return tlv(0x80 | n, content);
}

// ---------------------------------------------------------------------------
// Keys

export type KeyType = 'ec' | 'ed25519';

export interface KeyPair {
  type: KeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeKeyPair(type: KeyType = 'ec'): KeyPair {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  return { type, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ed25519: '1.3.101.112',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

function signatureAlgorithm(type: KeyType): Buffer {
  // RFC 5758 §3.2 and RFC 8410 §3: both omit the parameters field.
  return derSequence(derOid(type === 'ec' ? OID.ecdsaWithSha256 : OID.ed25519));
}

function signWith(key: KeyObject, type: KeyType, data: Buffer): Buffer {
  // ECDSA signatures come out as DER Ecdsa-Sig-Value, which X.509 wants; Ed25519 takes no digest.
  return type === 'ec' ? sign('sha256', data, key) : sign(null, data, key);
}

function keyTypeOf(key: KeyObject): KeyType {
  if (key.asymmetricKeyType === 'ec') return 'ec';
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  throw new Error(`unsupported signing key type ${String(key.asymmetricKeyType)}`);
}

// ---------------------------------------------------------------------------
// Certificates

function name(commonName: string, organization?: string): Buffer {
  const rdns: Buffer[] = [];
  if (organization !== undefined) rdns.push(derSet(derSequence(derOid(OID.organization), derUtf8String(organization))));
  rdns.push(derSet(derSequence(derOid(OID.commonName), derUtf8String(commonName))));
  return derSequence(...rdns);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(publicKey.export({ type: 'spki', format: 'der' }))).digest();
}

/** The bytes of the subjectPublicKey BIT STRING (without the unused-bits byte). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header, then
  // the algorithm element, and read the bit string.
  let i = headerLength(spki, 0);
  i += headerLength(spki, i) + contentLength(spki, i);
  const start = i + headerLength(spki, i);
  return spki.subarray(start + 1, start + contentLength(spki, i));
}

function headerLength(der: Buffer, at: number): number {
  const first = der[at + 1];
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function contentLength(der: Buffer, at: number): number {
  const first = der[at + 1];
  if (first < 0x80) return first;
  let n = 0;
  for (let k = 0; k < (first & 0x7f); k++) n = n * 256 + der[at + 2 + k];
  return n;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // `critical BOOLEAN DEFAULT FALSE`: DER omits a default value.
  return critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value));
}

export interface TestCertificate {
  certPem: string;
  /** PKCS#8 PEM of `key.privateKey`. */
  keyPem: string;
  key: KeyPair;
  der: Buffer;
  /** Parsed by Node, proving that the encoding is acceptable to OpenSSL. */
  x509: X509Certificate;
  /** Common name of the subject. */
  subject: string;
  /** DER of the subject Name, which certificates it signs copy as their issuer. */
  subjectName: Buffer;
  /** subjectKeyIdentifier, which children reference in their authorityKeyIdentifier. */
  keyId: Buffer;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateOptions {
  /** Common name of the subject. */
  subject: string;
  organization?: string;
  /** The signing CA; absent for a self-signed certificate. `key` is what signs, normally `cert.key.privateKey`. */
  issuer?: { cert: TestCertificate; key: KeyObject };
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  /** Key of the new certificate; a fresh one of `keyType` when absent. */
  key?: KeyPair;
  keyType?: KeyType;
  /** subjectKeyIdentifier and authorityKeyIdentifier (default true). Without them OpenSSL matches issuers by name only. */
  keyIdentifiers?: boolean;
  /** Serial number bytes; random when absent. */
  serial?: Buffer;
}

function randomSerial(): Buffer {
  // 16 positive bytes with a non-zero top byte: always minimal and non-negative.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes;
}

export function makeCertificate(options: CertificateOptions): TestCertificate {
  const key = options.key ?? makeKeyPair(options.keyType ?? 'ec');
  const withKeyIds = options.keyIdentifiers ?? true;
  const signingKey = options.issuer ? options.issuer.key : key.privateKey;
  const signingType = keyTypeOf(signingKey);
  const subjectName = name(options.subject, options.organization);
  const issuerName = options.issuer ? options.issuer.cert.subjectName : subjectName;
  const keyId = keyIdentifier(key.publicKey);

  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, options.isCA ? derSequence(derBoolean(true)) : derSequence()),
    // CA: keyCertSign (bit 5) + cRLSign (bit 6) = 0x06, 1 unused bit.
    // Leaf: digitalSignature (bit 0) = 0x80, 7 unused bits.
    extension(OID.keyUsage, true, options.isCA ? derBitString(Buffer.from([0x06]), 1) : derBitString(Buffer.from([0x80]), 7)),
  ];
  if (withKeyIds) {
    extensions.push(extension(OID.subjectKeyIdentifier, false, derOctetString(keyId)));
    const authorityKeyId = options.issuer ? options.issuer.cert.keyId : keyId;
    extensions.push(extension(OID.authorityKeyIdentifier, false, derSequence(derImplicitPrimitive(0, authorityKeyId))));
  }

  const tbs = derSequence(
    derExplicit(0, derInteger(2)), // v3
    derUnsignedInteger(options.serial ?? randomSerial()),
    signatureAlgorithm(signingType),
    issuerName,
    derSequence(derTime(options.notBefore), derTime(options.notAfter)),
    subjectName,
    key.publicKey.export({ type: 'spki', format: 'der' }),
    derExplicit(3, derSequence(...extensions)),
  );
  const der = derSequence(tbs, signatureAlgorithm(signingType), derBitString(signWith(signingKey, signingType, tbs)));
  const certPem = toPem('CERTIFICATE', der);
  return {
    certPem,
    keyPem: privateKeyPem(key.privateKey),
    key,
    der,
    x509: new X509Certificate(certPem),
    subject: options.subject,
    subjectName,
    keyId,
    notBefore: truncateToSeconds(options.notBefore),
    notAfter: truncateToSeconds(options.notAfter),
  };
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// ---------------------------------------------------------------------------
// Dapr trust bundles (dapr-trust-bundle Secret: ca.crt, issuer.crt, issuer.key)

export const TRUST_BUNDLE_VARIANTS = [
  'valid',
  'root-expired',
  'issuer-expired',
  'not-yet-valid',
  'expiring',
  'wrong-root',
  'key-mismatch',
  'issuer-outlives-root',
] as const;

export type TrustBundleVariant = (typeof TRUST_BUNDLE_VARIANTS)[number];

export interface TrustBundle {
  root: TestCertificate;
  issuer: TestCertificate;
  /** The values of the Secret keys / Helm values `tls.root.certPEM`, `tls.issuer.certPEM`, `tls.issuer.keyPEM`. */
  caCrt: string;
  issuerCrt: string;
  issuerKey: string;
}

export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

/**
 * Windows (in days from `now`) of root and issuer per variant. The issuer's
 * never ends after the root's unless the variant is about exactly that.
 */
const WINDOWS: Readonly<Record<TrustBundleVariant, { root: [number, number]; issuer: [number, number] }>> = {
  valid: { root: [-1, 365], issuer: [-1, 364] },
  // The issuer cannot outlive the root here, so it is expired as well.
  'root-expired': { root: [-400, -35], issuer: [-400, -36] },
  'issuer-expired': { root: [-400, 330], issuer: [-400, -5] },
  'not-yet-valid': { root: [2, 367], issuer: [2, 366] },
  expiring: { root: [-355, 10], issuer: [-355, 10] },
  'wrong-root': { root: [-1, 365], issuer: [-1, 364] },
  'key-mismatch': { root: [-1, 365], issuer: [-1, 364] },
  'issuer-outlives-root': { root: [-1, 100], issuer: [-1, 200] },
};

/**
 * A root CA (Ed25519, like Sentry's own) and an issuer CA (ECDSA P-256) in one
 * of the shapes DAPR403/DAPR404 care about. `wrong-root`: the issuer is signed
 * by another root with the same name; `key-mismatch`: `issuerKey` belongs to
 * another key pair.
 */
export function makeTrustBundle(now: Date, variant: TrustBundleVariant = 'valid', trustDomain = 'cluster.local'): TrustBundle {
  const w = WINDOWS[variant];
  const root = makeCertificate({
    subject: trustDomain,
    organization: trustDomain,
    notBefore: daysFrom(now, w.root[0]),
    notAfter: daysFrom(now, w.root[1]),
    isCA: true,
    keyType: 'ed25519',
  });
  const signer = variant === 'wrong-root' ? makeCertificate({ subject: trustDomain, organization: trustDomain, notBefore: root.notBefore, notAfter: root.notAfter, isCA: true, keyType: 'ed25519' }) : root;
  const issuer = makeCertificate({
    subject: trustDomain,
    organization: trustDomain,
    issuer: { cert: signer, key: signer.key.privateKey },
    notBefore: daysFrom(now, w.issuer[0]),
    notAfter: daysFrom(now, w.issuer[1]),
    isCA: true,
    keyType: 'ec',
  });
  const issuerKey = variant === 'key-mismatch' ? privateKeyPem(makeKeyPair('ec').privateKey) : issuer.keyPem;
  return { root, issuer, caCrt: root.certPem, issuerCrt: issuer.certPem, issuerKey };
}
