// model: the cross-file join, built once. Resources become instances (one per
// kustomization entry point that reaches them, or one on their own) with a
// namespace and an environment; apps are indexed by (namespace, app-id),
// components by (namespace, name); the access matrix says which app can load
// which component. Rules query this; they never re-walk files.
import path from 'node:path';
import type { Config } from './config-types.js';
import { EnvironmentClassifier, environmentOfName } from './environment.js';
import type { DaprInstall } from './extract/helm-values.js';
import type { RepoIndex } from './extract/multi-app-run.js';
import type { Extracted } from './extract/index.js';
import { kubernetesApp } from './extract/kubernetes.js';
import type { ParsedFile, SyntaxProblem } from './parse.js';
import type { RenderFailure, RenderOutput, RenderRecord } from './render/index.js';
import type { Component, ComposeFile, DaprApp, Kustomization, MultiAppRun, NodeRef, Resource, ResourceOf, ResourceType, Str } from './resources.js';
import type { SuppressionComment } from './suppressions.js';
import type { Environment, Notification, SourceFile } from './types.js';
import type { ParsedDoc } from './yaml.js';

/** Where a placement's namespace comes from. */
/** `helm`: the release namespace of a rendered chart. */
export type NamespaceSource = 'kustomize' | 'metadata' | 'default' | 'self-hosted' | 'helm';

export interface Placement {
  namespace: string;
  /** Set by a kustomization, written in metadata.namespace, the config default, or a self-hosted project. */
  namespaceSource: NamespaceSource;
  environment: Environment;
  /** False for the pseudo-namespace of a Multi-App Run or compose file. */
  kubernetes: boolean;
  /** Kustomization folder (entry point) or self-hosted file that placed it here. */
  via?: string;
}

export interface Instance<R extends Resource = Resource> extends Placement {
  resource: R;
}

export interface AppInstance extends Placement {
  app: DaprApp;
}

export type GrantKind = 'explicit' | 'unscoped';

/** What an app can be granted: loading a Component, receiving a Subscription's events, calling an HTTPEndpoint. */
export type Grantable = Instance<ResourceOf<'component'>> | Instance<ResourceOf<'subscription'>> | Instance<ResourceOf<'httpendpoint'>>;

export interface Grant {
  appId: string;
  resource: Grantable;
  kind: GrantKind;
  /** The scope entry that grants it (explicit grants). */
  scopeEntry?: Str;
}

export interface NamespaceMatrix {
  namespace: string;
  kubernetes: boolean;
  /** App-ids that run here (deployed by the repo), plus config knownAppIds that apply. */
  appIds: string[];
  components: Array<Instance<ResourceOf<'component'>>>;
  /** Components, then Subscriptions, then HTTPEndpoints: the columns of the matrix. */
  resources: Grantable[];
  grants: Grant[];
}

export interface Model {
  /** Absolute scan root. */
  root: string;
  config: Config;
  configFile?: string;
  files: SourceFile[];
  parsed: ParsedFile[];
  syntaxProblems: SyntaxProblem[];
  suppressions: SuppressionComment[];
  notifications: Notification[];
  instances: Instance[];
  apps: AppInstance[];
  kustomizations: Kustomization[];
  multiAppRuns: MultiAppRun[];
  composeFiles: ComposeFile[];
  plainDocs: ParsedDoc[];
  /** Namespaces in which the repo runs at least one Dapr app. */
  namespacesWithApps: Set<string>;
  ofType<T extends ResourceType>(type: T): Array<Instance<ResourceOf<T>>>;
  /** Enabled Dapr apps in a namespace with this app-id. */
  appsWithId(namespace: string, appId: string): AppInstance[];
  /** All app-ids that run in a namespace. */
  appIdsIn(namespace: string): Set<string>;
  components(namespace: string): Array<Instance<ResourceOf<'component'>>>;
  instancesIn<T extends ResourceType>(type: T, namespace: string): Array<Instance<ResourceOf<T>>>;
  /** Whether an app-id is declared in config knownAppIds for this namespace. */
  isKnownAppId(namespace: string, appId: string): boolean;
  accessMatrix(): NamespaceMatrix[];
  environmentOfFile(file: string): Environment;
  /** Secrets the repository manages in a namespace (Secret, SealedSecret, ExternalSecret, kustomize secretGenerator). */
  secretsIn(namespace: string): SecretSource[];
  /** The Configuration(s) an app loads: `dapr.io/config` in its namespace, or its self-hosted config file. */
  configurationsFor(app: AppInstance): Array<Instance<ResourceOf<'configuration'>>>;
  /** Values the repository gives the Dapr Helm chart, placed in an environment; `declaredNamespace` is the namespace the manifest states. */
  daprInstalls: Array<DaprInstall & Placement & { declaredNamespace?: string }>;
  /** `.crt` / `.pem` / `.key` files, read as text. */
  pemFiles: ParsedFile[];
  /** Charts and kustomizations that could not be rendered (DAPR007). */
  renderFailures: RenderFailure[];
  /** Chart variants and kustomization entry points that were rendered. */
  rendered: RenderRecord[];
  /** Whether discovery found this root-relative file / a file under this folder. */
  hasFile(file: string): boolean;
  hasDir(dir: string): boolean;
}

