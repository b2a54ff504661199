// DAPR401 mtls-disabled: mTLS between sidecars is turned off, by the source
// Dapr actually reads (the control plane's `daprsystem` Configuration or the
// Helm values that render it), or by a setting Dapr ignores, or by a
// self-hosted config file that never turns it on.
import type { Config } from '../engine/config-types.js';
import type { Model } from '../engine/model.js';
import type { NodeRef } from '../engine/resources.js';
import { asScalar } from '../engine/yaml.js';
import { describeApp, resourceAnchor } from './helpers.js';
import { configuration } from './examples.js';
import {
  clusterMtlsDisabled,
  CONTROL_PLANE_OPTION,
  type ConfigurationInstance,
  configurationRole,
  controlPlaneNamespaces,
  installReportBase,
  isFalseValue,
  type MtlsOffSource,
  mtlsField,
  selfHostedMtlsOn,
  selfHostedUsers,
  SYSTEM_CONFIG_NAME,
  valueText,
} from './mtls-state.js';
import type { LevelTable, ReportInput, Rule } from './types.js';

/** `spec.mtls.enabled: false` where Dapr does not read it: misleading, not dangerous. */
export const IGNORED_LEVELS: LevelTable = { default: 'warning' };
/** Self-hosted projects are mostly local development: worth knowing, rarely urgent. */
export const SELF_HOSTED_LEVELS: LevelTable = { default: 'note' };

const PATH = 'spec.mtls.enabled';

function mtlsConfiguration(name: string, namespace: string | undefined, mtls: string[]): string {
  return configuration(name, namespace, mtls.length ? ['  mtls:', ...mtls.map((l) => `    ${l}`)] : ['  tracing:', '    samplingRate: "1"']);
}

const ARGO_APP = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata:',
  '  name: dapr',
  '  namespace: argocd',
  'spec:',
  '  destination:',
  '    namespace: dapr-system',
  '  source:',
  '    repoURL: https://dapr.github.io/helm-charts',
  '    chart: dapr',
  '    targetRevision: 1.16.0',
  '    helm:',
  '      values: |',
  '        global:',
  '          mtls:',
  '            enabled: false',
  '',
].join('\n');

function systemMessage(source: MtlsOffSource): string {
  const what = source.value
    ? `${source.description} sets ${source.value.path}: ${source.value.value ?? 'false'}: the chart renders it into the "${SYSTEM_CONFIG_NAME}" Configuration, so`
    : `${source.description} sets spec.mtls.enabled: ${valueText(source.at.node, source.at.pdoc)}:`;
  return `${what} sidecars are injected without mTLS. Service-to-service traffic is then plaintext and unauthenticated, and access-control policies cannot tell callers apart. Remove the setting (mTLS is on by default) or set it to true.`;
}

function reportSystem(source: MtlsOffSource, config: Config, report: (r: ReportInput) => void): void {
  if (source.configuration) {
    report({ message: systemMessage(source), at: source.at, on: source.configuration, path: PATH });
    return;
  }
  const install = source.install;
  if (!install) return;
  report({
    message: systemMessage(source),
    at: source.at,
    ...installReportBase(install, config),
    path: source.value?.path ?? 'global.mtls.enabled',
  });
}

function ignoredMessage(inst: ConfigurationInstance, enabled: string, misplaced: boolean, controlPlane: ReadonlySet<string>): string {
  const name = inst.resource.name ?? '(unnamed)';
  const where = [...controlPlane].sort().map((n) => `"${n}"`).join(', ');
  if (misplaced) {
    return `Configuration "${name}" in namespace "${inst.namespace}" sets spec.mtls.enabled: ${enabled}, but Dapr reads "${SYSTEM_CONFIG_NAME}" only from the control-plane namespace (${where} here): this setting does nothing. If the control plane runs in "${inst.namespace}", add it to DAPR401's ${CONTROL_PLANE_OPTION} option; otherwise remove the setting.`;
  }
  return `Configuration "${name}" sets spec.mtls.enabled: ${enabled}, but Dapr reads spec.mtls only from the "${SYSTEM_CONFIG_NAME}" Configuration of the control plane: this does not turn mTLS off for the apps that use "${name}". Remove it; if you mean to disable mTLS, that is a cluster-wide decision made in "${SYSTEM_CONFIG_NAME}" or Helm global.mtls.enabled.`;
}

