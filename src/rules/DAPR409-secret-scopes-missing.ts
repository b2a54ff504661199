// DAPR409 secret-scopes-missing: a workload can read from a secret store and
// its Configuration does not restrict which secrets (`secrets.scopes`).
import type { AppInstance, Instance, Model } from '../engine/model.js';
import type { NodeRef, ResourceOf } from '../engine/resources.js';
import { child, childPath, scalarText, seqItems } from '../engine/yaml.js';
import { isTruthy } from '../knowledge/annotations.js';
import { isSecretStoreType } from '../knowledge/component-types.js';
import { isTemplated } from './app-references.js';
import { component, configuration, daprAnnotations, deployment, docs } from './examples.js';
import { describe, describeApp, missingAnnotationAnchor, quoteList, resourceAnchor } from './helpers.js';
import type { ConfigurationInstance } from './mtls-state.js';
import type { Rule } from './types.js';

/** The secret store daprd adds in Kubernetes unless `dapr.io/disable-builtin-k8s-secret-store` is truthy. */
export const BUILTIN_STORE = 'kubernetes';

type ComponentInstance = Instance<ResourceOf<'component'>>;

/** Stores named in a message, and related locations: beyond this, lists hide the point. */
const MAX_LISTED = 5;
const MAX_RELATED = 10;

interface Store {
  name: string;
  /** Undefined for the built-in `kubernetes` store. */
  component?: ComponentInstance;
}

function underAny(file: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => d === '' || file.startsWith(d + '/'));
}

/** Whether the app loads the component: a self-hosted app reads only its own resources folders; then scopes decide. */
function loads(app: AppInstance, c: ComponentInstance): boolean {
  if (!app.kubernetes && !underAny(c.resource.pdoc.file.path, app.app.resourcesPaths ?? [])) return false;
  const scopes = c.resource.scopes?.items ?? [];
  if (scopes.length === 0) return true; // no scopes (or misplaced ones, which Dapr ignores): every app
  const id = app.app.appId?.value;
  return id !== undefined && scopes.some((s) => s.value === id);
}

export function secretStoresOf(model: Model, app: AppInstance): Store[] {
  const stores = new Map<string, Store>();
  for (const c of model.components(app.namespace)) {
    const name = c.resource.name;
    if (!name || isTemplated(name) || !isSecretStoreType(c.resource.canonicalType) || !loads(app, c)) continue;
    if (!stores.has(name)) stores.set(name, { name, component: c });
  }
  const disabled = isTruthy(app.app.settings.get('disable-builtin-k8s-secret-store')?.value);
  if (app.kubernetes && !disabled && !stores.has(BUILTIN_STORE)) stores.set(BUILTIN_STORE, { name: BUILTIN_STORE });
  return [...stores.values()];
}

/** Stores a Configuration restricts: a `secrets.scopes` entry with `defaultAccess: deny` or a non-empty `allowedSecrets`. */
export function restrictedStores(inst: ConfigurationInstance): Set<string> {
  const { pdoc, root } = inst.resource;
  const out = new Set<string>();
  for (const scope of seqItems(childPath(root, ['spec', 'secrets', 'scopes'], pdoc), pdoc)) {
    const store = scalarText(child(scope, 'storeName', pdoc), pdoc);
    if (!store) continue;
    const deny = scalarText(child(scope, 'defaultAccess', pdoc), pdoc)?.toLowerCase() === 'deny';
    const allowList = seqItems(child(scope, 'allowedSecrets', pdoc), pdoc).length > 0;
    if (deny || allowList) out.add(store);
  }
  return out;
}

/** The app's Configurations, or undefined when it names one the repository does not hold (nothing to judge). */
function configurationsOf(model: Model, app: AppInstance): ConfigurationInstance[] | undefined {
  const configs = model.configurationsFor(app);
  const named = app.kubernetes ? app.app.settings.get('config')?.value : app.app.configFile?.value;
  if (named && configs.length === 0) return undefined;
  return configs;
}

function where(app: AppInstance): NodeRef {
  return app.app.settings.get('config') ?? missingAnnotationAnchor(app.app);
}

/** Why nothing restricts the stores when the app has no Configuration. */
function noConfiguration(app: AppInstance, them: string): string {
  if (app.kubernetes) return `it has no Configuration (no dapr.io/config), so nothing restricts ${them}`;
  if (app.app.source === 'compose') return `its daprd has no --config, so nothing restricts ${them}`;
  return 'it names no config file, so the Dapr CLI gives daprd ~/.dapr/config.yaml, which dapr init writes without secrets.scopes';
}