export interface SecretSource {
  kind: 'Secret' | 'SealedSecret' | 'ExternalSecret' | 'secretGenerator';
  /** Root-relative file that defines it. */
  file: string;
  /** Kustomization entry point that builds it, when one does. */
  via?: string;
  namespaceSource: NamespaceSource;
  /** The Secret name other resources reference. */
  name: string;
  keys: Set<string>;
  /** True when any key may exist (ExternalSecret dataFrom, generator env files). */
  anyKey: boolean;
  at: NodeRef;
}

export interface ModelInput {
  root: string;
  /** Which files and folders discovery found. */
  repo: RepoIndex;
  config: Config;
  configFile?: string;
  files: SourceFile[];
  parsed: ParsedFile[];
  extracted: Extracted;
  suppressions: SuppressionComment[];
  notifications: Notification[];
  /** What helm and kustomize rendered (src/engine/render): placed instances, and the entry points they replace. */
  rendered?: Pick<RenderOutput, 'instances' | 'replaces' | 'failures' | 'rendered'>;
}

interface Reach {
  namespace?: string;
  via: string;
  kubernetes: boolean;
}

/** Which files (and kustomizations) each kustomization entry point reaches, with the namespace the outermost kustomization sets. */
function kustomizeReach(kustomizations: Kustomization[], fileSet: Set<string>): { files: Map<string, Reach[]>; kustomizations: Map<string, Reach[]> } {
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]));
  const included = new Set<string>();
  for (const k of kustomizations) for (const r of k.resources) if (byDir.has(r.value)) included.add(r.value);
  const reach = new Map<string, Reach[]>();
  const kReach = new Map<string, Reach[]>();
  const addTo = (map: Map<string, Reach[]>, key: string, r: Reach): void => {
    const list = map.get(key) ?? [];
    if (!list.some((x) => x.via === r.via)) list.push(r);
    map.set(key, list);
  };
  const add = (file: string, r: Reach): void => addTo(reach, file, r);
  const byFolder = new Map<string, string[]>();
  for (const f of fileSet) {
    const d = path.posix.dirname(f);
    const key = d === '.' ? '' : d;
    const list = byFolder.get(key) ?? [];
    list.push(f);
    byFolder.set(key, list);
  }
  const filesUnder = (dir: string): string[] => byFolder.get(dir) ?? [];
  for (const entry of kustomizations) {
    if (included.has(entry.dir)) continue;
    const via = entry.dir === '' ? 'kustomization.yaml' : `${entry.dir}/kustomization.yaml`;
    const walk = (k: Kustomization, ns: string | undefined, stack: Set<string>): void => {
      if (stack.has(k.dir)) return;
      stack.add(k.dir);
      const effective = ns ?? k.namespace?.value;
      addTo(kReach, k.dir, { namespace: effective, via, kubernetes: true });
      for (const r of k.resources) {
        const sub = byDir.get(r.value);
        if (sub) walk(sub, effective, stack);
        else if (fileSet.has(r.value)) add(r.value, { namespace: effective, via, kubernetes: true });
        else for (const f of filesUnder(r.value)) add(f, { namespace: effective, via, kubernetes: true });
      }
      stack.delete(k.dir);
    };
    walk(entry, undefined, new Set());
  }
  return { files: reach, kustomizations: kReach };
}