function selfHostedMessage(inst: ConfigurationInstance, enabled: unknown): string {
  const file = inst.resource.pdoc.file.path;
  const name = inst.resource.name ?? '(unnamed)';
  const scalar = asScalar(enabled, inst.resource.pdoc);
  let what = 'does not set spec.mtls.enabled: true';
  if (isFalseValue(enabled, inst.resource.pdoc)) what = 'sets spec.mtls.enabled: false';
  else if (scalar && typeof scalar.value === 'string') what = `sets spec.mtls.enabled to the string "${scalar.value}", which the Dapr CLI does not read as a boolean`;
  return `Self-hosted config file ${file} (Configuration "${name}") ${what}: in self-hosted mode mTLS is off unless the config file turns it on, so the CLI starts daprd without --enable-mtls and calls between these apps are plaintext and unauthenticated. Set spec.mtls.enabled: true (with a local Sentry) if the apps handle anything sensitive.`;
}

function reportSelfHosted(model: Model, inst: ConfigurationInstance, report: (r: ReportInput) => void): void {
  // Only the Dapr CLI (Multi-App Run) turns the file's spec.mtls into --enable-mtls; a compose daprd takes the flag itself.
  // A Configuration in a resources folder is no one's config file: daprd never reads it.
  const apps = selfHostedUsers(model, inst).filter((a) => a.app.source === 'multi-app-run');
  if (apps.length === 0) return;
  if (selfHostedMtlsOn(inst)) return;
  const enabled = mtlsField(inst, 'enabled');
  const at: NodeRef = enabled !== undefined && enabled !== null ? { pdoc: inst.resource.pdoc, node: enabled } : resourceAnchor(inst);
  report({
    message: selfHostedMessage(inst, enabled),
    at,
    on: inst,
    path: PATH,
    related: apps.map((a) => ({ at: a.app.anchor, label: `${describeApp(a)} loads this config file` })),
    levels: SELF_HOSTED_LEVELS,
    securitySeverity: 5.0,
  });
}

