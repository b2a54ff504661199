// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR401 } from './DAPR401-mtls-disabled.js';
import { rule as DAPR402 } from './DAPR402-weak-mtls-settings.js';
import { rule as DAPR405 } from './DAPR405-acl-without-mtls.js';
import { rule as DAPR406 } from './DAPR406-invalid-acl-policy.js';
import { rule as DAPR407 } from './DAPR407-api-allowlist-protocol.js';
import { rule as DAPR408 } from './DAPR408-invocation-default-allow.js';
import { rule as DAPR409 } from './DAPR409-secret-scopes-missing.js';
import type { Rule } from './types.js';

export const pendingMtlsRules: Rule[] = [DAPR401, DAPR402, DAPR405, DAPR406, DAPR407, DAPR408, DAPR409];
