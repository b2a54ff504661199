// DAPR309 configuration-not-found: the Configuration a sidecar must load is not where daprd looks for it.
import path from 'node:path';
import { compileGlob } from '../engine/glob.js';
import { ALWAYS_EXCLUDED, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../engine/discover.js';
import { resolveLocal } from '../engine/extract/kustomize.js';
import type { AppInstance, Model } from '../engine/model.js';
import type { Setting } from '../engine/resources.js';
import { asMap, child, childPath, scalarText, seqItems } from '../engine/yaml.js';
import { configuration, daprAnnotations, deployment, docs } from './examples.js';
import { describeApp, describeNamespace, nearest, quoteList, resourceAnchor } from './helpers.js';
import { enabledApps, isTemplated, settingPath, showSetting } from './sidecar-setting-helpers.js';
import type { ReportInput, Rule } from './types.js';

// ---------------------------------------------------------------- Kubernetes: dapr.io/config names a Configuration of the pod's namespace

function namespacesWithDaprResources(model: Model): Set<string> {
  return new Set(model.instances.filter((i) => i.resource.group === 'dapr.io').map((i) => i.namespace));
}

function kubernetesFinding(model: Model, app: AppInstance, setting: Setting): ReportInput | undefined {
  const here = model.instancesIn('configuration', app.namespace);
  if (here.some((c) => c.resource.name === setting.value)) return undefined;
  const names = [...new Set(here.map((c) => c.resource.name).filter((n): n is string => !!n))].sort();
  const suggestion = nearest(setting.value, names);
  const elsewhere = model.ofType('configuration').filter((c) => c.kubernetes && c.namespace !== app.namespace && c.resource.name === setting.value);
  const ns = describeNamespace(app.namespace);
  const shown = names.length > 5 ? `${quoteList(names.slice(0, 5))} and ${names.length - 5} more` : quoteList(names);
  let message = `${describeApp(app)} sets ${showSetting(setting)}, but the repository defines no Configuration "${setting.value}" in ${ns}${names.length ? ` (it has ${shown})` : ''}: daprd fails to start ("error loading configuration").`;
  if (suggestion) message += ` Did you mean "${suggestion}"?`;
  if (elsewhere.length) message += ` "${setting.value}" exists in ${[...new Set(elsewhere.map((c) => describeNamespace(c.namespace)))].join(', ')}; a sidecar loads its Configuration from its own namespace.`;
  message += ` Fix the name or add the Configuration to ${ns}.`;
  return {
    message,
    at: setting,
    on: app,
    path: settingPath(app.app, 'config'),
    related: elsewhere.slice(0, 1).map((c) => ({ at: resourceAnchor(c), label: `Configuration "${setting.value}" in ${describeNamespace(c.namespace)}` })),
  };
}

// ---------------------------------------------------------------- self-hosted: the config file is missing from the repository

/** Whether the scan would have read `file` had it existed (include/exclude of rules.config.json). */
function scannable(model: Model): (file: string) => boolean {
  const include = compileGlob(model.config.include && model.config.include.length > 0 ? model.config.include : DEFAULT_INCLUDE, { dot: true });
  const exclude = compileGlob([...ALWAYS_EXCLUDED, ...(model.config.exclude ?? DEFAULT_EXCLUDE)], { dot: true });
  return (file) => include(file) && !exclude(file);
}

/** Files the repository has: discovered ones, and ones the scan skipped with a notice (too large, symlinks). */
function presentFiles(model: Model): { hasFile(f: string): boolean; hasDir(d: string): boolean } {
  const files = new Set([...model.files.map((f) => f.path), ...model.notifications.map((n) => n.file).filter((f): f is string => !!f)]);
  const dirs = new Set<string>();
  for (const f of files) for (let d = path.posix.dirname(f); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  return { hasFile: (f) => files.has(f), hasDir: (d) => dirs.has(d) };
}

/** A path the repository can answer for: relative, no home folder or variables, inside the root. */
function repoPath(base: string, ref: string): string | undefined {
  if (ref.startsWith('~') || ref.startsWith('/') || /^[a-z]:[\\/]/i.test(ref) || ref.includes('$') || isTemplated(ref)) return undefined;
  return resolveLocal(base, ref);
}

function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

/**
 * Where dapr run -f looks for a Multi-App Run `configFilePath`: a `common` one
 * relative to the template's folder, an app's own relative to its appDirPath
 * (dapr/cli pkg/runfileconfig/run_file_config_parser.go, validateRunConfig).
 * Undefined when the app does not use this setting or the path is outside the repository.
 */
function isCommonKey(model: Model, setting: Setting): boolean {
  const run = model.multiAppRuns.find((m) => m.pdoc === setting.pdoc);
  return run !== undefined && childPath(run.pdoc.doc.contents, ['common', 'configFilePath'], run.pdoc) === setting.node;
}

function multiAppRunConfigPath(model: Model, app: AppInstance, setting: Setting): string | undefined {
  const run = model.multiAppRuns.find((m) => m.pdoc === setting.pdoc);
  if (!run) return undefined;
  const runDir = dirOf(run.pdoc.file.path);
  const root = run.pdoc.doc.contents;
  if (isCommonKey(model, setting)) {
    // A common path applies only when the app has no .dapr/config.yaml of its own (the extractor resolved that precedence).
    return app.app.configFile?.node === setting.node ? repoPath(runDir, setting.value) : undefined;
  }
  const entry = seqItems(child(root, 'apps', run.pdoc), run.pdoc).find((a) => child(a, 'configFilePath', run.pdoc) === setting.node);
  const appDirPath = scalarText(child(asMap(entry, run.pdoc), 'appDirPath', run.pdoc), run.pdoc);
  const appDir = appDirPath === undefined ? undefined : repoPath(runDir, appDirPath);
  return appDir === undefined ? undefined : repoPath(appDir, setting.value);
}

/** The host file a compose daprd's `--config` reads through a bind mount (the extractor maps it). */
function composeConfigPath(app: AppInstance, setting: Setting): string | undefined {
  const file = app.app.configFile?.value;
  return file === undefined || isTemplated(setting.value) ? undefined : file;
}

interface MissingConfig {
  setting: Setting;
  file: string;
  apps: AppInstance[];
  /** A Multi-App Run `common` key, inherited by the apps. */
  common: boolean;
}

function missingSelfHostedConfigs(model: Model): MissingConfig[] {
  const present = presentFiles(model);
  const canSee = scannable(model);
  const byNode = new Map<unknown, MissingConfig>();
  for (const app of enabledApps(model.apps)) {
    if (app.kubernetes) continue;
    const setting = app.app.settings.get('config');
    if (!setting || setting.value === '') continue;
    const file = app.app.source === 'multi-app-run' ? multiAppRunConfigPath(model, app, setting) : composeConfigPath(app, setting);
    // A folder, a file the scan would not read, or one that is there: nothing to say.
    if (file === undefined || file === '' || !canSee(file) || present.hasFile(file) || present.hasDir(file)) continue;
    const known = byNode.get(setting.node);
    if (known) known.apps.push(app);
    else byNode.set(setting.node, { setting, file, apps: [app], common: isCommonKey(model, setting) });
  }
  return [...byNode.values()];
}

function selfHostedFinding(m: MissingConfig): ReportInput {
  const first = m.apps[0];
  const subject = m.common
    ? `The common ${showSetting(m.setting)} (used by Multi-App Run ${m.apps.length > 1 ? 'apps' : 'app'} ${m.apps.map((a) => `"${a.app.name}"`).join(', ')})`
    : `${describeApp(first)} sets ${showSetting(m.setting)}, which`;
  const how =
    first.app.source === 'compose'
      ? 'the container path, mapped through the service\'s bind mounts'
      : m.common
        ? 'relative to the template\'s folder'
        : 'relative to the app\'s appDirPath, as dapr run resolves it';
  const consequence = first.app.source === 'multi-app-run' ? 'dapr run -f refuses to start' : 'daprd fails to start ("error loading configuration")';
  return {
    message: `${subject} points at ${m.file} (${how}), which is not in the repository: ${consequence}. Fix the path or add the file.`,
    at: m.setting,
    on: first,
    path: settingPath(first.app, 'config'),
  };
}

export const rule: Rule = {
  meta: {
    id: 'DAPR309',
    name: 'configuration-not-found',
    shortDescription: 'A sidecar names a Configuration that does not exist where daprd looks for it.',
    fullDescription:
      'Reports `dapr.io/config` naming a Configuration that the repository does not define in the workload\'s namespace: daprd fails to start. Only judged in namespaces where the repository defines at least one Dapr resource (otherwise the Configurations are managed elsewhere). The message suggests the nearest name in the namespace and names other namespaces that have it. Self-hosted: a Multi-App Run `configFilePath`, or a compose daprd `--config` mapped to the repository by a bind mount, that points at a file the repository does not have. Points at the value.',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['security', 'correctness', 'configuration'],
    precision: 'high',
    docs: {
      why: 'A sidecar that cannot load its Configuration does not start, so the app is down. The usual "fix" under pressure is to delete the annotation, and with it the access-control policies, API allowlist and secret scopes the Configuration carried.',
      fix: 'Correct the name (Configurations are looked up in the pod\'s own namespace), or add the Configuration to that namespace.',
      incorrect: [
        {
          files: {
            'deploy/shop/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/config: app-config']), { namespace: 'shop' }),
              configuration('appconfig', 'shop', []),
            ),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/shop/task-api.yaml': docs(
              deployment('task-api', daprAnnotations('task-api', ['dapr.io/config: appconfig']), { namespace: 'shop' }),
              configuration('appconfig', 'shop', []),
            ),
          },
        },
      ],
      notes: [
        'A Configuration of that name anywhere in the namespace counts, whichever kustomization or folder it comes from: the rule reports names that cannot resolve, not deployment-order questions.',
        'In Kubernetes mode daprd asks the operator for the Configuration named by `--config` in its own namespace and exits when it is missing (dapr/dapr pkg/runtime/config.go).',
        'Multi-App Run paths follow the Dapr CLI, not the template\'s folder alone: an app\'s own `configFilePath` is relative to its `appDirPath`; a `common` one is relative to the template and only applies to apps without `<appDirPath>/.dapr/config.yaml` (dapr/cli pkg/runfileconfig/run_file_config_parser.go). `dapr run -f` validates the path and refuses to start when the file is missing.',
        'Self-hosted paths under the home folder (`~/.dapr/config.yaml`), absolute paths, paths with variables, folders, and files the scan would not read (include/exclude) are not judged. A compose `--config` is judged only when a bind mount maps it into the repository; otherwise the file may come from the image.',
        'When only part of the repository is scanned (folders given on the command line), a Configuration or config file outside those folders looks missing.',
      ],
    },
  },
  check({ model, report }) {
    const judged = namespacesWithDaprResources(model);
    for (const app of enabledApps(model.apps)) {
      if (!app.kubernetes || !judged.has(app.namespace)) continue;
      const setting = app.app.settings.get('config');
      if (!setting || setting.value === '' || isTemplated(setting.value)) continue;
      const finding = kubernetesFinding(model, app, setting);
      if (finding) report(finding);
    }
    for (const missing of missingSelfHostedConfigs(model)) report(selfHostedFinding(missing));
  },
};
