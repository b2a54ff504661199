// DAPR107 access-policy-drift: the repo's access matrix differs from the one declared in config accessPolicy.
import { compileGlob } from '../engine/glob.js';
import type { Instance } from '../engine/model.js';
import type { ResourceOf } from '../engine/resources.js';
import { component, daprAnnotations, deployment, docs, redisMetadata } from './examples.js';
import { describeNamespace, resourceAnchor } from './helpers.js';
import type { LevelTable, Rule } from './types.js';

const MISSING: LevelTable = { default: 'warning' };

export const rule: Rule = {
  meta: {
    id: 'DAPR107',
    name: 'access-policy-drift',
    shortDescription: 'A component grant differs from the access matrix declared in config accessPolicy.',
    fullDescription:
      'Compares the repository\'s access matrix (which app can load which component, per namespace) with `accessPolicy` in rules.config.json, whose keys are namespace globs mapping app-ids to the component names they may load. A grant the repository gives but the policy does not declare is an error: it points at the scope entry, or at the Component\'s name when the grant comes from having no scopes. A declared grant the repository does not give is a warning, at the Component\'s name, or at the policy entry in the config file when the component does not exist. Silent when no accessPolicy is configured.',
    levels: { default: 'error' },
    securitySeverity: 7.5,
    tags: ['security', 'least-privilege', 'scopes'],
    precision: 'very-high',
    docs: {
      why: 'Scopes drift: someone adds an app to a scope list to fix an outage, or a new unscoped component quietly grants every app. Declaring the intended matrix once and checking every change against it turns that drift into a reviewable diff.',
      fix: 'Either change the manifests to match the declared policy, or update `accessPolicy` when the new grant is intended. `dapr-policy matrix --format policy` prints the current matrix in that shape.',
      incorrect: [
        {
          files: {
            'production/app.yaml': docs(
              component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes: [task-api, reports]'] }),
              deployment('task-api', daprAnnotations('task-api'), { namespace: 'production' }),
              deployment('reports', daprAnnotations('reports'), { namespace: 'production' }),
            ),
          },
          config: { accessPolicy: { production: { 'task-api': ['statestore'] } } },
        },
      ],
      correct: [
        {
          files: {
            'production/app.yaml': docs(
              component('statestore', 'state.redis', { namespace: 'production', metadata: redisMetadata(), tail: ['scopes: [task-api]'] }),
              deployment('task-api', daprAnnotations('task-api'), { namespace: 'production' }),
              deployment('reports', daprAnnotations('reports'), { namespace: 'production' }),
            ),
          },
          config: { accessPolicy: { production: { 'task-api': ['statestore'] } } },
        },
      ],
      notes: ['A namespace that matches no key of accessPolicy is not checked. When several keys match, the first one wins.'],
    },
  },
  check({ model, config, report, locateConfig }) {
    const policy = config.accessPolicy;
    if (!policy) return;
    const keys = Object.keys(policy).map((k) => ({ key: k, match: compileGlob(k) }));
    for (const ns of model.accessMatrix()) {
      if (!ns.kubernetes) continue;
      const key = keys.find((k) => k.match(ns.namespace))?.key;
      if (key === undefined) continue;
      const declared = policy[key];
      const allowed = (app: string, comp: string): boolean => (declared[app] ?? []).includes(comp);
      const byName = new Map<string, Array<Instance<ResourceOf<'component'>>>>();
      for (const c of ns.components) {
        const list = byName.get(c.resource.name ?? '') ?? [];
        list.push(c);
        byName.set(c.resource.name ?? '', list);
      }
      // Undeclared grants: every explicit scope entry, and every app of the namespace for an unscoped component.
      for (const c of ns.components) {
        const name = c.resource.name ?? '';
        const scopes = c.resource.scopes?.items ?? [];
        if (scopes.length > 0) {
          scopes.forEach((s, i) => {
            if (allowed(s.value, name)) return;
            report({
              message: `Component "${name}" grants "${s.value}", which accessPolicy "${key}" does not declare for ${describeNamespace(ns.namespace)}.`,
              at: s,
              on: c,
              path: `scopes[${i}]`,
            });
          });
        } else {
          const extra = ns.appIds.filter((a) => !allowed(a, name));
          if (extra.length === 0) continue;
          report({
            message: `Component "${name}" has no scopes, so it grants ${extra.map((a) => `"${a}"`).join(', ')}, which accessPolicy "${key}" does not declare for ${describeNamespace(ns.namespace)}.`,
            at: resourceAnchor(c),
            on: c,
            path: 'scopes#unscoped',
          });
        }
      }
      // Missing grants: declared app → component that the manifests do not give.
      for (const [app, comps] of Object.entries(declared)) {
        comps.forEach((comp, i) => {
          const found = byName.get(comp);
          if (!found) {
            const at = locateConfig(['accessPolicy', key, app, i]);
            if (!at) return;
            report({
              message: `accessPolicy "${key}" declares "${app}" → "${comp}", but no Component "${comp}" exists in ${describeNamespace(ns.namespace)}.`,
              at,
              levels: MISSING,
              // A namespace with apps but no Component yet still has an environment: take it from the apps.
              environment: ns.components[0]?.environment ?? model.apps.find((a) => a.namespace === ns.namespace)?.environment ?? 'unclassified',
              namespace: ns.namespace,
              resourceKey: `accessPolicy/${key}`,
              path: `${ns.namespace}.${app}.${comp}`,
            });
            return;
          }
          for (const c of found) {
            const scopes = c.resource.scopes?.items ?? [];
            if (scopes.length === 0 || scopes.some((s) => s.value === app)) continue;
            report({
              message: `accessPolicy "${key}" declares "${app}" → "${comp}", but Component "${comp}" is not scoped to "${app}" in ${describeNamespace(ns.namespace)}.`,
              at: resourceAnchor(c),
              on: c,
              levels: MISSING,
              path: `scopes#missing:${app}`,
            });
          }
        });
      }
    }
  },
};