/** Component files that a Multi-App Run or compose project loads: they live in its pseudo-namespace. */
function selfHostedReach(extracted: Extracted, fileSet: Set<string>): Map<string, Reach[]> {
  const reach = new Map<string, Reach[]>();
  const sources: Array<{ file: string; apps: DaprApp[] }> = [
    ...extracted.multiAppRuns.map((m) => ({ file: m.pdoc.file.path, apps: m.apps })),
    ...extracted.composeFiles.map((c) => ({ file: c.pdoc.file.path, apps: c.apps })),
  ];
  const files = [...fileSet];
  for (const src of sources) {
    const dirs = new Set(src.apps.flatMap((a) => a.resourcesPaths ?? []));
    const configs = new Set(src.apps.map((a) => a.configFile?.value).filter((f): f is string => !!f));
    for (const f of files) {
      const inDir = [...dirs].some((d) => f.startsWith(d === '' ? '' : d + '/'));
      if (!inDir && !configs.has(f)) continue;
      const list = reach.get(f) ?? [];
      list.push({ namespace: selfHostedNamespace(src.file), via: src.file, kubernetes: false });
      reach.set(f, list);
    }
  }
  return reach;
}

export function selfHostedNamespace(file: string): string {
  return `self-hosted:${file}`;
}

export function buildModel(input: ModelInput): Model {
  const { config, extracted } = input;
  const classifier = new EnvironmentClassifier(config);
  const fileSet = new Set(input.files.map((f) => f.path));
  const patchFiles = new Set(extracted.kustomizations.flatMap((k) => k.patches.map((p) => p.value)));
  const kustomize = kustomizeReach(extracted.kustomizations, fileSet);
  const kReach = kustomize.files;
  const sReach = selfHostedReach(extracted, fileSet);

  const place = (file: string, declared: string | undefined, r: Reach | undefined): Placement => {
    const namespace = r?.namespace ?? declared ?? config.defaultNamespace;
    const kubernetes = r ? r.kubernetes : true;
    const namespaceSource: NamespaceSource = !kubernetes ? 'self-hosted' : r?.namespace !== undefined ? 'kustomize' : declared !== undefined ? 'metadata' : 'default';
    const paths = r?.via && r.via !== file ? [file, r.via] : [file];
    const p: Placement = { namespace, namespaceSource, kubernetes, environment: classifier.classify({ namespace, kubernetesNamespace: kubernetes, paths }) };
    if (r?.via) p.via = r.via;
    return p;
  };

  const instances: Instance[] = [];
  const apps: AppInstance[] = [];
  const replaced = input.rendered?.replaces ?? new Set<string>();
  for (const resource of extracted.resources) {
    const file = resource.pdoc.file.path;
    if (patchFiles.has(file)) continue; // partial documents that a kustomization merges into others
    const allReaches = [...(kReach.get(file) ?? []), ...(sReach.get(file) ?? [])];
    // An entry point that was rendered places its resources itself (below): no static copy as well.
    const reaches = replaced.size > 0 ? allReaches.filter((r) => !replaced.has(r.via)) : allReaches;
    if (allReaches.length > 0 && reaches.length === 0) continue;
    const declared = resource.declaredNamespace?.value;
    const placements = reaches.length > 0 ? reaches.map((r) => place(file, declared, r)) : [place(file, declared, undefined)];
    for (const p of placements) {
      instances.push(instanceAt(p, resource));
      if (resource.type === 'workload' && hasDaprAnnotations(resource.pod.annotations)) apps.push(appAt(p, kubernetesApp(resource, resource.pod)));
    }
  }
  for (const src of [...extracted.multiAppRuns.map((m) => ({ file: m.pdoc.file.path, apps: m.apps })), ...extracted.composeFiles.map((c) => ({ file: c.pdoc.file.path, apps: c.apps }))]) {
    const p = place(src.file, undefined, { namespace: selfHostedNamespace(src.file), via: src.file, kubernetes: false });
    for (const app of src.apps) apps.push(appAt(p, app));
  }

  addRendered(input.rendered, instances, apps);
  const installs = extracted.daprInstalls.map((i) => ({ ...i, ...placeInstall(i, config.defaultNamespace, classifier) }));
  const secrets = secretIndex(instances, extracted.kustomizations, kustomize.kustomizations, config.defaultNamespace);
  return new ModelImpl(input, instances, apps, classifier, installs, secrets, input.repo);
}

