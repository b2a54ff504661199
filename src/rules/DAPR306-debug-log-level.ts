// DAPR306 debug-log-level: a production sidecar logs at debug level.
import { daprAnnotations, deployment } from './examples.js';
import { describeApps, sets, settingPath, settingsByNode, showSetting, writeSetting } from './sidecar-setting-helpers.js';
import type { Rule } from './types.js';

/** dapr/kit logger toLogLevel lower-cases the value and does not trim it. */
function isDebug(value: string): boolean {
  return value.toLowerCase() === 'debug';
}

export const rule: Rule = {
  meta: {
    id: 'DAPR306',
    name: 'debug-log-level',
    shortDescription: 'A production sidecar logs at debug level.',
    fullDescription:
      'Reports `dapr.io/log-level: debug` (Multi-App Run `logLevel: debug`, daprd `--log-level debug`; any letter case, as daprd reads it) on a Dapr app. Off by default; a warning for production workloads. Points at the value.',
    levels: { default: 'off', production: 'warning', nonProduction: 'off' },
    securitySeverity: 2.0,
    tags: ['security', 'logging', 'sidecar'],
    precision: 'very-high',
    docs: {
      why: 'At debug level daprd logs request details, component initialisation and configuration it would otherwise keep quiet about; these logs end up in shared log stores with far wider access than the app itself. It also multiplies log volume and cost.',
      fix: 'Use `info` (the default: remove the annotation) or `warn` in production; raise the level temporarily when debugging.',
      incorrect: [
        {
          files: {
            'clusters/prod/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/log-level: debug'])),
          },
        },
      ],
      correct: [
        {
          files: {
            'clusters/prod/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/log-level: info'])),
          },
        },
      ],
      notes: ['A `log-level` outside debug/info/warn/error is DAPR005\'s finding.'],
    },
  },
  check({ model, report }) {
    for (const { setting, apps } of settingsByNode(model.apps, 'log-level')) {
      if (!isDebug(setting.value)) continue;
      const fix = writeSetting(apps[0].app, 'log-level', 'info');
      const message = `${describeApps(apps)} ${sets(apps)} ${showSetting(setting)}: the sidecar writes debug logs (request and component details) to wherever its logs are collected. Use ${fix ?? 'info'} or remove the setting (the default is info).`;
      for (const app of apps) report({ message, at: setting, on: app, path: settingPath(app.app, 'log-level') });
    }
  },
};
