// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR201 } from './DAPR201-plaintext-secret.js';
import { rule as DAPR202 } from './DAPR202-empty-credential.js';
import { rule as DAPR501 } from './DAPR501-component-tls-disabled.js';
import type { Rule } from './types.js';

export const pendingCredentialRules: Rule[] = [DAPR201, DAPR202, DAPR501];
