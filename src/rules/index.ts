// Every built-in rule, in id order. Adding a rule: one module here, its docs
// page (generated from meta by `npm run generate`) and its fixtures.
import { rule as DAPR001 } from './DAPR001-yaml-syntax.js';
import { rule as DAPR002 } from './DAPR002-dapr-resource-schema.js';
import { rule as DAPR003 } from './DAPR003-annotation-not-string.js';
import { rule as DAPR004 } from './DAPR004-unknown-dapr-annotation.js';
import { rule as DAPR005 } from './DAPR005-invalid-annotation-value.js';
import { rule as DAPR006 } from './DAPR006-suppression-without-reason.js';
import { rule as DAPR007 } from './DAPR007-render-failed.js';
import { rule as DAPR101 } from './DAPR101-component-unscoped.js';
import { rule as DAPR102 } from './DAPR102-unknown-app-id.js';
import { rule as DAPR103 } from './DAPR103-misplaced-scopes.js';
import { rule as DAPR104 } from './DAPR104-duplicate-component.js';
import { rule as DAPR105 } from './DAPR105-subscription-unreachable.js';
import { rule as DAPR106 } from './DAPR106-nonproduction-app-in-production.js';
import { rule as DAPR107 } from './DAPR107-access-policy-drift.js';
import { rule as DAPR108 } from './DAPR108-new-grant.js';
import { rule as DAPR201 } from './DAPR201-plaintext-secret.js';
import { rule as DAPR202 } from './DAPR202-empty-credential.js';
import { rule as DAPR203 } from './DAPR203-committed-secret.js';
import { rule as DAPR204 } from './DAPR204-secret-ref-unresolved.js';
import { rule as DAPR205 } from './DAPR205-unknown-secret-store.js';
import { rule as DAPR206 } from './DAPR206-plaintext-secret-in-env-annotation.js';
import { rule as DAPR207 } from './DAPR207-committed-private-key.js';
import { rule as DAPR301 } from './DAPR301-sidecar-listens-publicly.js';
import { rule as DAPR302 } from './DAPR302-api-token-required.js';
import { rule as DAPR303 } from './DAPR303-app-token-without-api-token.js';
import { rule as DAPR304 } from './DAPR304-api-logging-disabled.js';
import { rule as DAPR305 } from './DAPR305-debug-endpoint-enabled.js';
import { rule as DAPR306 } from './DAPR306-debug-log-level.js';
import { rule as DAPR307 } from './DAPR307-missing-app-id.js';
import { rule as DAPR308 } from './DAPR308-duplicate-app-id.js';
import { rule as DAPR309 } from './DAPR309-configuration-not-found.js';
import { rule as DAPR310 } from './DAPR310-dapr-api-exposed.js';
import { rule as DAPR311 } from './DAPR311-host-network-sidecar.js';
import { rule as DAPR312 } from './DAPR312-sidecar-image-override.js';
import { rule as DAPR313 } from './DAPR313-remote-app-channel.js';
import { rule as DAPR401 } from './DAPR401-mtls-disabled.js';
import { rule as DAPR402 } from './DAPR402-weak-mtls-settings.js';
import { rule as DAPR403 } from './DAPR403-certificate-expiry.js';
import { rule as DAPR404 } from './DAPR404-trust-chain-broken.js';
import { rule as DAPR405 } from './DAPR405-acl-without-mtls.js';
import { rule as DAPR406 } from './DAPR406-invalid-acl-policy.js';
import { rule as DAPR407 } from './DAPR407-api-allowlist-protocol.js';
import { rule as DAPR408 } from './DAPR408-invocation-default-allow.js';
import { rule as DAPR409 } from './DAPR409-secret-scopes-missing.js';
import { rule as DAPR501 } from './DAPR501-component-tls-disabled.js';
import type { Rule } from './types.js';

export const allRules: readonly Rule[] = [
  DAPR001,
  DAPR002,
  DAPR003,
  DAPR004,
  DAPR005,
  DAPR006,
  DAPR007,
  DAPR101,
  DAPR102,
  DAPR103,
  DAPR104,
  DAPR105,
  DAPR106,
  DAPR107,
  DAPR108,
  DAPR201,
  DAPR202,
  DAPR203,
  DAPR204,
  DAPR205,
  DAPR206,
  DAPR207,
  DAPR301,
  DAPR302,
  DAPR303,
  DAPR304,
  DAPR305,
  DAPR306,
  DAPR307,
  DAPR308,
  DAPR309,
  DAPR310,
  DAPR311,
  DAPR312,
  DAPR313,
  DAPR401,
  DAPR402,
  DAPR403,
  DAPR404,
  DAPR405,
  DAPR406,
  DAPR407,
  DAPR408,
  DAPR409,
  DAPR501,
];

export function findRule(idOrName: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === idOrName || r.meta.name === idOrName);
}
