// DAPR202 empty-credential: a Component's login credential is present but
// empty (`redisPassword: ""`), so the component connects without
// authentication. Only fields whose emptiness means "no auth" count
// (knowledge/credentials.ts `emptyDisablesAuth`): an empty `azureClientSecret`
// selects managed identity instead, an empty `sessionToken` is optional.
import type { Instance } from '../engine/model.js';
import type { ResourceOf } from '../engine/resources.js';
import { assessCredentialValue } from '../knowledge/credentials.js';
import { component } from './examples.js';
import { type ComponentSetting, componentSettings, pointAt } from './metadata-slots.js';
import type { Rule, RuleContext } from './types.js';

type ComponentInstance = Instance<ResourceOf<'component'>>;

/**
 * The value daprd passes for an item: its `value:` text, or "" for an item
 * with a name only. Undefined for items set by reference (their content is
 * unknown here) or holding a structure.
 */
function effectiveText(s: ComponentSetting): string | null | undefined {
  if (s.item.secretKeyRef || s.item.envRef) return undefined;
  if (s.slot) return s.slot.text;
  return s.item.valuePair === undefined ? '' : undefined;
}

function checkSetting(ctx: RuleContext, inst: ComponentInstance, s: ComponentSetting): void {
  const c = inst.resource;
  const text = effectiveText(s);
  if (text === undefined) return;
  const assessment = assessCredentialValue(c.canonicalType, s.item.name, text);
  if (assessment.field === undefined || !assessment.findings.some((f) => f.rule === 'empty-credential')) return;
  const type = c.specType?.value ?? 'the component';
  const how = s.item.valuePair === undefined ? 'has no value' : 'is empty';
  ctx.report({
    message: `Component "${c.name ?? '(unnamed)'}"${c.specType ? ` (${type})` : ''}: metadata item "${s.item.name}" ${how}, so ${type} connects without a credential (${assessment.field.description}, and an empty value means no authentication). The server then accepts anyone who can reach it. Turn authentication on in the server and set the credential with secretKeyRef or envRef.`,
    // A name-only item has no value to point at: its name is the place to fix.
    at: s.slot ? pointAt(s.slot) : { pdoc: c.pdoc, node: s.item.nameNode },
    on: inst,
    path: `${s.path}.value`,
  });
}

export const rule: Rule = {
  meta: {
    id: 'DAPR202',
    name: 'empty-credential',
    shortDescription: 'A Component credential field is present but empty: the component connects without authentication.',
    fullDescription:
      'Reports a Component `spec.metadata` item for a login credential — a password or a sole authentication token such as `redisPassword`, `saslPassword`, `password`, `authToken`, Consul `aclToken` — whose `value:` is empty, blank or missing (`value: ""`, `value:` with nothing after it, or a name without a value). The component then connects with no credential, so the server must accept unauthenticated clients. Fields whose empty value selects another authentication method (`azureClientSecret` → managed identity, AWS `accessKey` → the default credential chain) or is optional (`sessionToken`, `privateKeyPassphrase`) are not reported; nor are items set with `secretKeyRef` or `envRef`. Field names follow the per-type catalog (aliases such as `state.postgres` resolved), else the name heuristic for passwords (`…password`, `…passwd`).',
    levels: { default: 'warning', production: 'error', nonProduction: 'off' },
    securitySeverity: 6.0,
    tags: ['security', 'secrets', 'authentication', 'components'],
    precision: 'high',
    docs: {
      why: 'An empty password is not a placeholder: daprd passes "" to the component, which connects without AUTH. That only works against a server that accepts anyone, so whoever can reach the Redis, broker or database can read and change the application\'s data, bypassing Dapr and its scopes. It is the default of `dapr init` on a laptop and a finding anywhere else.',
      fix: 'Turn authentication on in the server and give the component its credential with `secretKeyRef` (or `envRef`). If the item was left empty by mistake, remove it or fill it from a secret.',
      incorrect: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: ['- name: redisHost', '  value: redis-master.production:6379', '- name: redisPassword', '  value: ""'],
              tail: ['scopes:', '  - task-api'],
            }),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/statestore.yaml': component('statestore', 'state.redis', {
              namespace: 'production',
              metadata: ['- name: redisHost', '  value: redis-master.production:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'],
              tail: ['scopes:', '  - task-api'],
            }),
            'production/secretstore.yaml': component('azure-keyvault', 'secretstores.azure.keyvault', {
              namespace: 'production',
              metadata: ['- name: vaultName', '  value: prod-vault', '- name: azureClientSecret', '  value: ""'],
              tail: ['scopes:', '  - task-api'],
            }),
          },
        },
      ],
      notes: [
        'Off outside production: an empty password is the normal state of a local development Redis.',
        'Which fields count is decided per component type (components-contrib metadata): an empty `vaultToken` makes the Vault store fail to start rather than run unauthenticated, so it is not reported.',
        'An item with a name and no `value` at all is read as empty by daprd too, and is reported at its name.',
      ],
    },
  },
  check(ctx) {
    for (const inst of ctx.model.ofType('component')) {
      for (const s of componentSettings(inst.resource)) checkSetting(ctx, inst, s);
    }
  },
};
