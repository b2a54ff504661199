// PEM discovery, certificate validity, trust chains and key matching, on
// certificates minted by the node:crypto factory at a fixed clock.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type CertificateSummary,
  certificateValidity,
  checkIssuedBy,
  decodeMaybeBase64,
  findPemBlocks,
  isPrivateKeyLabel,
  keyMatchesCertificate,
  parseCertificate,
  parseCertificates,
} from '../../src/knowledge/pem.js';
import { daysFrom, makeCertificate, makeKeyPair, makeTrustBundle, TRUST_BUNDLE_VARIANTS, type TrustBundleVariant } from '../support/certs.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const SECOND = 1000;

function cert(pem: string): CertificateSummary {
  const result = parseCertificate(pem);
  if (!result.ok) throw new Error(result.error);
  return result.cert;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .trimEnd()
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** The body lines of a PEM (between its markers), to check that nothing leaks them. */
function bodyOf(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));
}

describe('findPemBlocks', () => {
  const bundle = makeTrustBundle(NOW, 'valid');

  it('finds an indented block in a YAML block scalar with exact offsets', () => {
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: dapr-trust-bundle\nstringData:\n  ca.crt: |\n${indent(bundle.caCrt, 4)}\n  other: x\n`;
    const blocks = findPemBlocks(yaml);
    expect(blocks).toHaveLength(1);
    const [b] = blocks;
    const start = yaml.indexOf('-----BEGIN CERTIFICATE-----');
    const end = yaml.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length;
    expect(b.label).toBe('CERTIFICATE');
    expect(b.start).toBe(start);
    expect(yaml.slice(b.start - 4, b.start)).toBe('    '); // the indentation is not part of the block
    expect(b.end).toBe(end);
    expect(b.text).toBe(yaml.slice(start, end));
    expect(b.pem).toBe(bundle.caCrt);
    expect(parseCertificate(b.text).ok).toBe(true); // indented inner lines still parse
  });

  it('handles CRLF without taking the line break into the block', () => {
    const crlf = `ca.crt: |\r\n${indent(bundle.caCrt, 2).replace(/\n/g, '\r\n')}\r\nnext: 1\r\n`;
    const [b] = findPemBlocks(crlf);
    expect(b.start).toBe(crlf.indexOf('-----BEGIN'));
    expect(b.end).toBe(crlf.indexOf('-----END CERTIFICATE-----') + 25);
    expect(crlf.slice(b.end, b.end + 2)).toBe('\r\n');
    expect(b.pem).toBe(bundle.caCrt);
    expect(b.pem).not.toContain('\r');
  });

  it('finds several blocks in order, without a final newline', () => {
    const text = bundle.caCrt + '\n# comment\n' + bundle.issuerCrt + bundle.issuerKey.trimEnd();
    const blocks = findPemBlocks(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'CERTIFICATE', 'PRIVATE KEY']);
    expect(blocks[2].end).toBe(text.length);
    expect(blocks[1].start).toBe(text.indexOf('-----BEGIN CERTIFICATE-----', blocks[0].end));
    for (const b of blocks) expect(text.slice(b.start, b.end)).toBe(b.text);
  });

  it('finds blocks on one line (JSON strings with escaped newlines)', () => {
    const json = JSON.stringify({ key: bundle.issuerKey });
    const [b] = findPemBlocks(json);
    expect(b.label).toBe('PRIVATE KEY');
    expect(b.start).toBe(json.indexOf('-----BEGIN'));
  });

  it('reads multi-word labels', () => {
    const text = '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n-----BEGIN RSA-PSS PRIVATE KEY-----\nBBBB\n-----END RSA-PSS PRIVATE KEY-----';
    expect(findPemBlocks(text).map((b) => b.label)).toEqual(['EC PRIVATE KEY', 'RSA-PSS PRIVATE KEY']);
  });

  it('ignores unclosed, mismatched and malformed markers', () => {
    expect(findPemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\n')).toEqual([]);
    expect(findPemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n')).toEqual([]);
    expect(findPemBlocks('-----BEGIN -----\n-----END -----')).toEqual([]);
    expect(findPemBlocks('-----BEGIN CERTIFICATE\nAAAA\n-----END CERTIFICATE\n')).toEqual([]);
    expect(findPemBlocks('')).toEqual([]);
    // A BEGIN cut short by another BEGIN is dropped; the second block is kept.
    const text = '-----BEGIN PRIVATE KEY-----\ntruncated\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const blocks = findPemBlocks(text);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].label).toBe('CERTIFICATE');
    expect(blocks[0].start).toBe(text.indexOf('-----BEGIN CERTIFICATE'));
    // A mismatched END does not close the block; the matching one does.
    const mixed = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END X-----\n-----END CERTIFICATE-----';
    expect(findPemBlocks(mixed).map((b) => [b.start, b.end])).toEqual([[0, mixed.length]]);
  });

  it('runs in linear time on pathological input (no timing assertion: it just has to finish)', () => {
    const manyBegins = '-----BEGIN '.repeat(1_000_000); // 11 MB
    expect(findPemBlocks(manyBegins)).toEqual([]);
    const unclosed = '-----BEGIN CERTIFICATE-----\n'.repeat(400_000); // 11 MB of BEGINs without END
    expect(findPemBlocks(unclosed)).toEqual([]);
    const dashes = '-'.repeat(10_000_000);
    expect(findPemBlocks(dashes)).toEqual([]);
    const plain = 'a'.repeat(10_000_000);
    expect(findPemBlocks(plain)).toEqual([]);
    const longLabels = ('-----BEGIN ' + 'A'.repeat(200)).repeat(50_000);
    expect(findPemBlocks(longLabels)).toEqual([]);
    expect(decodeMaybeBase64('A'.repeat(10_000_000))).toBeUndefined();
    expect(decodeMaybeBase64('-----BEGIN '.repeat(1_000_000))).toBeUndefined();
  });
});

describe('isPrivateKeyLabel', () => {
  it.each(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'DSA PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'ec private key'])('%s is a private key', (label) => {
    expect(isPrivateKeyLabel(label)).toBe(true);
  });
  it.each(['CERTIFICATE', 'PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE REQUEST', 'X509 CRL', 'PRIVATE KEYS', 'NOTPRIVATE KEY'])('%s is not', (label) => {
    expect(isPrivateKeyLabel(label)).toBe(false);
  });
});

describe('decodeMaybeBase64', () => {
  const key = makeKeyPair('ec');
  const keyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('decodes base64 Secret data that holds a private key', () => {
    const data = Buffer.from(keyPem).toString('base64');
    const decoded = decodeMaybeBase64(data);
    expect(decoded).toBe(keyPem);
    const blocks = findPemBlocks(decoded ?? '');
    expect(blocks.map((b) => isPrivateKeyLabel(b.label))).toEqual([true]);
  });

  it('accepts line-wrapped and indented base64 (YAML folded values)', () => {
    const wrapped = (Buffer.from(keyPem).toString('base64').match(/.{1,76}/g) ?? []).map((l) => '    ' + l).join('\r\n') + '\n';
    expect(decodeMaybeBase64(wrapped)).toBe(keyPem);
  });

  it('finds a private key in a Secret data: entry of a YAML manifest', () => {
    const yaml = `kind: Secret\ndata:\n  issuer.key: ${Buffer.from(keyPem).toString('base64')}\n`;
    const value = yaml.split('issuer.key: ')[1].trim();
    expect(findPemBlocks(yaml)).toEqual([]); // invisible to a plain text search
    expect(findPemBlocks(decodeMaybeBase64(value) ?? '')[0].label).toBe('PRIVATE KEY');
  });

  it.each([
    ['empty', ''],
    ['plain words', 'hello world'],
    ['base64 of text without PEM', Buffer.from('just a password').toString('base64')],
    ['bad length', 'abc'],
    ['data after padding', 'ab==cd=='],
    ['too much padding', 'a==='],
    ['url-safe alphabet', Buffer.from(keyPem).toString('base64url')],
    ['binary content', Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]).toString('base64')],
    ['a PEM itself', keyPem],
  ])('returns undefined for %s', (_name, value) => {
    expect(decodeMaybeBase64(value)).toBeUndefined();
  });
});

describe('parseCertificate', () => {
  it('summarises a certificate', () => {
    const notBefore = new Date('2026-01-01T00:00:00Z');
    const notAfter = new Date('2027-01-01T00:00:00Z');
    const serial = Buffer.from('0a1b2c3d', 'hex');
    const made = makeCertificate({ subject: 'cluster.local', organization: 'acme', notBefore, notAfter, isCA: true, serial });
    const c = cert(made.certPem);
    expect(c.subject).toBe('O=acme\nCN=cluster.local');
    expect(c.issuer).toBe(c.subject);
    expect(c.notBefore).toEqual(notBefore);
    expect(c.notAfter).toEqual(notAfter);
    expect(c.serialNumber).toBe('0A1B2C3D');
    expect(c.isCA).toBe(true);
    expect(c.fingerprint256).toBe(made.x509.fingerprint256);
    expect(c.publicKey.asymmetricKeyType).toBe('ec');
    expect(c.x509).toBeInstanceOf(X509Certificate);
  });

  it('reads GeneralizedTime dates beyond 2049 and before 1950, and leaf certificates', () => {
    const notBefore = new Date('1949-12-31T23:59:59Z');
    const notAfter = new Date('2051-03-04T05:06:07Z');
    const c = cert(makeCertificate({ subject: 'leaf', notBefore, notAfter, isCA: false, keyType: 'ed25519' }).certPem);
    expect(c.notBefore).toEqual(notBefore);
    expect(c.notAfter).toEqual(notAfter);
    expect(c.isCA).toBe(false);
  });

  it('takes the first certificate of a chain; parseCertificates reads them all', () => {
    const bundle = makeTrustBundle(NOW, 'valid');
    const chain = bundle.issuerCrt + bundle.caCrt;
    expect(cert(chain).fingerprint256).toBe(bundle.issuer.x509.fingerprint256);
    const all = parseCertificates('junk\n' + chain + bundle.issuerKey);
    expect(all.map((c) => (c.result.ok ? c.result.cert.fingerprint256 : c.result.error))).toEqual([bundle.issuer.x509.fingerprint256, bundle.root.x509.fingerprint256]);
    expect(all[0].block.start).toBe(5);
  });

  it('returns an error result, never throws, for malformed certificates', () => {
    const good = makeCertificate({ subject: 'x', notBefore: NOW, notAfter: daysFrom(NOW, 1), isCA: false }).certPem;
    const lines = good.split('\n');
    const truncated = [...lines.slice(0, 3), lines[lines.length - 2], ''].join('\n');
    const cases = [
      '',
      'not a certificate',
      '-----BEGIN CERTIFICATE-----\nnot base64 at all !!\n-----END CERTIFICATE-----\n',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      truncated,
      makeKeyPair('ec').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ];
    for (const text of cases) {
      const result = parseCertificate(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.length).toBeGreaterThan(0);
        for (const line of bodyOf(text)) if (line.length > 8) expect(result.error).not.toContain(line);
      }
    }
  });
});

describe('certificateValidity', () => {
  function at(notBefore: Date, notAfter: Date): Pick<CertificateSummary, 'notBefore' | 'notAfter'> {
    return { notBefore, notAfter };
  }
  const longAgo = daysFrom(NOW, -100);

  it.each([
    ['valid with a year left', daysFrom(NOW, 365), 'valid', 365],
    ['31 days left is not expiring at 30', daysFrom(NOW, 31), 'valid', 31],
    ['30 days and 1 second left is not expiring', new Date(daysFrom(NOW, 30).getTime() + SECOND), 'valid', 30],
    ['exactly 30 days left is expiring (inclusive)', daysFrom(NOW, 30), 'expiring', 30],
    ['10 days left', daysFrom(NOW, 10), 'expiring', 10],
    ['one second short of 10 days rounds down', new Date(daysFrom(NOW, 10).getTime() - SECOND), 'expiring', 9],
    ['expires this very second', NOW, 'expiring', 0],
    ['expired one second ago', new Date(NOW.getTime() - SECOND), 'expired', -1],
    ['expired exactly 3 days ago', daysFrom(NOW, -3), 'expired', -3],
    ['expired 3.5 days ago', daysFrom(NOW, -3.5), 'expired', -4],
  ] as const)('%s', (_name, notAfter, status, daysLeft) => {
    const v = certificateValidity(at(longAgo, notAfter), NOW, 30);
    expect(v.status).toBe(status);
    expect(v.daysLeft).toBe(daysLeft);
  });

  it('reports not-yet-valid before notBefore, with days left to notAfter', () => {
    const v = certificateValidity(at(daysFrom(NOW, 2), daysFrom(NOW, 20)), NOW, 30);
    expect(v).toEqual({ status: 'not-yet-valid', daysLeft: 20, notAfter: '2026-07-05T12:00:00Z', notBefore: '2026-06-17T12:00:00Z' });
    expect(certificateValidity(at(NOW, daysFrom(NOW, 200)), NOW, 30).status).toBe('valid'); // notBefore is inclusive
  });

  it('gives notAfter as an ISO timestamp without milliseconds', () => {
    const c = cert(makeCertificate({ subject: 'x', notBefore: longAgo, notAfter: new Date('2026-07-01T08:09:10.999Z'), isCA: false }).certPem);
    expect(certificateValidity(c, NOW, 30)).toEqual({ status: 'expiring', daysLeft: 15, notAfter: '2026-07-01T08:09:10Z', notBefore: '2026-03-07T12:00:00Z' });
  });

  it('warnDays 0 only reports expired certificates', () => {
    expect(certificateValidity(at(longAgo, daysFrom(NOW, 1)), NOW, 0).status).toBe('valid');
    expect(certificateValidity(at(longAgo, daysFrom(NOW, -1)), NOW, 0).status).toBe('expired');
  });
});

describe('checkIssuedBy', () => {
  it('accepts an issuer signed by its root', () => {
    const b = makeTrustBundle(NOW, 'valid');
    expect(checkIssuedBy(cert(b.issuerCrt), cert(b.caCrt))).toEqual({ signedBy: true, namesMatch: true, signatureValid: true, outlivesRoot: false });
  });

  it('rejects an issuer signed by a different root with the same name', () => {
    const b = makeTrustBundle(NOW, 'wrong-root');
    const r = checkIssuedBy(cert(b.issuerCrt), cert(b.caCrt));
    expect(r.signedBy).toBe(false);
    expect(r.signatureValid).toBe(false);
  });

  it('needs the signature as well as the names: without key identifiers the names alone match', () => {
    const root = makeCertificate({ subject: 'root', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 10), isCA: true, keyIdentifiers: false });
    const impostor = makeCertificate({ subject: 'root', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 10), isCA: true, keyIdentifiers: false });
    const child = makeCertificate({ subject: 'issuer', issuer: { cert: impostor, key: impostor.key.privateKey }, notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 5), isCA: true, keyIdentifiers: false });
    expect(checkIssuedBy(cert(child.certPem), cert(root.certPem))).toEqual({ signedBy: false, namesMatch: true, signatureValid: false, outlivesRoot: false });
  });

  it('needs the names as well as the signature', () => {
    const root = makeCertificate({ subject: 'root', notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 10), isCA: true });
    const renamed = makeCertificate({ subject: 'other-root', key: root.key, notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 10), isCA: true });
    const child = makeCertificate({ subject: 'issuer', issuer: { cert: root, key: root.key.privateKey }, notBefore: daysFrom(NOW, -1), notAfter: daysFrom(NOW, 5), isCA: true });
    expect(checkIssuedBy(cert(child.certPem), cert(renamed.certPem))).toMatchObject({ signedBy: false, namesMatch: false, signatureValid: true });
  });

  it('reports an issuer that outlives its root', () => {
    const b = makeTrustBundle(NOW, 'issuer-outlives-root');
    expect(checkIssuedBy(cert(b.issuerCrt), cert(b.caCrt))).toEqual({ signedBy: true, namesMatch: true, signatureValid: true, outlivesRoot: true });
  });

  it('does not accept a leaf as the signer of its own issuer', () => {
    const b = makeTrustBundle(NOW, 'valid');
    expect(checkIssuedBy(cert(b.caCrt), cert(b.issuerCrt)).signedBy).toBe(false);
  });
});

describe('keyMatchesCertificate', () => {
  const b = makeTrustBundle(NOW, 'valid');
  const issuer = cert(b.issuerCrt);

  it('matches the issuer key (PKCS#8, SEC1, indented, CRLF)', () => {
    expect(keyMatchesCertificate(b.issuerKey, issuer)).toEqual({ status: 'match' });
    const sec1 = b.issuer.key.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    expect(keyMatchesCertificate(sec1, issuer).status).toBe('match');
    expect(keyMatchesCertificate(`issuer.key: |\n${indent(b.issuerKey, 4)}\n`, issuer).status).toBe('match');
    expect(keyMatchesCertificate(b.issuerKey.replace(/\n/g, '\r\n'), issuer).status).toBe('match');
  });

  it('matches an Ed25519 root key', () => {
    expect(keyMatchesCertificate(b.root.keyPem, cert(b.caCrt)).status).toBe('match');
  });

  it('reports a key that belongs to another certificate', () => {
    expect(keyMatchesCertificate(makeTrustBundle(NOW, 'key-mismatch').issuerKey, issuer)).toEqual({ status: 'mismatch' });
    expect(keyMatchesCertificate(b.root.keyPem, issuer).status).toBe('mismatch');
  });

  it('reports encrypted keys distinctly', () => {
    const pkcs8 = b.issuer.key.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect(pkcs8).toContain('ENCRYPTED PRIVATE KEY');
    expect(keyMatchesCertificate(pkcs8, issuer)).toEqual({ status: 'encrypted' });
    const legacy = b.issuer.key.privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect(legacy).toContain('Proc-Type: 4,ENCRYPTED');
    expect(keyMatchesCertificate(legacy, issuer)).toEqual({ status: 'encrypted' });
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a key'],
    ['garbage in a key block', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
    ['a certificate', 'x'],
    ['an OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n'],
  ])('reports %s as unparseable without throwing', (name, value) => {
    const keyText = name === 'a certificate' ? b.issuerCrt : value;
    expect(keyMatchesCertificate(keyText, issuer)).toEqual({ status: 'unparseable' });
  });

  it('never puts key material in its result', () => {
    const results = [keyMatchesCertificate(b.issuerKey, issuer), keyMatchesCertificate(makeTrustBundle(NOW, 'key-mismatch').issuerKey, issuer)];
    const serialized = JSON.stringify(results);
    for (const line of bodyOf(b.issuerKey)) expect(serialized).not.toContain(line.slice(0, 16));
  });
});

describe('trust bundle variants', () => {
  const expected: Record<TrustBundleVariant, { root: string; issuer: string; signedBy: boolean; outlives: boolean; key: string }> = {
    valid: { root: 'valid', issuer: 'valid', signedBy: true, outlives: false, key: 'match' },
    'root-expired': { root: 'expired', issuer: 'expired', signedBy: true, outlives: false, key: 'match' },
    'issuer-expired': { root: 'valid', issuer: 'expired', signedBy: true, outlives: false, key: 'match' },
    'not-yet-valid': { root: 'not-yet-valid', issuer: 'not-yet-valid', signedBy: true, outlives: false, key: 'match' },
    expiring: { root: 'expiring', issuer: 'expiring', signedBy: true, outlives: false, key: 'match' },
    'wrong-root': { root: 'valid', issuer: 'valid', signedBy: false, outlives: false, key: 'match' },
    'key-mismatch': { root: 'valid', issuer: 'valid', signedBy: true, outlives: false, key: 'mismatch' },
    'issuer-outlives-root': { root: 'valid', issuer: 'valid', signedBy: true, outlives: true, key: 'match' },
  };

  it.each(TRUST_BUNDLE_VARIANTS)('%s', (variant) => {
    const b = makeTrustBundle(NOW, variant);
    const root = cert(b.caCrt);
    const issuer = cert(b.issuerCrt);
    const e = expected[variant];
    expect(root.isCA && issuer.isCA).toBe(true);
    expect(root.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(certificateValidity(root, NOW, 30).status).toBe(e.root);
    expect(certificateValidity(issuer, NOW, 30).status).toBe(e.issuer);
    const chain = checkIssuedBy(issuer, root);
    expect(chain.signedBy).toBe(e.signedBy);
    expect(chain.outlivesRoot).toBe(e.outlives);
    expect(keyMatchesCertificate(b.issuerKey, issuer).status).toBe(e.key);
    expect(cert(b.caCrt).x509.verify(root.publicKey)).toBe(true); // roots are self-signed
  });

  it('expiring bundles have exactly 10 days left', () => {
    const b = makeTrustBundle(NOW, 'expiring');
    expect(certificateValidity(cert(b.caCrt), NOW, 30)).toMatchObject({ status: 'expiring', daysLeft: 10, notAfter: '2026-06-25T12:00:00Z' });
  });

  it('follows the clock it is given', () => {
    const later = new Date('2031-02-03T04:05:06Z');
    const b = makeTrustBundle(later, 'valid');
    expect(certificateValidity(cert(b.caCrt), later, 30)).toMatchObject({ status: 'valid', daysLeft: 365 });
  });
});
