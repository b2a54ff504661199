// DAPR305 debug-endpoint-enabled: the sidecar runs an unauthenticated debugger (Delve) or profiler (pprof).
import type { AppInstance } from '../engine/model.js';
import { isTruthy } from '../knowledge/annotations.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApps, isTemplated, sets, settingPath, settingsByNode, type SharedSetting, showSetting } from './sidecar-setting-helpers.js';
import type { ReportInput, Rule } from './types.js';

/** What each switch opens, in one clause; the port comes from the app's own setting when it has one. */
function exposure(app: AppInstance, name: 'enable-debug' | 'enable-profiling'): string {
  if (name === 'enable-debug') {
    const port = app.app.settings.get('debug-port')?.value ?? '40000';
    return `the sidecar runs under a headless Delve debugger that listens on all interfaces (port ${port}) without authentication: anyone who can reach the pod can attach, take control of daprd and read its memory (its mTLS key, API token and component secrets)`;
  }
  // Only self-hosted sources can move the profile port; on Kubernetes it stays 7777.
  const port = (app.kubernetes ? undefined : app.app.settings.get('profile-port')?.value) ?? '7777';
  return `daprd serves Go pprof without authentication on port ${port}: anyone who can reach it can read daprd's command line, goroutine stacks and memory profiles, and start CPU profiles and execution traces that slow the sidecar down`;
}

function finding(app: AppInstance, shared: SharedSetting, name: 'enable-debug' | 'enable-profiling'): ReportInput {
  return {
    message: `${describeApps(shared.apps)} ${sets(shared.apps)} ${showSetting(shared.setting)}: ${exposure(app, name)}. Remove the setting; turn it on only for a short debugging session, outside production.`,
    at: shared.setting,
    on: app,
    path: settingPath(app.app, name),
  };
}

export const rule: Rule = {
  meta: {
    id: 'DAPR305',
    name: 'debug-endpoint-enabled',
    shortDescription: 'The Dapr sidecar runs an unauthenticated debugger or profiler.',
    fullDescription:
      'Reports `dapr.io/enable-debug` (the sidecar runs under a headless Delve debugger listening on all interfaces, port `dapr.io/debug-port`, default 40000) or `dapr.io/enable-profiling` (daprd serves pprof on its profile port, default 7777) set to a truthy value (`y`, `yes`, `true`, `t`, `on`, `1`). Self-hosted: Multi-App Run `enableProfiling: true`, or a compose daprd started with `--enable-profiling`. Neither endpoint has any authentication. Points at the value.',
    levels: { default: 'warning', production: 'error', nonProduction: 'note' },
    securitySeverity: 8.0,
    tags: ['security', 'hardening', 'sidecar'],
    precision: 'very-high',
    docs: {
      why: 'A Delve debugger attached to daprd gives whoever connects full control of the sidecar process: memory reads (its mTLS private key, the API token, every component secret), breakpoints, and code execution as the sidecar. pprof does not hand out memory contents, but it shows daprd\'s command line, goroutine stacks and allocation profiles to anyone who asks, and anyone can start CPU profiles and execution traces: reconnaissance and an easy denial of service.',
      fix: 'Remove `dapr.io/enable-debug` and `dapr.io/enable-profiling` (or set them to `"false"`). Profile a sidecar only for a short session, outside production, with the port reachable only through `kubectl port-forward`.',
      incorrect: [
        {
          files: {
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/enable-profiling: "true"']), { namespace: 'production' }),
          },
        },
        {
          title: 'Multi-App Run',
          files: {
            'dapr.yaml': ['version: 1', 'common:', '  enableProfiling: true', 'apps:', '  - appID: task-api', '    appDirPath: ./task-api', ''].join('\n'),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/enable-profiling: "false"']), { namespace: 'production' }),
          },
        },
      ],
      notes: [
        'With `dapr.io/enable-debug` the injector replaces the sidecar command with `/dlv --listen :<debug-port> --accept-multiclient --headless=true … exec /daprd` (dapr/dapr pkg/injector/patcher/sidecar_container.go): the listen address has no host, so Delve binds every interface of the pod.',
        'Values are read as daprd reads them (kitstrings.IsTruthy): `"on"` and `"1"` turn the endpoint on; `"enabled"` does not (DAPR005 reports such a value).',
      ],
    },
  },
  check({ model, report }) {
    for (const name of ['enable-debug', 'enable-profiling'] as const) {
      for (const shared of settingsByNode(model.apps, name)) {
        if (isTemplated(shared.setting.value) || !isTruthy(shared.setting.value)) continue;
        for (const app of shared.apps) report(finding(app, shared, name));
      }
    }
  },
};
