// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR203 } from './DAPR203-committed-secret.js';
import { rule as DAPR204 } from './DAPR204-secret-ref-unresolved.js';
import { rule as DAPR205 } from './DAPR205-unknown-secret-store.js';
import { rule as DAPR206 } from './DAPR206-plaintext-secret-in-env-annotation.js';
import type { Rule } from './types.js';

export const pendingSecretRefRules: Rule[] = [DAPR203, DAPR204, DAPR205, DAPR206];