function messageOf(app: AppInstance, open: Store[], configs: ConfigurationInstance[]): string {
  const one = open.length === 1;
  const shown = open.slice(0, MAX_LISTED).map((s) => s.name);
  const names = quoteList(shown) + (open.length > MAX_LISTED ? ` and ${open.length - MAX_LISTED} more` : '');
  const builtin = open.some((s) => !s.component);
  const note = builtin && shown.includes(BUILTIN_STORE) ? ` (${BUILTIN_STORE} is the built-in store)` : '';
  const whose = configs.length
    ? `its Configuration ${configs.map((c) => `"${c.resource.name ?? ''}"`).join(', ')} has no secrets.scopes entry with defaultAccess: deny or allowedSecrets for ${one ? 'it' : 'them'}`
    : noConfiguration(app, one ? 'it' : 'them');
  const fix = builtin ? ' (or set dapr.io/disable-builtin-k8s-secret-store: "true" if the app does not need the built-in kubernetes store)' : '';
  return `${describeApp(app)} can use secret store${one ? '' : 's'} ${names}${note} and ${whose}: through the Secrets API it can read every secret the store${one ? '' : 's'} can reach. Add spec.secrets.scopes entries with defaultAccess: deny and allowedSecrets listing what the app needs${fix}.`;
}

export const rule: Rule = {
  meta: {
    id: 'DAPR409',
    name: 'secret-scopes-missing',
    shortDescription: 'A production workload can read a secret store and its Configuration does not restrict which secrets (secrets.scopes).',
    fullDescription:
      'Reports a Dapr workload that can use a secret store — a `secretstores.*` Component it is scoped into (or an unscoped one in its namespace), or the built-in `kubernetes` store unless `dapr.io/disable-builtin-k8s-secret-store` is truthy — while its Configuration (no Configuration at all counts) has no `spec.secrets.scopes` entry for that store with `defaultAccess: deny` or a non-empty `allowedSecrets`. Production only by default. Points at the workload\'s `dapr.io/config` value, else at its pod template\'s `annotations` key (or its name); the stores and the Configuration are related locations.',
    levels: { default: 'off', production: 'warning', nonProduction: 'off' },
    securitySeverity: 5.0,
    tags: ['security', 'least-privilege', 'secrets'],
    precision: 'high',
    docs: {
      why: 'Component scopes decide which apps may use a secret store; `secrets.scopes` decides which secrets an app may read from it through the Secrets API. Without it, an app that needs one database password can read every secret the store (or, for the built-in store, daprd\'s service account) can reach.',
      fix: 'In the app\'s Configuration add `spec.secrets.scopes`: one entry per store, `storeName`, `defaultAccess: deny` and `allowedSecrets` with the keys the app reads. Set `dapr.io/disable-builtin-k8s-secret-store: "true"` on apps that never read Kubernetes Secrets through Dapr.',
      incorrect: [
        {
          files: {
            'production/orders.yaml': deployment('orders', daprAnnotations('orders'), { namespace: 'production' }),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/orders.yaml': deployment('orders', daprAnnotations('orders', ['dapr.io/config: "orders-config"']), { namespace: 'production' }),
            'production/config.yaml': docs(
              configuration('orders-config', 'production', [
                '  secrets:',
                '    scopes:',
                '      - storeName: kubernetes',
                '        defaultAccess: deny',
                '        allowedSecrets: ["orders-db"]',
                '      - storeName: vault',
                '        defaultAccess: deny',
              ]),
              component('vault', 'secretstores.hashicorp.vault', { namespace: 'production', metadata: ['- name: vaultAddr', '  value: https://vault:8200'], tail: ['scopes:', '  - orders'] }),
            ),
          },
        },
      ],
      notes: [
        'Secret scopes apply to the Secrets API only (GetSecret/GetBulkSecret), not to `secretKeyRef` resolution in components (dapr/dapr pkg/api/universal/secrets.go).',
        'Per dapr/dapr pkg/config/configuration.go `IsSecretAllowed`, a store counts as restricted when its entry has a non-empty `allowedSecrets` (only those keys are readable) or `defaultAccess: deny` (any case). An entry with only `deniedSecrets` blocks what it lists and allows the rest, so it does not count.',
        'A workload whose `dapr.io/config` names a Configuration the repository does not hold is not judged (DAPR309 reports that). A self-hosted app reads components only from its own resources folders; one without a config file uses ~/.dapr/config.yaml, which `dapr init` writes without `secrets` and counts as no Configuration.',
      ],
    },
  },
  check({ model, report }) {
    for (const app of model.apps) {
      if (!app.app.enabled) continue;
      const configs = configurationsOf(model, app);
      if (!configs) continue;
      const restricted = new Set(configs.flatMap((c) => [...restrictedStores(c)]));
      const open = secretStoresOf(model, app).filter((s) => !restricted.has(s.name));
      if (open.length === 0) continue;
      const related = [
        ...configs.map((c) => ({ at: resourceAnchor(c), label: `${describe(c)}, the app's Configuration` })),
        ...open.flatMap((s) => (s.component ? [{ at: resourceAnchor(s.component), label: `${describe(s.component)}, a secret store the app can use` }] : [])),
      ].slice(0, MAX_RELATED);
      report({ message: messageOf(app, open, configs), at: where(app), on: app, path: 'secrets.scopes', related });
    }
  },
};