export const rule: Rule = {
  meta: {
    id: 'DAPR401',
    name: 'mtls-disabled',
    shortDescription: 'mTLS between Dapr sidecars is disabled, or a setting that looks like it disables mTLS is ignored.',
    fullDescription:
      'Reports `spec.mtls.enabled: false` in the control-plane Configuration (`daprsystem`), and Helm values of the Dapr chart that set `global.mtls.enabled: false` (a values file of a chart that is or depends on `dapr`, under the dependency name or alias in an umbrella chart; a Flux HelmRelease; an Argo CD Application, `helm.values` string, `valuesObject` or `parameters`). In any other Kubernetes Configuration, and in a `daprsystem` placed in a namespace that is not the control plane\'s, Dapr ignores the field: that is a warning in every environment. A self-hosted config file (a Multi-App Run app\'s `configFilePath` or `.dapr/config.yaml`) without `mtls.enabled: true` is a note in every environment, because self-hosted mTLS is off by default. Points at the `enabled` value, or the Configuration\'s `metadata.name` when it is missing.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 8.0,
    tags: ['security', 'mtls', 'zero-trust'],
    precision: 'very-high',
    docs: {
      why: 'mTLS encrypts and authenticates every call between sidecars. With it off, anyone on the pod network can read or forge service invocations and pub/sub deliveries, and the caller identity that access-control policies match on (the SPIFFE ID in the client certificate) no longer exists. A `mtls.enabled: false` in an app Configuration is a different problem: the author believes mTLS is off (or that turning it back on there matters) when Dapr never reads it.',
      fix: 'Remove `spec.mtls.enabled: false` from the `daprsystem` Configuration and `global.mtls.enabled: false` from the Helm values (mTLS is on by default), then restart the Dapr workloads: the injector decides at pod creation. Remove `spec.mtls` from app Configurations. For self-hosted projects, set `spec.mtls.enabled: true` in the config file and run Sentry locally.',
      incorrect: [
        {
          title: 'The control-plane Configuration turns mTLS off',
          files: { 'production/dapr-system/daprsystem.yaml': mtlsConfiguration(SYSTEM_CONFIG_NAME, 'dapr-system', ['enabled: false', 'workloadCertTTL: 24h', 'allowedClockSkew: 15m']) },
        },
        { title: 'Helm values of the Dapr chart, in an Argo CD Application', files: { 'clusters/prod/dapr.yaml': ARGO_APP } },
        {
          title: 'An app Configuration: Dapr ignores spec.mtls here (warning)',
          files: { 'apps/appconfig.yaml': mtlsConfiguration('appconfig', 'shop', ['enabled: false']) },
        },
      ],
      correct: [
        {
          files: {
            'production/dapr-system/daprsystem.yaml': mtlsConfiguration(SYSTEM_CONFIG_NAME, 'dapr-system', ['enabled: true', 'workloadCertTTL: 24h', 'allowedClockSkew: 15m']),
            'apps/appconfig.yaml': mtlsConfiguration('appconfig', 'shop', []),
          },
        },
      ],
      notes: [
        'Which Configuration is authoritative: the one named `daprsystem` in a control-plane namespace, which is `dapr-system`, any namespace the repository installs the Dapr chart into (Flux `targetNamespace`, Argo CD `destination.namespace`), and the namespaces in option `controlPlaneNamespaces`. A `daprsystem` whose namespace the repository does not state (no `metadata.namespace`, no kustomization `namespace`) counts too: `kubectl apply -n` or the GitOps tool decides, and the name shows the intent. A `daprsystem` in another stated namespace is ignored by Dapr and gets the warning.',
        'This follows dapr/dapr\'s source, not the older behaviour: the injector (pkg/injector/service/pod_patch.go, `mTLSEnabled(controlPlaneNamespace, …)`) and Sentry (pkg/sentry/config/config.go) read `daprsystem` from their own namespace; injectors before that listed every namespace and took the first `daprsystem`. dapr/dapr\'s e2e setup applies tests/config/ignore_daprsystem_config.yaml (a `daprsystem` in namespace `aa` with mTLS off) precisely to check that it is ignored.',
        'Variants: a setting Dapr ignores is a warning in every environment (security-severity 3.0); a self-hosted config file is a note in every environment (security-severity 5.0). A level set for DAPR401 in rules.config.json applies to all three.',
        'Helm values are not reported when `dapr_config.dapr_config_chart_included` is false: no `daprsystem` is rendered, and the injector falls back to mTLS on.',
        'A config file that only compose daprd services load is not judged: no CLI reads its `spec.mtls` for them, their own `--enable-mtls` flag decides (DAPR405 uses that flag).',
        'A boolean counts as false when written `false` (YAML 1.1 `off`/`no` included) or as the string "false" in any case: the CRD would reject the string, but the intent is clear. A self-hosted file counts as enabled only with a real boolean `true`: the Dapr CLI reads the file with a typed YAML decoder that fails on a quoted "true" and then omits `--enable-mtls` (dapr/cli pkg/standalone/run.go `mtlsEndpoint`).',
        'A Configuration that only sits in a self-hosted resources folder is not a config file (daprd loads components from there, not Configurations) and is not judged.',
      ],
    },
    options: [
      {
        name: CONTROL_PLANE_OPTION,
        description: 'Namespaces where the Dapr control plane runs, besides `dapr-system` and the namespaces the repository installs the Dapr chart into. Also used by DAPR402 and DAPR405.',
        schema: { type: 'array', items: { type: 'string' } },
        default: [],
      },
    ],
  },
  check({ model, config, report }) {
    for (const source of clusterMtlsDisabled(model, config)) reportSystem(source, config, report);
    const controlPlane = controlPlaneNamespaces(model, config);
    for (const inst of model.ofType('configuration')) {
      const role = configurationRole(inst, controlPlane, config);
      if (role === 'self-hosted') {
        reportSelfHosted(model, inst, report);
        continue;
      }
      if (role === 'system') continue; // reported above when it disables mTLS
      const enabled = mtlsField(inst, 'enabled');
      if (!isFalseValue(enabled, inst.resource.pdoc)) continue;
      report({
        message: ignoredMessage(inst, valueText(enabled, inst.resource.pdoc), role === 'misplaced-system', controlPlane),
        at: { pdoc: inst.resource.pdoc, node: enabled },
        on: inst,
        path: PATH,
        levels: IGNORED_LEVELS,
        securitySeverity: 3.0,
      });
    }
  },
};