/**
 * An instance of `resource` at `p`, in one of two shapes (with or without
 * `via`). A spread (`{ ...p, resource }`) gave each of the tens of thousands
 * of instances and apps a property dictionary of its own in V8 (about 9 MB
 * on the large bench corpus).
 */
function instanceAt(p: Placement, resource: Resource): Instance {
  const { namespace, namespaceSource, kubernetes, environment, via } = p;
  return via === undefined ? { namespace, namespaceSource, kubernetes, environment, resource } : { namespace, namespaceSource, kubernetes, environment, via, resource };
}

/** An app at `p`; see instanceAt. */
function appAt(p: Placement, app: DaprApp): AppInstance {
  const { namespace, namespaceSource, kubernetes, environment, via } = p;
  return via === undefined ? { namespace, namespaceSource, kubernetes, environment, app } : { namespace, namespaceSource, kubernetes, environment, via, app };
}

/** Rendered instances join the static ones; a rendered workload with Dapr annotations is an app like any other. */
function addRendered(rendered: ModelInput['rendered'], instances: Instance[], apps: AppInstance[]): void {
  for (const inst of rendered?.instances ?? []) {
    instances.push(inst);
    const resource = inst.resource;
    if (resource.type === 'workload' && hasDaprAnnotations(resource.pod.annotations)) {
      apps.push(appAt(inst, kubernetesApp(resource, resource.pod)));
    }
  }
}

/** A values file named for an environment (values-prod.yaml) says which one it is for. */
function placeInstall(install: DaprInstall, defaultNamespace: string, classifier: EnvironmentClassifier): Placement & { declaredNamespace?: string } {
  const namespace = install.namespace ?? defaultNamespace;
  let environment = classifier.classify({ namespace, kubernetesNamespace: install.namespace !== undefined, paths: install.paths });
  const stem = /^values[-.](.+)\.ya?ml$/.exec(install.paths[0].split('/').pop() ?? '')?.[1];
  if (environment === 'unclassified' && stem) environment = environmentOfName(stem) ?? 'unclassified';
  const p: Placement & { declaredNamespace?: string } = { namespace, namespaceSource: install.namespace !== undefined ? 'metadata' : 'default', environment, kubernetes: true };
  if (install.namespace !== undefined) p.declaredNamespace = install.namespace;
  return p;
}

function secretIndex(instances: Instance[], kustomizations: Kustomization[], kReach: Map<string, Reach[]>, defaultNamespace: string): Map<string, SecretSource[]> {
  const index = new Map<string, SecretSource[]>();
  const add = (ns: string, s: SecretSource): void => {
    const list = index.get(ns) ?? [];
    list.push(s);
    index.set(ns, list);
  };
  for (const inst of instances) {
    const r = inst.resource;
    if (r.type !== 'secret' && r.type !== 'sealedsecret' && r.type !== 'externalsecret') continue;
    const kind = r.type === 'secret' ? 'Secret' : r.type === 'sealedsecret' ? 'SealedSecret' : 'ExternalSecret';
    add(inst.namespace, { kind, name: r.secretName ?? r.name ?? '', keys: r.keys, anyKey: r.anyKey, at: { pdoc: r.pdoc, node: r.nameNode ?? r.root }, file: r.pdoc.file.path, namespaceSource: inst.namespaceSource, ...(inst.via ? { via: inst.via } : {}) });
  }
  for (const k of kustomizations) {
    for (const gen of k.secretGenerators) {
      const placements = kReach.get(k.dir) ?? [{ namespace: k.namespace?.value, via: k.dir, kubernetes: true }];
      for (const p of placements) {
        add(p.namespace ?? defaultNamespace, { kind: 'secretGenerator', name: gen.name.value, keys: gen.keys, anyKey: gen.anyKey, at: gen.name, file: k.pdoc.file.path, via: p.via, namespaceSource: p.namespace !== undefined ? 'kustomize' : 'default' });
      }
    }
  }
  return index;
}

