// DAPR402 weak-mtls-settings: the control plane's workload certificate
// lifetime or clock skew is longer than Dapr's defaults, or does not parse.
import { installValue } from '../engine/extract/helm-values.js';
import type { NodeRef } from '../engine/resources.js';
import { scalarText } from '../engine/yaml.js';
import { isTemplated } from './app-references.js';
import { configuration } from './examples.js';
import { describeNanos, NANOS_PER_HOUR, NANOS_PER_MINUTE, parseGoDuration } from './go-duration.js';
import { configurationRole, controlPlaneNamespaces, helmMtlsReachesCluster, installReportBase, mtlsField, type PlacedInstall, SYSTEM_CONFIG_NAME } from './mtls-state.js';
import type { ReportInput, Rule } from './types.js';

interface Limit {
  field: 'workloadCertTTL' | 'allowedClockSkew';
  max: bigint;
  /** Why a longer value weakens mTLS. */
  risk: string;
}

const LIMITS: readonly Limit[] = [
  { field: 'workloadCertTTL', max: 24n * NANOS_PER_HOUR, risk: 'a stolen workload certificate keeps working that long, since Dapr does not revoke certificates' },
  { field: 'allowedClockSkew', max: 15n * NANOS_PER_MINUTE, risk: 'Sentry back-dates every certificate by this much, widening the window in which it is valid' },
];

/** A finding about one value, or undefined when the value is fine. */
function judgeDuration(limit: Limit, text: string): string | undefined {
  if (text.trim() === '' || isTemplated(text)) return undefined; // empty: Sentry uses its default; templated: unknown here
  const nanos = parseGoDuration(text);
  if (nanos === undefined) {
    return `is not a valid Go duration: Sentry cannot parse it and falls back to its built-in defaults for every ${SYSTEM_CONFIG_NAME} setting. Write it like "24h" or "1h30m" (units ns, us, ms, s, m, h)`;
  }
  if (nanos > limit.max) return `is longer than ${describeNanos(limit.max)} (Dapr's default): ${limit.risk}. Use ${describeNanos(limit.max)} or less`;
  return undefined;
}

interface Candidate {
  field: Limit['field'];
  text: string;
  at: NodeRef;
  /** As written in the file: `spec.mtls.workloadCertTTL`, `dapr.global.mtls.workloadCertTTL`. */
  path: string;
  where: string;
}

function installCandidates(install: PlacedInstall): Candidate[] {
  if (!helmMtlsReachesCluster(install)) return [];
  const out: Candidate[] = [];
  for (const { field } of LIMITS) {
    const v = installValue(install, `global.mtls.${field}`);
    if (v?.value !== undefined) out.push({ field, text: v.value, at: v, path: v.path, where: install.description });
  }
  return out;
}

function check(candidate: Candidate, base: Omit<ReportInput, 'message' | 'at' | 'path'>, report: (r: ReportInput) => void): void {
  const limit = LIMITS.find((l) => l.field === candidate.field);
  if (!limit) return;
  const problem = judgeDuration(limit, candidate.text);
  if (problem) report({ ...base, message: `${candidate.path} "${candidate.text}" in ${candidate.where} ${problem}.`, at: candidate.at, path: candidate.path });
}

export const rule: Rule = {
  meta: {
    id: 'DAPR402',
    name: 'weak-mtls-settings',
    shortDescription: 'The workload certificate lifetime or allowed clock skew of Dapr mTLS is longer than the defaults, or not a valid duration.',
    fullDescription:
      'In an authoritative mTLS source — the `daprsystem` Configuration of the control plane (see DAPR401 for which one that is) or the Dapr chart\'s Helm values `global.mtls.*` — reports `workloadCertTTL` longer than 24h, `allowedClockSkew` longer than 15m, or either one not a valid Go duration (`time.ParseDuration`: units ns, us, µs, ms, s, m, h, fractions, sums like `1h30m`). Points at the value.',
    levels: { default: 'warning' },
    securitySeverity: 4.0,
    tags: ['security', 'mtls', 'certificates'],
    precision: 'very-high',
    docs: {
      why: 'Dapr never revokes workload certificates; short lifetimes are what limits the damage of a leaked one. A long clock skew back-dates every certificate. And a value Sentry cannot parse is worse than a long one: Sentry then ignores the whole `daprsystem` configuration and runs on its defaults, including the trust domain and token validators you configured there.',
      fix: 'Keep `workloadCertTTL` at 24h or less and `allowedClockSkew` at 15m or less (or remove them: those are the defaults), written as Go durations such as `12h` or `90m`.',
      incorrect: [
        {
          files: {
            'production/dapr-system/daprsystem.yaml': configuration('daprsystem', 'dapr-system', [
              '  mtls:',
              '    enabled: true',
              '    workloadCertTTL: 720h',
              '    allowedClockSkew: 1 hour',
            ]),
          },
        },
      ],
      correct: [
        {
          files: {
            'charts/platform/Chart.yaml': 'apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n  - name: dapr\n    version: 1.16.0\n    repository: https://dapr.github.io/helm-charts\n',
            'charts/platform/values.yaml': 'dapr:\n  global:\n    mtls:\n      workloadCertTTL: 12h\n      allowedClockSkew: 5m\n',
          },
        },
      ],
      notes: [
        'App Configurations and self-hosted config files are not judged: Sentry reads these settings only from the `daprsystem` Configuration of its namespace (dapr/dapr pkg/sentry/config/config.go), which the Helm chart renders from `global.mtls.*`.',
        'On a parse error Sentry logs it and loads its default configuration (pkg/sentry/config/config.go `FromConfigName`), so every other `daprsystem` setting is lost too.',
        'Values built by Helm templates (`{{ }}`) or environment placeholders are not judged.',
      ],
    },
  },
  check({ model, config, report }) {
    const controlPlane = controlPlaneNamespaces(model, config);
    for (const inst of model.ofType('configuration')) {
      if (configurationRole(inst, controlPlane, config) !== 'system') continue;
      const { pdoc } = inst.resource;
      for (const { field } of LIMITS) {
        const node = mtlsField(inst, field);
        const text = scalarText(node, pdoc);
        if (text === undefined) continue;
        check({ field, text, at: { pdoc, node }, path: `spec.mtls.${field}`, where: `Configuration "${SYSTEM_CONFIG_NAME}"` }, { on: inst }, report);
      }
    }
    for (const install of model.daprInstalls) {
      for (const c of installCandidates(install)) check(c, installReportBase(install, config), report);
    }
  },
};
