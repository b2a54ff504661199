// DAPR108 new-grant: with --base, every access the change grants, for review.
import { grantDiff } from '../engine/grant-diff.js';
import { component, daprAnnotations, deployment, docs } from './examples.js';
import { describeNamespace } from './helpers.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR108',
    name: 'new-grant',
    shortDescription: 'A change grants an app access to a component, subscription or HTTP endpoint it could not reach before.',
    fullDescription:
      'Only with `--base <git-ref>` (the Action\'s `base-ref`): compares the access matrix of the base revision, read from git objects, with the scanned tree, and reports each app → Component, Subscription or HTTPEndpoint grant that is new, at the scope entry that grants it, or at the resource\'s name when the grant comes from having no scopes. A note, so that reviewers see every widening of access in the pull request.',
    levels: { default: 'note' },
    securitySeverity: 2.0,
    tags: ['security', 'least-privilege', 'scopes', 'review'],
    precision: 'very-high',
    docs: {
      why: 'Access in Dapr widens quietly: one more app-id in a scope list, or a new component without scopes that every app of the namespace can load at once. Each is easy to miss in a diff of YAML, and each is exactly what a security review should see. This rule puts every new grant in front of the reviewer, with the line that causes it.',
      fix: 'Nothing to fix when the grant is intended: it is a note for review. When it is not, remove the scope entry, or add `scopes` to the new component.',
      incorrect: [
        {
          title: 'A change adds billing to the state store scopes',
          base: { 'prod/statestore.yaml': component('statestore', 'state.redis', { namespace: 'prod', tail: ['scopes:', '  - orders'] }), 'prod/apps.yaml': docs(deployment('orders', daprAnnotations('orders'), { namespace: 'prod' }), deployment('billing', daprAnnotations('billing'), { namespace: 'prod' })) },
          files: { 'prod/statestore.yaml': component('statestore', 'state.redis', { namespace: 'prod', tail: ['scopes:', '  - orders', '  - billing'] }), 'prod/apps.yaml': docs(deployment('orders', daprAnnotations('orders'), { namespace: 'prod' }), deployment('billing', daprAnnotations('billing'), { namespace: 'prod' })) },
        },
      ],
      correct: [
        {
          title: 'A change that narrows access adds no grant',
          base: { 'prod/statestore.yaml': component('statestore', 'state.redis', { namespace: 'prod', tail: ['scopes:', '  - orders', '  - billing'] }), 'prod/apps.yaml': docs(deployment('orders', daprAnnotations('orders'), { namespace: 'prod' }), deployment('billing', daprAnnotations('billing'), { namespace: 'prod' })) },
          files: { 'prod/statestore.yaml': component('statestore', 'state.redis', { namespace: 'prod', tail: ['scopes:', '  - orders'] }), 'prod/apps.yaml': docs(deployment('orders', daprAnnotations('orders'), { namespace: 'prod' }), deployment('billing', daprAnnotations('billing'), { namespace: 'prod' })) },
        },
      ],
      notes: [
        'Needs a base revision: `dapr-policy --base origin/main`, or the Action\'s `base-ref` input (e.g. `${{ github.event.pull_request.base.sha }}`). Without one the rule reports nothing.',
        'The base revision is read with `git ls-tree` and `git cat-file`: nothing is checked out and the working tree is not touched. It is judged with the current configuration.',
        '`dapr-policy matrix --base <ref>` lists the grants a change adds and removes.',
      ],
    },
  },
  check({ model, base, report }) {
    if (!base) return;
    for (const c of grantDiff(base, model)) {
      if (c.change !== 'added') continue;
      const inst = model.instancesIn(c.kind === 'Component' ? 'component' : c.kind === 'Subscription' ? 'subscription' : 'httpendpoint', c.namespace).find((i) => (i.resource.name ?? '') === c.name);
      const what = c.kind === 'Component' ? `load Component "${c.name}"${c.type ? ` (${c.type})` : ''}` : c.kind === 'Subscription' ? `receive the events of Subscription "${c.name}"` : `call HTTPEndpoint "${c.name}"`;
      const how = c.grantKind === 'explicit' ? 'this scope entry names it' : `"${c.name}" has no scopes, so every app there can`;
      report({
        message: `New access in this change: "${c.appId}" can now ${what} in ${describeNamespace(c.namespace)} (${how}).`,
        at: c.at,
        ...(inst ? { on: inst } : { environment: 'unclassified', namespace: c.namespace, resourceKey: `${c.kind}/${c.namespace}/${c.name}` }),
        path: `grant:${c.appId}`,
      });
    }
  },
};
