// Every built-in rule, in id order. Adding a rule: one module here, its docs
// page (generated from meta by `npm run generate`) and its fixtures.
import { rule as DAPR001 } from './DAPR001-yaml-syntax.js';
import { rule as DAPR002 } from './DAPR002-dapr-resource-schema.js';
import { rule as DAPR003 } from './DAPR003-annotation-not-string.js';
import { rule as DAPR004 } from './DAPR004-unknown-dapr-annotation.js';
import { rule as DAPR005 } from './DAPR005-invalid-annotation-value.js';
import { rule as DAPR006 } from './DAPR006-suppression-without-reason.js';
import { rule as DAPR101 } from './DAPR101-component-unscoped.js';
import { rule as DAPR102 } from './DAPR102-unknown-app-id.js';
import { rule as DAPR103 } from './DAPR103-misplaced-scopes.js';
import { rule as DAPR104 } from './DAPR104-duplicate-component.js';
import { rule as DAPR105 } from './DAPR105-subscription-unreachable.js';
import { rule as DAPR106 } from './DAPR106-nonproduction-app-in-production.js';
import { rule as DAPR107 } from './DAPR107-access-policy-drift.js';
import { pendingCredentialRules } from './pending-credentials.js';
import { pendingMtlsRules } from './pending-mtls.js';
import { pendingPemRules } from './pending-pem.js';
import { pendingSecretRefRules } from './pending-secret-refs.js';
import { pendingSidecarExposureRules } from './pending-sidecar-exposure.js';
import { pendingSidecarSettingsRules } from './pending-sidecar-settings.js';
import type { Rule } from './types.js';

// TODO(consolidate): the pending-*.ts lists let rules be added in parallel; fold them into this list.
export const allRules: readonly Rule[] = [
  DAPR001,
  DAPR002,
  DAPR003,
  DAPR004,
  DAPR005,
  DAPR006,
  DAPR101,
  DAPR102,
  DAPR103,
  DAPR104,
  DAPR105,
  DAPR106,
  DAPR107,
  ...pendingSecretRefRules,
  ...pendingCredentialRules,
  ...pendingPemRules,
  ...pendingSidecarExposureRules,
  ...pendingSidecarSettingsRules,
  ...pendingMtlsRules,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

export function findRule(idOrName: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === idOrName || r.meta.name === idOrName);
}
