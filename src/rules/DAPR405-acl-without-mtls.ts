// DAPR405 acl-without-mtls: per-app access-control policies while mTLS is
// off. The caller's identity is the SPIFFE ID of its mTLS client
// certificate; without one, daprd applies only the global defaultAction.
import type { Model } from '../engine/model.js';
import type { NodeRef } from '../engine/resources.js';
import { accessControlKey, accessControlOf, describeDefault, effectiveDefault } from './access-control.js';
import { configuration } from './examples.js';
import { describe, describeApp } from './helpers.js';
import { appliesTo, clusterMtlsDisabled, type ConfigurationInstance, type MtlsOffSource, selfHostedAppMtlsOn, selfHostedUsers } from './mtls-state.js';
import type { Rule } from './types.js';

const SYSTEM_OFF = configuration('daprsystem', 'dapr-system', ['  mtls:', '    enabled: false']);

/** An app Configuration with one per-app policy. */
function appConfig(): string {
  return configuration('orders-config', 'shop', [
    '  accessControl:',
    '    defaultAction: deny',
    '    trustDomain: public',
    '    policies:',
    '      - appId: checkout',
    '        defaultAction: allow',
    '        namespace: shop',
    '        trustDomain: public',
  ]);
}

interface Reason {
  /** What disables mTLS for this Configuration, for the message. */
  what: string;
  related: Array<{ at: NodeRef; label: string }>;
}

function clusterReason(inst: ConfigurationInstance, sources: MtlsOffSource[]): Reason | undefined {
  const applicable = sources.filter((s) => appliesTo(s, inst));
  if (applicable.length === 0) return undefined;
  const named = applicable.map((s) => (s.description.includes(s.file) ? s.description : `${s.description} (${s.file})`));
  return {
    what: `mTLS is disabled for the cluster by ${named.join(' and ')}`,
    related: applicable.map((s) => ({ at: s.at, label: `mTLS is disabled here: ${s.description}` })),
  };
}

function selfHostedReason(model: Model, inst: ConfigurationInstance): Reason | undefined {
  // Self-hosted, each daprd decides for itself: from this file's spec.mtls (Multi-App Run) or its own --enable-mtls flag (compose).
  const plain = selfHostedUsers(model, inst).filter((a) => !selfHostedAppMtlsOn(a, inst));
  if (plain.length === 0) return undefined;
  return {
    what: `${plain.map(describeApp).join(', ')} load${plain.length === 1 ? 's' : ''} it without mTLS (self-hosted mTLS is off unless the config file of a Multi-App Run app sets spec.mtls.enabled: true, or a compose daprd passes --enable-mtls)`,
    related: plain.map((a) => ({ at: a.app.anchor, label: `${describeApp(a)} runs without mTLS` })),
  };
}

function policyCount(inst: ConfigurationInstance): number {
  return accessControlOf(inst)?.policies.length ?? 0;
}

export const rule: Rule = {
  meta: {
    id: 'DAPR405',
    name: 'acl-without-mtls',
    shortDescription: 'A Configuration defines access-control policies while mTLS is disabled, so the per-app policies never apply.',
    fullDescription:
      'Reports a Configuration whose `spec.accessControl.policies` is not empty while mTLS is disabled for the cluster by an authoritative source (what DAPR401 reports at its own levels: the control plane\'s `daprsystem` Configuration, or the Dapr chart\'s `global.mtls.enabled: false`) of the same environment — or, for a self-hosted config file, while a daprd that loads it runs without mTLS (a Multi-App Run app whose config file does not set `spec.mtls.enabled: true`, a compose daprd without `--enable-mtls`). Caller identity comes from the mTLS certificate, so every call falls to the global `defaultAction`. Points at the `accessControl` key; the mTLS source is a related location.',
    levels: { default: 'warning', production: 'error' },
    securitySeverity: 6.0,
    tags: ['security', 'mtls', 'access-control'],
    precision: 'high',
    docs: {
      why: 'Service-invocation policies match the caller\'s app-id, namespace and trust domain, which daprd reads from the SPIFFE ID in the caller\'s mTLS client certificate (dapr/dapr pkg/acl/acl.go). With mTLS off there is no certificate: every caller is anonymous, the per-app policies never match, and only the global `defaultAction` applies. The Configuration reads like fine-grained authorization and enforces none.',
      fix: 'Re-enable mTLS (remove `mtls.enabled: false` from `daprsystem` / `global.mtls.enabled: false` from the Helm values). If mTLS must stay off, do not rely on the policies: keep `defaultAction: deny` and protect the apps another way.',
      incorrect: [{ files: { 'production/dapr-system/daprsystem.yaml': SYSTEM_OFF, 'production/shop/orders-config.yaml': appConfig() } }],
      correct: [{ files: { 'production/shop/orders-config.yaml': appConfig() } }],
      notes: [
        'An mTLS source counts for Configurations of its own environment; an unclassified source or Configuration matches every environment (a development cluster\'s Helm values do not condemn production).',
        'Self-hosted, each daprd is its own mTLS source: the Dapr CLI passes `--enable-mtls` only when the app\'s config file sets `spec.mtls.enabled: true` (dapr/cli pkg/standalone/run.go `getArgs`), and a compose daprd needs the flag in its command. The catalog names only cluster-wide sources; the self-hosted case follows from the same facts.',
        'An `accessControl` with only a `defaultAction` (no policies) is not reported: it applies to every caller, identified or not.',
      ],
    },
  },
  check({ model, config, report }) {
    const sources = clusterMtlsDisabled(model, config);
    for (const inst of model.ofType('configuration')) {
      const count = policyCount(inst);
      if (count === 0) continue;
      const reason = inst.kubernetes ? clusterReason(inst, sources) : selfHostedReason(model, inst);
      if (!reason) continue;
      const view = accessControlOf(inst);
      if (!view) continue;
      const fallback = describeDefault(effectiveDefault(view));
      report({
        message: `${describe(inst)} defines ${count} access-control ${count === 1 ? 'policy' : 'policies'}, but ${reason.what}: without a client certificate no caller has an identity, so none of the policies can match and every call gets the global default action (${fallback}). Re-enable mTLS, or do not rely on these policies.`,
        at: accessControlKey(view),
        on: inst,
        path: 'spec.accessControl',
        related: reason.related,
      });
    }
  },
};
