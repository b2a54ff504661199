// DAPR203 committed-secret: a Kubernetes Secret with values in data/stringData is committed to the repository.
import type { Pair, Scalar } from 'yaml';
import type { Instance } from '../engine/model.js';
import type { ResourceOf } from '../engine/resources.js';
import { mapEntries, type ParsedDoc, scalarText, type YNode } from '../engine/yaml.js';
import { component } from './examples.js';
import { isLiteral } from './placeholders.js';
import type { Rule } from './types.js';

const SHOWN_KEYS = 5;

/** A value SOPS left encrypted in place (a copy of an encrypted file that lost its `sops:` block still is). */
function isSopsCiphertext(value: string): boolean {
  return /^ENC\[[A-Z0-9_]+,data:/.test(value.trim());
}

/** `data` values are base64: a placeholder may hide under the encoding. */
function decodedBase64(value: string): string | undefined {
  const v = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return undefined;
  return Buffer.from(v, 'base64').toString('utf8');
}

function holdsSecret(value: string, base64: boolean): boolean {
  if (!isLiteral(value) || isSopsCiphertext(value)) return false;
  if (!base64) return true;
  // The API server rejects `data` that is not base64: such a value is a token a script replaces before applying.
  const decoded = decodedBase64(value);
  return decoded !== undefined && isLiteral(decoded);
}

/** Keys of a data/stringData map whose values are real secrets. */
function committedKeys(pdoc: ParsedDoc, node: YNode, base64: boolean): string[] {
  return mapEntries(node, pdoc)
    .filter((e) => {
      const v = scalarText(e.value, pdoc);
      return v !== undefined && holdsSecret(v, base64);
    })
    .map((e) => e.key);
}

function keyList(keys: string[]): string {
  const shown = keys.slice(0, SHOWN_KEYS).join(', ');
  return keys.length > SHOWN_KEYS ? `${shown}, … (${keys.length} keys)` : shown;
}

function checkField(inst: Instance<ResourceOf<'secret'>>, field: 'data' | 'stringData', pair: Pair<Scalar, YNode> | undefined, report: (keys: string[], pair: Pair<Scalar, YNode>) => void): void {
  if (!pair) return;
  const keys = committedKeys(inst.resource.pdoc, pair.value, field === 'data');
  if (keys.length > 0) report(keys, pair);
}

const secretYaml = (body: string[]): string => ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: redis', 'type: Opaque', ...body, ''].join('\n');

export const rule: Rule = {
  meta: {
    id: 'DAPR203',
    name: 'committed-secret',
    shortDescription: 'A Kubernetes Secret with values is committed to the repository.',
    fullDescription:
      'Reports a Kubernetes `Secret` whose `data` or `stringData` holds values, at the `data` / `stringData` key. `data` is only base64-encoded, not encrypted: anyone who can read the repository, its forks, clones and CI logs can read the secret. Not reported for SOPS-encrypted files (`sops:` metadata or `ENC[…]` values), for SealedSecret or ExternalSecret (which hold no plaintext), nor for values that are empty or placeholders (`{{ }}`, `${VAR}`, `$(VAR)`, `<…>`, or a `data` value that is not base64, which the API server would reject and a script must replace). The message names the keys, never the values.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 7.5,
    tags: ['security', 'secrets'],
    precision: 'very-high',
    docs: {
      why: 'Secrets in Git are read by everyone with access to the repository, stay in its history after they are deleted, and travel with every fork and clone. Base64 in `data` is an encoding, not protection. Dapr components that read such a Secret through `secretKeyRef` look safe while their credentials are public.',
      fix: 'Remove the Secret from the repository and rotate the values. Commit an encrypted form instead (SOPS, a Bitnami SealedSecret), or an ExternalSecret that fetches the value from a vault; or create the Secret out of band.',
      incorrect: [
        {
          files: {
            'deploy/redis-secret.yaml': secretYaml(['stringData:', '  redis-password: hunter2']),
            'deploy/statestore.yaml': component('statestore', 'state.redis', {
              metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'],
              tail: ['scopes: [task-api]'],
            }),
          },
        },
      ],
      correct: [
        {
          title: 'A SealedSecret holds only ciphertext',
          files: {
            'deploy/redis-secret.yaml': ['apiVersion: bitnami.com/v1alpha1', 'kind: SealedSecret', 'metadata:', '  name: redis', 'spec:', '  encryptedData:', '    redis-password: AgBy3i4OJSWK+PiTySYZZA==', ''].join('\n'),
          },
        },
        {
          title: 'A SOPS-encrypted Secret',
          files: {
            'deploy/redis-secret.yaml': secretYaml([
              'stringData:',
              '  redis-password: ENC[AES256_GCM,data:Tr7o1w==,iv:1=,tag:2=,type:str]',
              'sops:',
              '  age:',
              '    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
              '  version: 3.9.0',
            ]),
          },
        },
      ],
      notes: [
        'One finding per field: a Secret with both `data` and `stringData` values gets two.',
        'Secrets under a Helm chart\'s `templates/` folder are Go templates and are not parsed; their values usually come from values files.',
        'A committed private key is also DAPR207\'s finding, with a higher severity.',
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.ofType('secret')) {
      const s = inst.resource;
      if (s.sops) continue;
      const name = s.name ?? '(unnamed)';
      const fields = [
        ['data', s.dataPair],
        ['stringData', s.stringDataPair],
      ] as const;
      for (const [field, pair] of fields) {
        checkField(inst, field, pair, (keys, p) => {
          const encoding = field === 'data' ? ' (base64 is an encoding, not encryption)' : '';
          report({
            message: `Secret "${name}" commits ${keys.length === 1 ? 'a value' : `${keys.length} values`} in ${field}${encoding} for ${keyList(keys)}: anyone who can read the repository can read ${keys.length === 1 ? 'it' : 'them'}. Commit a SealedSecret, a SOPS-encrypted file or an ExternalSecret instead, and rotate ${keys.length === 1 ? 'the value if it is a credential' : 'every credential among them'}.`,
            at: { pdoc: s.pdoc, node: p.key },
            on: inst,
            path: field,
          });
        });
      }
    }
  },
};
