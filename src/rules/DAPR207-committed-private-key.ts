// DAPR207 committed-private-key: a PEM private key anywhere in a scanned file.
import type { PemBlock } from '../knowledge/pem.js';
import { everyPemValue, isCommittedKeyBlock, occurrences, type PemOccurrence, reportInScopes } from './pem-sources.js';
import { daprHelmRelease, SENTRY_ISSUER_KEY_EXAMPLE } from './pem-examples.js';
import type { Rule } from './types.js';

/** Folder names under which a key is likely a test fixture: said in the message, still reported. */
const TEST_FOLDER = /^(tests?|testdata|testing|fixtures?|e2e|__tests__)$/i;

function isEncrypted(block: PemBlock): boolean {
  // PKCS#8 says so in its label; legacy OpenSSL PEM in a `Proc-Type` header.
  return block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/.test(block.text);
}

/** The first folder of the path that looks like a test folder, e.g. `tests/certification`. */
function testFolder(file: string): string | undefined {
  const segs = file.split('/').slice(0, -1);
  const i = segs.findIndex((s) => TEST_FOLDER.test(s));
  return i === -1 ? undefined : segs.slice(0, i + 1).join('/');
}

function what(o: PemOccurrence): string {
  const kind = isEncrypted(o.block) ? 'An encrypted private key' : 'A private key';
  const nth = o.count > 1 ? `, the ${ordinal(o.index)} of ${o.count} in this value,` : '';
  return `${kind} (PEM "${o.block.label}")${nth} is committed in ${o.value.where}`;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function message(o: PemOccurrence): string {
  const parts = [what(o) + (o.value.sops ? ' (the file is SOPS-encrypted, but this value is not: encrypted_regex or unencrypted_suffix left it in plaintext)' : '') + '.'];
  if (o.value.role === 'issuer-key') {
    parts.push('It is the Dapr Sentry issuer key: whoever can read the repository can mint workload certificates that every sidecar trusts, and so impersonate any app.');
  } else {
    parts.push('Whoever can read the repository has it: a CA or issuer key lets them mint identities, a TLS key lets them impersonate its owner.');
  }
  if (isEncrypted(o.block)) parts.push('A passphrase protects it only as well as the passphrase is strong and kept out of the repository.');
  const tests = testFolder(o.value.file);
  if (tests) parts.push(`The file is under "${tests}/": a test key is public all the same, so nothing outside the tests may trust it.`);
  const rotate = o.value.role === 'issuer-key' ? 'rotate it (dapr mtls renew-certificate)' : 'rotate it';
  parts.push(`Remove it from the repository and its history, ${rotate}, and deliver it from a secret manager (External Secrets, Sealed Secrets, SOPS, or Helm valuesFrom a Secret).`);
  return parts.join(' ');
}

export const rule: Rule = {
  meta: {
    id: 'DAPR207',
    name: 'committed-private-key',
    shortDescription: 'A PEM private key is committed to the repository.',
    fullDescription:
      'Reports every PEM private key (`-----BEGIN … PRIVATE KEY-----`: PKCS#8, RSA, EC, OpenSSH, encrypted, PGP) in a scanned file: in any YAML value (plain, quoted with `\\n` escapes, block scalars), base64-encoded in a Secret `data` value or any other base64 value (kubeconfig `client-key-data`), in Helm values such as `dapr_sentry.tls.issuer.keyPEM`, in a comment, in a document that does not parse, and in `.pem`/`.crt` files. A committed CA or issuer key lets anyone mint Dapr workload identities. SOPS ciphertext holds no PEM text and is not reported; placeholder bodies (`XXX`, `...`) are not keys. The message says where the key is, never what it is.',
    levels: { default: 'error' },
    securitySeverity: 9.5,
    tags: ['security', 'secrets', 'mtls', 'sentry'],
    precision: 'very-high',
    docs: {
      why: 'A private key in Git is readable by everyone who can clone the repository, forever: deleting the file leaves it in history, forks and CI caches. The Dapr Sentry issuer key (the `issuer.key` of the `dapr-trust-bundle` Secret, Helm value `dapr_sentry.tls.issuer.keyPEM`) signs every workload certificate, so with it an attacker can mint a certificate for any app-id and pass every Dapr access-control policy. Other keys (TLS clients of components, webhooks) let an attacker impersonate their owner.',
      fix: 'Remove the key, purge it from history, and rotate it: a committed key must be treated as known. Deliver keys from a secret manager instead: an ExternalSecret or SealedSecret for the `dapr-trust-bundle` Secret, SOPS-encrypted files, or Helm `valuesFrom` a Secret for `dapr_sentry.tls.issuer.keyPEM`. For Sentry, `dapr mtls renew-certificate` issues a new root and issuer.',
      incorrect: [
        {
          title: 'The Sentry issuer key inline in the values of the Dapr chart',
          files: {
            'platform/dapr/Chart.yaml': ['apiVersion: v2', 'name: dapr-platform', 'version: 1.0.0', 'dependencies:', '  - name: dapr', '    version: 1.16.0', '    repository: https://dapr.github.io/helm-charts', ''].join('\n'),
            'platform/dapr/values.yaml': ['dapr:', '  dapr_sentry:', '    tls:', '      issuer:', '        keyPEM: |', ...SENTRY_ISSUER_KEY_EXAMPLE.trimEnd().split('\n').map((l) => `          ${l}`), ''].join('\n'),
          },
        },
      ],
      correct: [
        {
          title: 'The issuer key comes from a Secret that the repository does not hold (created by External Secrets)',
          files: {
            'platform/dapr.yaml': daprHelmRelease(),
          },
        },
      ],
      notes: [
        'Test fixtures are reported too: a committed key is public whatever it was meant for. The message says when the file is under a test folder (`test/`, `tests/`, `testdata/`, `fixtures/`, `e2e/`); suppress the finding with a reason when the key is a known throwaway.',
        'A key in YAML is reported at the scalar that holds it (so that a `dapr-policy-disable-next-line` comment above its key can suppress it); a key in a `.pem`/`.crt` file, a comment or a document that does not parse, at its `-----BEGIN` line. Several keys in one value are reported separately.',
        'Every file that discovery reads is searched (`include` in the config, by default `*.yaml`, `*.yml`, `*.json`, `*.crt`, `*.pem`, `*.key` and chart templates): YAML values, JSON that is not a manifest (a cloud service-account key file) and Helm templates as text, at the `-----BEGIN` line. Files that discovery does not read (`.env`, `.p12`, `.txt`) are not searched.',
        'PUBLIC KEY blocks and certificates are not secrets and are not reported. A body with fewer than 64 base64 characters, or with `...`, `{{ }}`, `${VAR}` or `<placeholder>` in it, is a placeholder, not a key.',
      ],
    },
  },
  check({ model, report }) {
    for (const value of everyPemValue(model)) {
      for (const o of occurrences(value, isCommittedKeyBlock)) {
        reportInScopes(report, value.scopes, { message: message(o), at: o.at, path: o.path });
      }
    }
  },
};
