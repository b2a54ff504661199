// Rules being added in parallel; folded into index.ts when done.
import type { Rule } from './types.js';

export const pendingCredentialRules: Rule[] = [];