function hasDaprAnnotations(annotations: Map<string, unknown>): boolean {
  for (const k of annotations.keys()) if (/^dapr\.io[/.]/.test(k)) return true;
  return false;
}

class ModelImpl implements Model {
  root: string;
  config: Config;
  configFile?: string;
  files: SourceFile[];
  parsed: ParsedFile[];
  syntaxProblems: SyntaxProblem[];
  suppressions: SuppressionComment[];
  notifications: Notification[];
  kustomizations: Kustomization[];
  multiAppRuns: MultiAppRun[];
  composeFiles: ComposeFile[];
  plainDocs: ParsedDoc[];
  namespacesWithApps: Set<string>;
  private readonly byType = new Map<ResourceType, Instance[]>();
  private readonly appIndex = new Map<string, Map<string, AppInstance[]>>();
  private readonly componentIndex = new Map<string, Array<Instance<Component & { type: 'component' }>>>();
  private readonly known: { anywhere: Set<string>; byNamespace: Set<string> };
  private matrix?: NamespaceMatrix[];

  pemFiles: ParsedFile[];
  renderFailures: RenderFailure[];
  rendered: RenderRecord[];

  constructor(
    input: ModelInput,
    readonly instances: Instance[],
    readonly apps: AppInstance[],
    private readonly classifier: EnvironmentClassifier,
    readonly daprInstalls: Array<DaprInstall & Placement & { declaredNamespace?: string }>,
    private readonly secrets: Map<string, SecretSource[]>,
    private readonly repo: RepoIndex,
  ) {
    this.pemFiles = input.parsed.filter((p) => p.file.kind === 'pem');
    this.renderFailures = input.rendered?.failures ?? [];
    this.rendered = input.rendered?.rendered ?? [];
    this.root = input.root;
    this.config = input.config;
    if (input.configFile) this.configFile = input.configFile;
    this.files = input.files;
    this.parsed = input.parsed;
    this.syntaxProblems = input.parsed.flatMap((p) => (p.syntax ? [p.syntax] : []));
    this.suppressions = input.suppressions;
    this.notifications = input.notifications;
    this.kustomizations = input.extracted.kustomizations;
    this.multiAppRuns = input.extracted.multiAppRuns;
    this.composeFiles = input.extracted.composeFiles;
    this.plainDocs = input.extracted.plainDocs;
    for (const inst of instances) {
      const list = this.byType.get(inst.resource.type) ?? [];
      list.push(inst);
      this.byType.set(inst.resource.type, list);
      if (inst.resource.type === 'component') {
        const c = this.componentIndex.get(inst.namespace) ?? [];
        c.push(inst as Instance<ResourceOf<'component'>>);
        this.componentIndex.set(inst.namespace, c);
      }
    }
    this.namespacesWithApps = new Set();
    for (const a of apps) {
      if (!a.app.enabled) continue;
      this.namespacesWithApps.add(a.namespace);
      if (!a.app.appId) continue;
      const ns = this.appIndex.get(a.namespace) ?? new Map<string, AppInstance[]>();
      const list = ns.get(a.app.appId.value) ?? [];
      list.push(a);
      ns.set(a.app.appId.value, list);
      this.appIndex.set(a.namespace, ns);
    }
    this.known = { anywhere: new Set(), byNamespace: new Set() };
    for (const id of input.config.knownAppIds) {
      if (id.includes('/')) this.known.byNamespace.add(id);
      else this.known.anywhere.add(id);
    }
  }

  ofType<T extends ResourceType>(type: T): Array<Instance<ResourceOf<T>>> {
    return (this.byType.get(type) ?? []) as Array<Instance<ResourceOf<T>>>;
  }

  /** Instances by type, then namespace: built on first use, after the constructor has placed every instance. */
  private readonly byTypeAndNamespace = new Map<ResourceType, Map<string, Instance[]>>();

  instancesIn<T extends ResourceType>(type: T, namespace: string): Array<Instance<ResourceOf<T>>> {
    // Rules ask this per app: filtering every instance each time made a 100,000-file scan quadratic (bench/soak.ts).
    let index = this.byTypeAndNamespace.get(type);
    if (!index) {
      index = new Map();
      for (const i of this.ofType(type)) {
        const list = index.get(i.namespace);
        if (list) list.push(i);
        else index.set(i.namespace, [i]);
      }
      this.byTypeAndNamespace.set(type, index);
    }
    // A copy, as filter gave: callers may sort or extend it.
    return [...(index.get(namespace) ?? [])] as Array<Instance<ResourceOf<T>>>;
  }

