// DAPR106 nonproduction-app-in-production: a production resource grants an app-id that looks like test or debug tooling.
import { compileGlob } from '../engine/glob.js';
import { appReferences } from './app-references.js';
import { component, redisMetadata } from './examples.js';
import { describe } from './helpers.js';
import type { Rule } from './types.js';

const TOKENS = new Set(['test', 'tests', 'debug', 'dev', 'e2e', 'qa', 'sandbox', 'mock', 'fake']);

/** Built-in heuristic: one of the `-`/`_`/`.`-separated tokens is a non-production word. */
export function looksNonProduction(appId: string): boolean {
  return appId.toLowerCase().split(/[-_.]/).some((t) => TOKENS.has(t));
}

export const rule: Rule = {
  meta: {
    id: 'DAPR106',
    name: 'nonproduction-app-in-production',
    shortDescription: 'A production resource grants access to an app-id that looks like test or debug tooling.',
    fullDescription:
      'Reports a production Dapr resource whose `scopes` or access-control policy names an app-id that looks non-production: one of its `-`, `_` or `.`-separated tokens is `test`, `tests`, `debug`, `dev`, `e2e`, `qa`, `sandbox`, `mock` or `fake` (`test-runner` and `debug-tools` match; `device-gateway` does not). Config `nonProductionAppIds` (globs) replaces the built-in list. Off outside production.',
    levels: { default: 'off', production: 'error', nonProduction: 'off' },
    securitySeverity: 7.0,
    tags: ['security', 'least-privilege', 'environments'],
    precision: 'medium',
    docs: {
      why: 'Development overlays legitimately scope a state store to `test-runner` and `debug-tools`; copied into production, the same list gives debugging tools read and write access to production data. It is the classic drift between environments that the security lesson warns about.',
      fix: 'Remove the non-production app-id from the production resource. If the name is a false positive, set `nonProductionAppIds` in rules.config.json to the globs your team uses.',
      incorrect: [
        {
          files: { 'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes:', '  - task-api', '  - debug-tools'] }) },
        },
      ],
      correct: [
        {
          files: { 'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes:', '  - task-api'] }) },
        },
      ],
    },
  },
  check({ model, config, report }) {
    const custom = config.nonProductionAppIds;
    const matches = custom ? compileGlob(custom) : looksNonProduction;
    for (const ref of appReferences(model)) {
      if (ref.what === 'resiliency-target' || ref.what === 'topic-scope') continue;
      if (!matches(ref.appId)) continue;
      report({
        message: `${describe(ref.inst)} grants "${ref.appId}", which looks like a non-production app, access in production. Remove it from the production ${ref.what === 'scope' ? 'scopes' : 'access-control policy'}.`,
        at: ref.at,
        on: ref.inst,
        path: ref.path,
      });
    }
  },
};
