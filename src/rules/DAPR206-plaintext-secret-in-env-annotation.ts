// DAPR206 plaintext-secret-in-env-annotation: dapr.io/env sets a credential-like variable to a literal.
import type { AppInstance } from '../engine/model.js';
import type { Annotation, NodeRef } from '../engine/resources.js';
import { substringOffsets } from '../engine/yaml.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApp } from './helpers.js';
import { isLiteral } from './placeholders.js';
import { type EnvEntry, parseEnvAnnotation } from './sidecar-env.js';
import type { Rule } from './types.js';

const CREDENTIAL_TOKENS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'SECRET', 'APIKEY', 'CREDENTIALS']);

/** `DAPR_API_TOKEN`, `DB_PASSWORD`, `STRIPE_KEY` look like credentials; `KEYCLOAK_URL`, `KEY_ID` do not. */
export function isCredentialName(name: string): boolean {
  const tokens = name.toUpperCase().split('_').filter(Boolean);
  return tokens.some((t) => CREDENTIAL_TOKENS.has(t)) || tokens[tokens.length - 1] === 'KEY';
}

/** Variables that have a dedicated, Secret-backed annotation. */
const DEDICATED: Record<string, string> = {
  DAPR_API_TOKEN: 'dapr.io/api-token-secret',
  APP_API_TOKEN: 'dapr.io/app-token-secret',
};

function advice(entry: EnvEntry): string {
  const dedicated = DEDICATED[entry.name.toUpperCase()];
  if (dedicated) return `Rotate it, put it in a Kubernetes Secret under the key "token" and set ${dedicated} to that Secret's name instead.`;
  return `Rotate it, put it in a Kubernetes Secret and use dapr.io/env-from-secret: "${entry.name}=<secret>:<key>" instead.`;
}

function messageFor(a: AppInstance, entry: EnvEntry): string {
  const dropped = entry.droppedByInjector ? ' (the injector drops this entry because its value holds "=", but the text is still committed)' : '';
  return `dapr.io/env of ${describeApp(a)} sets ${entry.name} to a literal value${dropped}: the credential is committed in plain text and readable by anyone with access to the repository or the pod spec. ${advice(entry)}`;
}

function entryAt(ann: Annotation, entry: EnvEntry): NodeRef {
  const offsets = substringOffsets(ann.pdoc, ann.valueNode, entry.start, entry.end - entry.start);
  return { pdoc: ann.pdoc, node: ann.valueNode, ...(offsets ? { offsets } : {}) };
}

export const rule: Rule = {
  meta: {
    id: 'DAPR206',
    name: 'plaintext-secret-in-env-annotation',
    shortDescription: 'dapr.io/env sets a credential-like variable to a literal value.',
    fullDescription:
      'Reports an entry of the `dapr.io/env` pod annotation whose variable name looks like a credential (one of its `_`-separated tokens is `TOKEN`, `PASSWORD`, `PASSWD`, `SECRET`, `APIKEY` or `CREDENTIALS`, or its last token is `KEY`; `KEYCLOAK_URL` does not match) and whose value is a literal rather than a placeholder (`${VAR}`, `$(VAR)`, `{{ }}`, `<…>`) or empty. Points at the `NAME=value` entry inside the annotation and never repeats the value. Entries are split the way the injector splits them: at a comma followed by `NAME=`.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 8.0,
    tags: ['security', 'secrets', 'annotations'],
    precision: 'high',
    docs: {
      why: '`dapr.io/env` becomes plain `env` values on the daprd container: the secret is in Git, in the Deployment object that anyone with read access to the namespace can get, and in the pod spec. A `DAPR_API_TOKEN` written here hands the key of the Dapr API to everyone who can read the manifest.',
      fix: 'Store the value in a Kubernetes Secret and reference it with `dapr.io/env-from-secret` (`NAME=secret:key`). For the Dapr API and app tokens use `dapr.io/api-token-secret` / `dapr.io/app-token-secret`, which read the key `token`. Rotate the value that was committed.',
      incorrect: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/env: "LOG_FORMAT=json,STRIPE_API_KEY=sk_live_51H8x"'])),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/task-api.yaml': deployment(
              'task-api',
              daprAnnotations('task-api', ['dapr.io/env: "LOG_FORMAT=json,KEYCLOAK_URL=https://sso.internal"', 'dapr.io/env-from-secret: "STRIPE_API_KEY=payments:stripe-key"']),
            ),
          },
        },
      ],
      notes: [
        'The injector splits `dapr.io/env` at a comma followed by `NAME=` (so `HOSTS=a,b` is one entry) and then splits each entry on every `=`, dropping it unless there are exactly two parts (dapr/dapr pkg/injector/patcher/sidecar_container.go, parseEnvVars). A credential whose value holds `=` (base64 padding) therefore never reaches daprd, but it is still committed, so it is reported all the same.',
        'Workloads whose `dapr.io/enabled` is not truthy are judged too: the credential is in the repository whether or not a sidecar is injected.',
        'Placeholders follow DAPR201: `${VAR}`, `$(VAR)`, `{{ }}` anywhere in the value, or a value that is entirely `<…>`.',
      ],
    },
  },
  check({ model, report }) {
    for (const a of model.apps) {
      const ann = a.kubernetes ? a.app.pod?.annotations.get('dapr.io/env') : undefined;
      if (!ann) continue;
      for (const entry of parseEnvAnnotation(ann.text)) {
        if (!isCredentialName(entry.name) || !isLiteral(entry.value)) continue;
        report({ message: messageFor(a, entry), at: entryAt(ann, entry), on: a, path: `annotations.dapr.io/env[${entry.name}]` });
      }
    }
  },
};
