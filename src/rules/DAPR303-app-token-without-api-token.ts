// DAPR303 app-token-without-api-token: the app token protects calls from Dapr
// to the app (APP_API_TOKEN, sent by daprd); only the API token
// (DAPR_API_TOKEN) protects the Dapr API itself (dapr-security-facts.md §2).
// Setting the first alone, or wiring an API-token Secret into the wrong
// variable, leaves the API open while looking secured.
import type { AppInstance } from '../engine/model.js';
import type { NodeRef, Str } from '../engine/resources.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApp, missingAnnotationAnchor } from './helpers.js';
import { API_TOKEN_ENV, APP_TOKEN_ENV, type EnvFromSecretEntry, envFromSecretEntries, hasApiToken, isSet } from './sidecar-tokens.js';
import type { Rule } from './types.js';

const API_ANNOTATION = 'dapr.io/api-token-secret';
const APP_ANNOTATION = 'dapr.io/app-token-secret';

/**
 * A Secret name that reads as the Dapr API token (`dapr-api-token`,
 * `api_token`), not as an app token (`app-api-token`, the docs' name for
 * APP_API_TOKEN's Secret).
 */
export function looksLikeApiTokenSecret(name: string): boolean {
  const flat = name.toLowerCase().replace(/[-_.]/g, '');
  return flat.includes('apitoken') && !flat.includes('appapitoken');
}

function miswired(app: AppInstance): EnvFromSecretEntry[] {
  return envFromSecretEntries(app.app.settings.get('env-from-secret')).filter((e) => e.variable === APP_TOKEN_ENV && looksLikeApiTokenSecret(e.secret));
}

interface TokenFinding {
  message: string;
  at: NodeRef;
  path: string;
  related: Array<{ at: NodeRef; label: string }>;
}

function appTokenFinding(app: AppInstance): TokenFinding | undefined {
  const appToken = app.app.settings.get('app-token-secret');
  if (!isSet(appToken) || !appToken) return undefined;
  return {
    message:
      `${describeApp(app)} sets ${APP_ANNOTATION} but not ${API_ANNOTATION}: the app token only lets the app check calls coming from Dapr (daprd sends it as APP_API_TOKEN); ` +
      `the Dapr API itself still accepts calls without a token. Add ${API_ANNOTATION} naming a Secret with key "token" (a different one from "${appToken.value}").`,
    at: missingAnnotationAnchor(app.app),
    path: API_ANNOTATION,
    related: [{ at: { pdoc: appToken.pdoc, node: appToken.node }, label: `${APP_ANNOTATION} (Dapr → app direction only)` }],
  };
}

function miswiredFinding(app: AppInstance, entry: EnvFromSecretEntry): TokenFinding {
  return {
    message:
      `dapr.io/env-from-secret wires Secret "${entry.secret}", named like the Dapr API token, into ${APP_TOKEN_ENV}, the app token that daprd sends to the app; ` +
      `${describeApp(app)} sets no API token, so its Dapr API accepts calls without one. ` +
      `Use ${API_ANNOTATION}: "${entry.secret}" (key "token") for the API token, and keep ${APP_TOKEN_ENV} for a separate app token if the app checks one.`,
    at: entry.at,
    path: `dapr.io/env-from-secret[${APP_TOKEN_ENV}]`,
    related: [],
  };
}

function composeFinding(app: AppInstance, appToken: Str): TokenFinding {
  return {
    message:
      `${describeApp(app)} sets ${APP_TOKEN_ENV} but not ${API_TOKEN_ENV}: the app token only lets the app check calls coming from daprd; ` +
      `the Dapr API itself still accepts calls without a token. Also set ${API_TOKEN_ENV} (a different value, from an env_file or \${VAR}).`,
    at: app.app.anchor,
    path: `environment.${API_TOKEN_ENV}`,
    related: [{ at: { pdoc: appToken.pdoc, node: appToken.node }, label: `${APP_TOKEN_ENV} (daprd → app direction only)` }],
  };
}

/** Kubernetes and compose; Multi-App Run `env` reaches only the app process, not daprd. */
function findingsFor(app: AppInstance): TokenFinding[] {
  if (!app.app.enabled || hasApiToken(app)) return [];
  if (app.app.source === 'kubernetes') {
    const main = appTokenFinding(app);
    return [...(main ? [main] : []), ...miswired(app).map((e) => miswiredFinding(app, e))];
  }
  const appToken = app.app.source === 'compose' ? app.app.environment?.get(APP_TOKEN_ENV) : undefined;
  return appToken ? [composeFinding(app, appToken)] : [];
}

export const rule: Rule = {
  meta: {
    id: 'DAPR303',
    name: 'app-token-without-api-token',
    shortDescription: 'An app token is set but no API token: the Dapr API stays open.',
    fullDescription:
      'Reports a Dapr-enabled workload that sets `dapr.io/app-token-secret` but no API token (`dapr.io/api-token-secret`, or DAPR_API_TOKEN through `dapr.io/env-from-secret` / `dapr.io/env`): the app token only authenticates calls from Dapr to the app, and the Dapr API stays open. Also reports a Secret named like an API token (`dapr-api-token`) wired to APP_API_TOKEN through `dapr.io/env-from-secret` when no API token is set, pointing at that entry. Compose: a daprd service with APP_API_TOKEN but no DAPR_API_TOKEN in its `environment` (and no `env_file`).',
    levels: { default: 'warning' },
    securitySeverity: 6.0,
    tags: ['security', 'authentication', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'Both tokens travel in a header named `dapr-api-token`, so they are easy to mix up. `APP_API_TOKEN` is what daprd sends *to the app* so the app can reject callers that are not its sidecar. `DAPR_API_TOKEN` is what daprd *requires from callers* of its API. Setting only the first gives a reviewer the impression that the sidecar is protected when anyone who reaches the API can still use it.',
      fix: 'Set `dapr.io/api-token-secret` to a Secret with key `token` and give the app the same value in `DAPR_API_TOKEN`. Keep `dapr.io/app-token-secret` (a different Secret) if the app verifies calls from Dapr.',
      incorrect: [
        {
          title: 'Only the app token',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/app-token-secret: "task-api-app-token"'])) },
        },
        {
          title: 'The API token Secret wired into the app-token variable',
          files: { 'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/env-from-secret: "APP_API_TOKEN=dapr-api-token"'])) },
        },
      ],
      correct: [
        {
          title: 'Both tokens, from different Secrets',
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/api-token-secret: "task-api-dapr-token"', 'dapr.io/app-token-secret: "task-api-app-token"'])),
          },
        },
      ],
      notes: [
        'The "named like an API token" test: the Secret name, lower-cased without `-`, `_` and `.`, contains `apitoken` but not `appapitoken` (`dapr-api-token` matches; `app-api-token` does not).',
        '`dapr.io/env-from-secret` entries are `K=secret` or `K=secret:key`, comma-separated; without a key the injector uses the Secret\'s name as the key (dapr/dapr pkg/injector/patcher tests).',
        'When an API token is set, wiring the same Secret into APP_API_TOKEN too is not reported: the API is protected.',
        'Multi-App Run apps are not judged: the template\'s `env` reaches only the app process, and daprd inherits the shell\'s environment, which the repository does not show. Compose: an `env_file` counts as possibly setting DAPR_API_TOKEN (its contents are not read), so nothing is reported then.',
      ],
    },
  },
  check({ model, report }) {
    for (const app of model.apps) {
      for (const f of findingsFor(app)) report({ ...f, on: app });
    }
  },
};
