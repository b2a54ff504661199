// DAPR102 unknown-app-id: a Dapr resource grants or targets an app-id that no workload runs.
import type { AppInstance } from '../engine/model.js';
import type { NodeRef } from '../engine/resources.js';
import { appReferences } from './app-references.js';
import { component, daprAnnotations, deployment, redisMetadata } from './examples.js';
import { describe, describeApp, describeNamespace, nearest } from './helpers.js';
import type { Rule } from './types.js';

const WHAT: Record<string, string> = {
  scope: 'Scope entry',
  'acl-policy': 'Access-control policy',
  'resiliency-target': 'Resiliency target',
  'topic-scope': 'Topic scope',
};

export const rule: Rule = {
  meta: {
    id: 'DAPR102',
    name: 'unknown-app-id',
    shortDescription: 'A Dapr resource names an app-id that no workload runs in that namespace.',
    fullDescription:
      'Reports an app-id referenced by a Dapr resource that is run by no workload of the repository in the namespace where it must run: `scopes` of a Component, Subscription, Resiliency or HTTPEndpoint; `accessControl.policies[].appId` of a Configuration (judged in the policy\'s own `namespace`, the caller\'s); Resiliency `targets.apps` keys; pub/sub `publishingScopes`/`subscriptionScopes`. The message names the nearest app-id and any other namespace where the id runs, because scopes are namespace-local. Ids listed in config `knownAppIds` are accepted, and a namespace in which the repository deploys no Dapr app is not judged.',
    levels: { default: 'warning', production: 'error', nonProduction: 'warning' },
    securitySeverity: 5.0,
    tags: ['security', 'least-privilege', 'scopes'],
    precision: 'high',
    docs: {
      why: 'A typo in a scope fails closed for the intended app (it cannot load its state store) and, worse, someone "fixes" the outage by deleting `scopes`. A scope naming an app that moved to another namespace grants nothing where the author thinks it does. And an app-id that nothing runs today is a grant waiting for whoever deploys an app with that name.',
      fix: 'Correct the app-id, or remove the entry. If the app runs outside this repository, list it in `knownAppIds` in rules.config.json (`"name"` for every namespace, `"namespace/name"` for one).',
      incorrect: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes:', '  - task-apii'] }),
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api'), { namespace: 'production' }),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes:', '  - task-api', '  - partner-gateway'] }),
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api'), { namespace: 'production' }),
          },
          config: { knownAppIds: ['partner-gateway'] },
        },
      ],
      notes: ['App-ids built at run time (Helm `{{ }}`, `${VAR}`) are not judged.'],
    },
  },
  check({ model, report }) {
    for (const ref of appReferences(model)) {
      if (!model.namespacesWithApps.has(ref.namespace)) continue;
      if (model.isKnownAppId(ref.namespace, ref.appId)) continue;
      if (model.appsWithId(ref.namespace, ref.appId).length > 0) continue;
      const here = model.appIdsIn(ref.namespace);
      const suggestion = nearest(ref.appId, here);
      const elsewhere = [...new Set(model.apps.filter((a) => a.app.enabled && a.app.appId?.value === ref.appId && a.namespace !== ref.namespace).map((a) => a.namespace))].sort();
      let message = `${WHAT[ref.what]} "${ref.appId}" of ${describe(ref.inst)} names an app-id that no workload runs in ${describeNamespace(ref.namespace)}.`;
      if (suggestion) message += ` Did you mean "${suggestion}"?`;
      if (elsewhere.length) message += ` "${ref.appId}" runs in ${elsewhere.map(describeNamespace).join(', ')}; scopes and policies are namespace-local.`;
      // The workloads the message mentions are the other side of this cross-file finding (rules.md "Where a finding points").
      const related: Array<{ at: NodeRef; label: string }> = [];
      const runs = (a: AppInstance, id: string): { at: NodeRef; label: string } => ({ at: a.app.appId ?? a.app.anchor, label: `${describeApp(a)} runs "${id}" in ${describeNamespace(a.namespace)}` });
      const near = suggestion ? model.appsWithId(ref.namespace, suggestion)[0] : undefined;
      if (near && suggestion) related.push(runs(near, suggestion));
      for (const ns of elsewhere) {
        const other = model.appsWithId(ns, ref.appId)[0];
        if (other) related.push(runs(other, ref.appId));
      }
      report({ message, at: ref.at, on: ref.inst, path: ref.path, related });
    }
  },
};
