// DAPR101 component-unscoped: a Component without scopes can be loaded by every app of its namespace.
import { isSecretStoreType } from '../knowledge/component-types.js';
import { asSeq } from '../engine/yaml.js';
import { component, deployment, daprAnnotations, docs, redisMetadata } from './examples.js';
import { describeNamespace, resourceAnchor } from './helpers.js';
import type { LevelTable, Rule } from './types.js';

export const SECRET_STORE_LEVELS: LevelTable = { default: 'error', production: 'error', nonProduction: 'warning' };

export const rule: Rule = {
  meta: {
    id: 'DAPR101',
    name: 'component-unscoped',
    shortDescription: 'A Component has no scopes: every Dapr app in its namespace can use it.',
    fullDescription:
      'Reports a Dapr Component with no top-level `scopes`, or an empty list. Dapr then loads it into every sidecar of the namespace: any app can read and write the state store, publish to the broker or read the secret store. Secret stores (`secretstores.*`) are reported at a higher level (error, and warning outside production) and security-severity 8.0. A Component whose `scopes` is misplaced under `spec` or `metadata` is DAPR103\'s finding instead.',
    levels: { default: 'warning', production: 'error', nonProduction: 'note' },
    securitySeverity: 6.5,
    tags: ['security', 'least-privilege', 'scopes'],
    precision: 'very-high',
    docs: {
      why: 'Least privilege. Without scopes, a compromised or buggy app in the namespace can use every component there: read another service\'s state, publish forged events, or fetch every secret the secret store can reach. Scopes are the only per-app boundary Dapr puts on components.',
      fix: 'Add a top-level `scopes` list (a sibling of `spec`) naming the app-ids that need the component. Run `dapr-policy matrix` to see who can reach what today.',
      incorrect: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata() }),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes:', '  - task-api'] }),
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api'), { namespace: 'production' }),
          },
        },
      ],
      notes: [
        'Scopes match app-ids exactly and case-sensitively; there are no wildcards (dapr/dapr pkg/apis/common/scoped.go).',
        'The message lists the apps the repository runs in that namespace today, which are the ones that can load the component.',
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.ofType('component')) {
      const c = inst.resource;
      if (c.misplacedScopes.length > 0) continue; // DAPR103
      if (c.scopes && c.scopes.items.length > 0) continue;
      const secretStore = isSecretStoreType(c.canonicalType);
      const emptyList = c.scopes && asSeq(c.scopes.pair.value, c.pdoc);
      const apps = [...model.appIdsIn(inst.namespace)].sort();
      const who = apps.length ? ` (${apps.length} run there now: ${apps.slice(0, 5).join(', ')}${apps.length > 5 ? ', …' : ''})` : '';
      const what = secretStore ? 'read every secret it can reach' : 'use it';
      report({
        message: `Component "${c.name}"${c.specType ? ` (${c.specType.value})` : ''} ${emptyList ? 'has an empty scopes list' : 'has no scopes'}: every Dapr app in ${describeNamespace(inst.namespace)} can ${what}${who}. List the app-ids that need it under top-level scopes.`,
        at: emptyList ? { pdoc: c.pdoc, node: c.scopes?.pair.value } : resourceAnchor(inst),
        on: inst,
        path: 'scopes',
        ...(secretStore ? { levels: SECRET_STORE_LEVELS, securitySeverity: 8.0 } : {}),
      });
    }
  },
};
