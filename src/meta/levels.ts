// How a rule's levels read in docs, `dapr-policy rules` and config comments.
import type { LevelTable, RuleMeta } from '../rules/types.js';

export interface LevelColumns {
  default: string;
  production: string;
  nonProduction: string;
}

export function levelColumns(t: LevelTable): LevelColumns {
  return { default: t.default, production: t.production ?? t.default, nonProduction: t.nonProduction ?? t.default };
}

export function describeLevels(t: LevelTable): string {
  const c = levelColumns(t);
  if (c.production === c.default && c.nonProduction === c.default) return c.default;
  return `${c.default}; production: ${c.production}; non-production: ${c.nonProduction}`;
}

/** GitHub's bands: >9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export function severityBand(score: number): string {
  if (score <= 0) return 'none';
  if (score > 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

export function formatSeverity(meta: Pick<RuleMeta, 'securitySeverity'>): string {
  return meta.securitySeverity > 0 ? `${meta.securitySeverity.toFixed(1)} (${severityBand(meta.securitySeverity)})` : 'not a security finding';
}
