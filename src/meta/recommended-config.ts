// The recommended rules.config.json: what `dapr-policy init` writes and what
// the repository root holds. Every rule is listed with level "default" (the
// catalog's levels per environment, variants included) and its options.
import type { RuleMeta } from '../rules/types.js';
import { describeLevels } from './levels.js';

export function recommendedConfig(rules: readonly RuleMeta[]): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  for (const meta of rules) {
    const entry: Record<string, unknown> = { $comment: `${meta.name}: ${describeLevels(meta.levels)}`, level: 'default' };
    if (meta.options?.length) entry.options = Object.fromEntries(meta.options.map((o) => [o.name, o.default]));
    entries[meta.id] = entry;
  }
  return {
    $schema: './node_modules/dapr-policy/schema/rules.config.schema.json',
    defaultNamespace: 'default',
    environments: {
      production: { namespaces: ['prod', 'prod-*', 'production'], paths: [] },
      'non-production': { namespaces: ['dev', 'dev-*', 'test', 'staging'], paths: [] },
    },
    knownAppIds: [],
    allowedSidecarImages: [],
    certificateExpiryDays: 30,
    rules: entries,
  };
}

export function recommendedConfigText(rules: readonly RuleMeta[]): string {
  return `${JSON.stringify(recommendedConfig(rules), null, 2)}\n`;
}
