// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR301 } from './DAPR301-sidecar-listens-publicly.js';
import { rule as DAPR302 } from './DAPR302-api-token-required.js';
import { rule as DAPR303 } from './DAPR303-app-token-without-api-token.js';
import { rule as DAPR310 } from './DAPR310-dapr-api-exposed.js';
import { rule as DAPR311 } from './DAPR311-host-network-sidecar.js';
import type { Rule } from './types.js';

export const pendingSidecarExposureRules: Rule[] = [DAPR301, DAPR302, DAPR303, DAPR310, DAPR311];
