// Rules being added in parallel; folded into index.ts when done.
import { rule as DAPR304 } from './DAPR304-api-logging-disabled.js';
import { rule as DAPR305 } from './DAPR305-debug-endpoint-enabled.js';
import { rule as DAPR306 } from './DAPR306-debug-log-level.js';
import { rule as DAPR307 } from './DAPR307-missing-app-id.js';
import { rule as DAPR308 } from './DAPR308-duplicate-app-id.js';
import { rule as DAPR309 } from './DAPR309-configuration-not-found.js';
import { rule as DAPR312 } from './DAPR312-sidecar-image-override.js';
import { rule as DAPR313 } from './DAPR313-remote-app-channel.js';
import type { Rule } from './types.js';

export const pendingSidecarSettingsRules: Rule[] = [DAPR304, DAPR305, DAPR306, DAPR307, DAPR308, DAPR309, DAPR312, DAPR313];
