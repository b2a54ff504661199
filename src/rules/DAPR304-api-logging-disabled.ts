// DAPR304 api-logging-disabled: a production sidecar keeps no log of the calls made to its Dapr API.
import path from 'node:path';
import type { AppInstance, Instance, Model } from '../engine/model.js';
import type { NodeRef, ResourceOf } from '../engine/resources.js';
import { childPath, keyString, scalarText } from '../engine/yaml.js';
import { isTruthy } from '../knowledge/annotations.js';
import { renameTarget } from './DAPR004-unknown-dapr-annotation.js';
import { configuration, daprAnnotations, deployment, docs } from './examples.js';
import { addToMapFix, annotationsMap, lineAfterPair } from './fix-helpers.js';
import { describeApp, missingAnnotationAnchor, resourceAnchor } from './helpers.js';
import { describeApps, enabledApps, isTemplated, sets, settingName, settingPath, settingsByNode, type SharedSetting, showSetting, writeSetting } from './sidecar-setting-helpers.js';
import type { Fix, ReportInput, Rule } from './types.js';

const API_LOGGING = 'dapr.io/enable-api-logging';

/**
 * `--fix` for a Kubernetes workload without the annotation: add
 * `dapr.io/enable-api-logging: "true"` to its pod template's own annotations
 * map, on a new line after its last one-line `dapr.io/` annotation, at that
 * key's indentation (a flow map gets a new entry before its `}`). A Dapr-enabled
 * workload always has that map (it holds `dapr.io/enabled`); when it comes
 * from an alias or merge key, or a misspelling of the key is there (DAPR004's
 * fix renames it), nothing is fixed.
 */
function addAnnotationFix(app: AppInstance): Fix | undefined {
  const pod = app.app.pod;
  const map = annotationsMap(pod);
  if (app.app.source !== 'kubernetes' || !pod || !map || !app.app.resource) return undefined;
  if ([...pod.annotations.keys()].some((k) => k === API_LOGGING || renameTarget(k) === API_LOGGING)) return undefined;
  const pdoc = app.app.resource.pdoc;
  const written = `${API_LOGGING}: "true"`;
  // The last dapr.io annotation that a line can follow (a `|` block value cannot be followed inside its block).
  const anchor = [...map.items].reverse().find((p) => keyString(p)?.startsWith('dapr.io/') && lineAfterPair(pdoc, p, written) !== undefined);
  return addToMapFix(pdoc, map, anchor, API_LOGGING, 'true', written, `Add ${written} to the pod template's annotations`);
}

type ConfigurationInstance = Instance<ResourceOf<'configuration'>>;

/** `spec.logging.apiLogging.enabled` as the CRD reads it (a boolean). */
function apiLoggingNode(c: ConfigurationInstance): unknown {
  return childPath(c.resource.spec, ['logging', 'apiLogging', 'enabled'], c.resource.pdoc) ?? undefined;
}

function enablesApiLogging(c: ConfigurationInstance): boolean {
  return scalarText(apiLoggingNode(c), c.resource.pdoc)?.toLowerCase() === 'true';
}

function configLabel(c: ConfigurationInstance, app: AppInstance): string {
  return app.kubernetes ? `Configuration "${c.resource.name ?? '(unnamed)'}"` : `config file ${c.resource.pdoc.file.path}`;
}

function relatedConfigs(configs: ConfigurationInstance[]): Array<{ at: NodeRef; label: string }> {
  return configs.map((c) => {
    const node = apiLoggingNode(c);
    return node
      ? { at: { pdoc: c.resource.pdoc, node }, label: 'API logging setting of the Configuration this sidecar loads' }
      : { at: resourceAnchor(c), label: 'the Configuration this sidecar loads (no spec.logging.apiLogging)' };
  });
}

function folderSegments(file: string): string[] {
  const dir = path.posix.dirname(file);
  return dir === '.' ? [] : dir.split('/');
}

