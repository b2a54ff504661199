// DAPR307 missing-app-id: a Dapr-enabled Kubernetes workload has no dapr.io/app-id, so its id is the pod name.
import type { AppInstance } from '../engine/model.js';
import { deployment } from './examples.js';
import { describeApp, missingAnnotationAnchor } from './helpers.js';
import { settingPath } from './sidecar-setting-helpers.js';
import type { Rule } from './types.js';

/** What the pod name (hence the app-id) will be, per workload kind, and what that breaks. */
function podNameFallback(app: AppInstance): string {
  const name = app.app.name;
  const unaddressable = 'so component scopes, access-control policies and service invocation cannot address it';
  switch (app.app.kind) {
    case 'Pod':
      return `the Pod's name "${name}", so its identity in scopes and access-control policies silently changes whenever the Pod is renamed`;
    case 'StatefulSet':
      return `each pod's name ("${name}-0", "${name}-1", …), one app-id per replica, ${unaddressable}`;
    default:
      return `each pod's generated name (such as "${name}-7d4b9c-x2x8q"), a different app-id for every replica and every rollout, ${unaddressable}`;
  }
}

export const rule: Rule = {
  meta: {
    id: 'DAPR307',
    name: 'missing-app-id',
    shortDescription: 'A Dapr-enabled Kubernetes workload has no dapr.io/app-id.',
    fullDescription:
      'Reports a Kubernetes workload whose pod template enables Dapr (`dapr.io/enabled` truthy) but sets no `dapr.io/app-id`, or sets it to an empty string. The sidecar injector then uses the pod name as the app-id, which for most workload kinds is generated and changes with every replica and rollout: component `scopes`, access-control policies and service invocation cannot address the app. Points at the pod template\'s `annotations` key. A Multi-App Run app without `appID` takes its folder name, which is predictable, and is not reported.',
    levels: { default: 'warning' },
    securitySeverity: 4.0,
    tags: ['security', 'identity', 'sidecar'],
    precision: 'very-high',
    docs: {
      why: 'The app-id is the app\'s Dapr identity: it is in its mTLS SPIFFE ID and is what component scopes, ACL policies, pub/sub topic scopes and service invocation match. A generated id matches none of them, so the app either cannot load its components or someone removes the scopes to make it work.',
      fix: 'Add `dapr.io/app-id` with a stable, DNS-1123 name (usually the workload name) and use that id in scopes and policies.',
      incorrect: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-port: "8080"']),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-id: task-api', 'dapr.io/app-port: "8080"']),
          },
        },
      ],
      notes: [
        'The injector falls back to the pod name when the annotation is missing or empty (`GetAppID` in dapr/dapr pkg/injector/patcher/sidecar_container.go), and the operator creates no `<app-id>-dapr` Service for such a Deployment.',
        'An empty `dapr.io/app-id: ""` is reported on its value; a missing one on the `annotations` key.',
      ],
    },
  },
  check({ model, report }) {
    for (const app of model.apps) {
      if (!app.app.enabled || app.app.source !== 'kubernetes') continue;
      const setting = app.app.settings.get('app-id');
      if (setting && setting.value !== '') continue; // GetAppID falls back only on an empty value
      const legacy = app.app.settings.get('id');
      const what = setting ? 'sets dapr.io/app-id to an empty string' : legacy ? 'has no dapr.io/app-id (dapr.io/id is the pre-1.0 name, which the injector ignores)' : 'has no dapr.io/app-id';
      const fix =
        legacy && legacy.value !== ''
          ? `Rename dapr.io/id to dapr.io/app-id (value "${legacy.value}")`
          : `${setting ? 'Set' : 'Add'} dapr.io/app-id: "${app.app.name}" (or another stable name)`;
      report({
        message: `${describeApp(app)} enables Dapr but ${what}: the injector uses ${podNameFallback(app)}. ${fix}.`,
        at: setting ?? missingAnnotationAnchor(app.app),
        on: app,
        path: settingPath(app.app, 'app-id'),
      });
    }
  },
};