  appsWithId(namespace: string, appId: string): AppInstance[] {
    return this.appIndex.get(namespace)?.get(appId) ?? [];
  }

  appIdsIn(namespace: string): Set<string> {
    return new Set(this.appIndex.get(namespace)?.keys() ?? []);
  }

  components(namespace: string): Array<Instance<ResourceOf<'component'>>> {
    return this.componentIndex.get(namespace) ?? [];
  }

  isKnownAppId(namespace: string, appId: string): boolean {
    return this.known.anywhere.has(appId) || this.known.byNamespace.has(`${namespace}/${appId}`);
  }

  environmentOfFile(file: string): Environment {
    return this.classifier.classify({ namespace: '', kubernetesNamespace: false, paths: [file] });
  }

  accessMatrix(): NamespaceMatrix[] {
    this.matrix ??= computeMatrix(this);
    return this.matrix;
  }

  secretsIn(namespace: string): SecretSource[] {
    return this.secrets.get(namespace) ?? [];
  }

  hasFile(file: string): boolean {
    return this.repo.hasFile(file);
  }

  hasDir(dir: string): boolean {
    return this.repo.hasDir(dir);
  }

  configurationsFor(app: AppInstance): Array<Instance<ResourceOf<'configuration'>>> {
    const configs = this.instancesIn('configuration', app.namespace);
    if (!app.kubernetes) {
      const file = app.app.configFile?.value;
      return file ? configs.filter((c) => c.resource.pdoc.file.path === file) : [];
    }
    const name = app.app.settings.get('config')?.value;
    if (!name) return [];
    const named = configs.filter((c) => c.resource.name === name);
    // Through a kustomize overlay, the Configuration of the same overlay is the one deployed with the app.
    const sameVia = named.filter((c) => c.via === app.via);
    return sameVia.length > 0 ? sameVia : named;
  }
}

function computeMatrix(model: ModelImpl): NamespaceMatrix[] {
  const namespaces = new Map<string, boolean>();
  for (const type of ['component', 'subscription', 'httpendpoint'] as const) for (const c of model.ofType(type)) namespaces.set(c.namespace, c.kubernetes);
  for (const a of model.apps) if (a.app.enabled) namespaces.set(a.namespace, a.kubernetes);
  const out: NamespaceMatrix[] = [];
  for (const [namespace, kubernetes] of [...namespaces.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const ids = model.appIdsIn(namespace);
    for (const id of model.config.knownAppIds) {
      if (!id.includes('/')) {
        if (kubernetes) ids.add(id);
      } else if (id.startsWith(namespace + '/')) ids.add(id.slice(namespace.length + 1));
    }
    const appIds = [...ids].sort();
    const components = model.components(namespace);
    const resources: Grantable[] = [...components, ...model.instancesIn('subscription', namespace), ...model.instancesIn('httpendpoint', namespace)];
    const grants: Grant[] = [];
    // A self-hosted app only loads the resources folders it is given, not the whole project's.
    const loads = (appId: string, resource: Grantable): boolean => {
      if (kubernetes) return true;
      const file = resource.resource.pdoc.file.path;
      return model.appsWithId(namespace, appId).some((a) => (a.app.resourcesPaths ?? []).some((d) => d === '' || file.startsWith(`${d}/`)));
    };
    for (const resource of resources) {
      const scopes = resource.resource.scopes?.items ?? [];
      for (const appId of appIds) {
        if (!loads(appId, resource)) continue;
        if (scopes.length === 0) {
          grants.push({ appId, resource, kind: 'unscoped' });
          continue;
        }
        // Dapr matches scopes exactly and case-sensitively (pkg/apis/common/scoped.go).
        const entry = scopes.find((s) => s.value === appId);
        if (entry) grants.push({ appId, resource, kind: 'explicit', scopeEntry: entry });
      }
    }
    out.push({ namespace, kubernetes, appIds, components, resources, grants });
  }
  return out;
}