function sharedFolders(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Of several same-named Configurations in the namespace (copies for different
 * clusters kept side by side), the ones nearest the app's manifest in the tree
 * are the ones deployed with it.
 */
function nearestToApp(app: AppInstance, configs: ConfigurationInstance[]): ConfigurationInstance[] {
  if (configs.length < 2) return configs;
  const here = folderSegments(app.app.anchor.pdoc.file.path);
  const scores = configs.map((c) => sharedFolders(here, folderSegments(c.resource.pdoc.file.path)));
  const best = Math.max(...scores);
  return configs.filter((_, i) => scores[i] === best);
}

/** The Configurations the sidecar loads, or undefined when the repository cannot tell (named but not found, templated). */
function loadedConfigurations(model: Model, app: AppInstance): ConfigurationInstance[] | undefined {
  const named = app.app.settings.get('config')?.value;
  if (named !== undefined && isTemplated(named)) return undefined;
  const configs = model.configurationsFor(app);
  if ((named || app.app.configFile) && configs.length === 0) return undefined; // managed outside the repository, or DAPR309's finding
  return nearestToApp(app, configs);
}

function explicitOff(app: AppInstance, { setting, apps }: SharedSetting, configs: ConfigurationInstance[] | undefined): ReportInput {
  const enabling = (configs ?? []).filter(enablesApiLogging);
  const overrides = enabling.length > 0 ? ` and overrides ${configLabel(enabling[0], app)}, which enables it` : '';
  const fix = writeSetting(app.app, 'enable-api-logging', 'true');
  const forWhom = sets(apps) === 'sets' ? ' for this sidecar' : '';
  return {
    message: `${describeApps(apps)} ${sets(apps)} ${showSetting(setting)}, which turns Dapr API logging off${forWhom}${overrides}: calls to its Dapr API leave no audit trail. ${fix ? `Change it to ${fix}` : 'Turn it on'}, or remove the setting and enable spec.logging.apiLogging in its Configuration.`,
    at: setting,
    on: app,
    path: settingPath(app.app, 'enable-api-logging'),
    related: relatedConfigs(enabling),
  };
}

function whyNoConfig(app: AppInstance): string {
  if (app.app.source === 'kubernetes') return 'it loads no Configuration (no dapr.io/config)';
  if (app.app.source === 'multi-app-run') return 'it names no config file (dapr run then loads ~/.dapr/config.yaml, which dapr init writes without API logging)';
  return 'its daprd has no --config (it then runs with the default configuration, where API logging is off)';
}

function notEnabled(app: AppInstance, configs: ConfigurationInstance[]): ReportInput {
  const configPart = configs.length > 0 ? `${configLabel(configs[0], app)} does not set spec.logging.apiLogging.enabled: true` : whyNoConfig(app);
  const viaConfig =
    configs.length > 0
      ? `set spec.logging.apiLogging.enabled: true in ${configLabel(configs[0], app)}`
      : `give it ${app.kubernetes ? 'a Configuration (dapr.io/config)' : 'a config file'} with spec.logging.apiLogging.enabled: true`;
  const fix = writeSetting(app.app, 'enable-api-logging', 'true');
  return {
    message: `${describeApp(app)} does not log calls to its Dapr API: ${settingName(app.app, 'enable-api-logging')} is not set and ${configPart}, so there is no audit trail of what was done through its sidecar. ${fix ? `Add ${fix}, or ${viaConfig}` : viaConfig}.`,
    at: missingAnnotationAnchor(app.app),
    on: app,
    path: settingPath(app.app, 'enable-api-logging'),
    related: relatedConfigs(configs),
    fix: () => addAnnotationFix(app),
  };
}

export const rule: Rule = {
  meta: {
    id: 'DAPR304',
    name: 'api-logging-disabled',
    shortDescription: 'A production sidecar does not log the calls made to its Dapr API.',
    fullDescription:
      'Reports a Dapr app (pod annotations, Multi-App Run app, compose daprd) that neither sets `dapr.io/enable-api-logging` (Multi-App Run `enableApiLogging`, daprd `--enable-api-logging`) to a truthy value nor loads a Configuration with `spec.logging.apiLogging.enabled: true`. The per-sidecar setting wins when present, in both directions: an explicit false turns API logging off even when the Configuration enables it, and is reported on the setting itself. Off by default; a warning for production workloads.',
    levels: { default: 'off', production: 'warning', nonProduction: 'off' },
    securitySeverity: 3.0,
    tags: ['security', 'audit', 'logging'],
    precision: 'high',
    docs: {
      why: 'API logs are the sidecar\'s audit trail: which app read which secret, invoked which service, published to which topic. Without them an incident responder cannot tell what a compromised app did through Dapr.',
      fix: 'Enable API logging for the whole app through its Configuration (`spec.logging.apiLogging.enabled: true`, with `obfuscateURLs: true` to keep personal data out of the logs), or per pod with `dapr.io/enable-api-logging: "true"`.',
      incorrect: [
        {
          files: {
            'production/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/config: appconfig']), { namespace: 'production' }),
            'production/appconfig.yaml': configuration('appconfig', 'production', [
              '  tracing:',
              '    samplingRate: "1"',
            ]),
          },
        },
      ],
      correct: [
        {
          files: {
            'production/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/config: appconfig']), { namespace: 'production' }),
              configuration('appconfig', 'production', [
                '  logging:',
                '    apiLogging:',
                '      enabled: true',
                '      obfuscateURLs: true',
              ]),
            ),
          },
        },
      ],
      notes: [
        'The injector passes `--enable-api-logging=<value>` only when the annotation is present, and daprd then ignores the Configuration\'s `apiLogging.enabled` (dapr/dapr pkg/injector/patcher/sidecar_container.go). Any value that is not truthy (`y`, `yes`, `true`, `t`, `on`, `1`) is an explicit false.',
        'When `dapr.io/config` (or a self-hosted config file) names a Configuration that the repository does not contain, the app is not judged: the Configuration is managed elsewhere, or DAPR309 reports it as missing.',
        'When the namespace holds several Configurations of that name (copies kept for different clusters), the one of the same kustomize entry point counts, else the ones nearest the app\'s manifest in the folder tree.',
        'A Multi-App Run app without a config file gets `~/.dapr/config.yaml`, which `dapr init` writes without API logging; a compose daprd without `--config` runs with the default configuration. Both are reported.',
        '`--fix` adds `dapr.io/enable-api-logging: "true"` to the pod template\'s annotations of a Kubernetes workload that does not set it, on a new line after its last `dapr.io/` annotation with the same indentation (a flow map gets a new entry). A Dapr-enabled workload always has an annotations map; when it is an alias or comes through a merge key, nothing is fixed. An explicit `"false"` is not changed (someone chose it: turn it on yourself or remove it), and self-hosted apps and Configurations are not fixed.',
      ],
    },
  },
  check({ model, report }) {
    // The per-sidecar switch wins over the Configuration, in both directions.
    for (const shared of settingsByNode(model.apps, 'enable-api-logging')) {
      if (isTemplated(shared.setting.value) || isTruthy(shared.setting.value)) continue;
      for (const app of shared.apps) report(explicitOff(app, shared, loadedConfigurations(model, app)));
    }
    for (const app of enabledApps(model.apps)) {
      if (app.app.settings.has('enable-api-logging')) continue;
      const configs = loadedConfigurations(model, app);
      if (configs === undefined || configs.some(enablesApiLogging)) continue;
      report(notEnabled(app, configs));
    }
  },
};
