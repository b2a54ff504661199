// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR207 } from './DAPR207-committed-private-key.js';
import { rule as DAPR403 } from './DAPR403-certificate-expiry.js';
import { rule as DAPR404 } from './DAPR404-trust-chain-broken.js';
import type { Rule } from './types.js';

export const pendingPemRules: Rule[] = [DAPR207, DAPR403, DAPR404];
