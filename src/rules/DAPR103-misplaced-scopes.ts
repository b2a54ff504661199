// DAPR103 misplaced-scopes: `scopes` under spec or metadata is ignored by Dapr.
import { component, redisMetadata } from './examples.js';
import { describe } from './helpers.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR103',
    name: 'misplaced-scopes',
    shortDescription: '`scopes` is under `spec` or `metadata`, where Dapr ignores it: the resource is unscoped.',
    fullDescription:
      'Reports a `scopes` key written under `spec` or under `metadata` of a Dapr resource (Component, Subscription, Resiliency, HTTPEndpoint, …). Dapr only reads top-level `scopes`, a sibling of `spec`; anywhere else the list is pruned or ignored, and the resource applies to every app in the namespace while its author believes it is scoped.',
    levels: { default: 'error' },
    securitySeverity: 7.0,
    tags: ['security', 'least-privilege', 'scopes'],
    precision: 'very-high',
    docs: {
      why: 'This is worse than no scopes at all: the manifest reads as least-privilege in review while granting every app access. The API server prunes unknown fields of the CRD without an error, so nothing fails at deploy time.',
      fix: 'Move `scopes` to the top level of the document, beside `spec`. `--fix` does this for you once autofix is available.',
      incorrect: [
        {
          files: {
            'components/statestore.yaml': component('statestore', 'state.redis', { metadata: [...redisMetadata()] }).replace('  version: v1\n', '  version: v1\n  scopes:\n    - task-api\n'),
          },
        },
      ],
      correct: [
        {
          files: { 'components/statestore.yaml': component('statestore', 'state.redis', { metadata: redisMetadata(), tail: ['scopes:', '  - task-api'] }) },
        },
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.instances) {
      const r = inst.resource;
      if (!('misplacedScopes' in r)) continue;
      // With a non-empty top-level list beside it, the resource is scoped after all: saying it applies to every app would be false.
      const scopedAnyway = r.scopes !== undefined && r.scopes.items.length > 0;
      for (const m of r.misplacedScopes) {
        report({
          message: scopedAnyway
            ? `"scopes" under ${m.where} is ignored by Dapr: only the top-level scopes of ${describe(inst)} apply. Merge it into the top-level scopes, beside spec, or remove it.`
            : `"scopes" under ${m.where} is ignored by Dapr, so ${describe(inst)} applies to every app in its namespace. Move scopes to the top level, beside spec.`,
          at: { pdoc: r.pdoc, node: m.pair.key },
          on: inst,
          path: `${m.where}.scopes`,
        });
      }
    }
  },
};
