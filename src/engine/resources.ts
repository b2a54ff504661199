// extract's output: typed views over YAML documents. Each keeps its nodes so
// that rules can point at the exact key or value that must change.
import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { ParsedDoc, YNode } from './yaml.js';

/** A node together with the document it lives in: enough to locate it. */
export interface NodeRef {
  pdoc: ParsedDoc;
  node: unknown;
  /** Exact character range inside the node's scalar (a flag inside a compose `command` string). */
  offsets?: [number, number];
}

/** A string read from YAML, with where it came from. */
export interface Str extends NodeRef {
  value: string;
}

/** Fields every Kubernetes-style document has. */
export interface ResourceBase {
  apiVersion: string;
  /** API group: the part of apiVersion before `/` ('' for core v1). */
  group: string;
  kind: string;
  name?: string;
  /** metadata.name value, the anchor for "something is missing" findings. */
  nameNode?: YNode;
  /** metadata.namespace as written. */
  declaredNamespace?: Str;
  pdoc: ParsedDoc;
  root: YAMLMap<unknown, unknown>;
  metadata?: YAMLMap<unknown, unknown>;
}

// ---------------------------------------------------------------- workloads

export interface Annotation {
  key: string;
  /** The pair, for findings about the key. */
  pair: Pair<Scalar, YNode>;
  /** The value as daprd reads it (unquoted booleans and numbers by their text). */
  text: string;
  /** Whether the YAML value is a string, as the API server requires. */
  isString: boolean;
  valueNode: YNode;
  pdoc: ParsedDoc;
}

export interface Container {
  name?: string;
  /** Where findings about the container point: its `name` value, else its map. */
  anchor: YNode;
  ports: Array<{ containerPort?: number; name?: string; node: YNode }>;
}

/**
 * A pod template's facts. It keeps no map of the template itself (no
 * metadata, no spec), only the nodes findings point at: the rest of a
 * workload's document is never read again after extraction.
 */
export interface PodTemplate {
  annotationsPair?: Pair<Scalar, YNode>;
  annotations: Map<string, Annotation>;
  labels: Map<string, string>;
  containers: Container[];
  initContainers: Container[];
  hostNetwork?: Str & { enabled: boolean };
}

/** A Dapr sidecar setting, whatever wrote it: a pod annotation, a Multi-App Run key, a daprd flag. */
export interface Setting extends NodeRef {
  /** The annotation name without `dapr.io/` (`sidecar-listen-addresses`), the common vocabulary of rules. */
  name: string;
  value: string;
  /** What the user wrote, for messages: `dapr.io/sidecar-listen-addresses`, `apiListenAddresses`, `--dapr-listen-addresses`. */
  source: string;
  /** The key node (annotations, template keys) for findings about the key. */
  keyNode?: unknown;
}

export type AppSource = 'kubernetes' | 'multi-app-run' | 'compose';

/** Anything that runs a Dapr sidecar: a pod template with dapr.io annotations, a Multi-App Run app, a compose daprd service. */
export interface DaprApp {
  source: AppSource;
  /** Kind for Kubernetes workloads (Deployment, …), `App` or `ComposeService` otherwise. */
  kind: string;
  /** Workload or service name for messages. */
  name: string;
  enabled: boolean;
  appId?: Str;
  /** Where "something is missing" findings point. */
  anchor: NodeRef;
  settings: Map<string, Setting>;
  /** For Kubernetes workloads. */
  resource?: ResourceBase;
  pod?: PodTemplate;
  /** Multi-App Run / compose file that declares the app. */
  sourceFile?: string;
  /** Compose: environment variables set on the daprd service. */
  environment?: Map<string, EnvVar>;
  /** Compose: `network_mode` (e.g. `service:orders` shares that service's network and published ports). */
  networkMode?: Str;
  /** Compose: `env_file` entries of the daprd service (their contents are not read). */
  envFiles?: Str[];
  /** Compose: host-published ports of the daprd service (and of the service whose network it shares). */
  publishedPorts?: PublishedPort[];
  /** Multi-App Run / compose: component folders (root-relative) this app loads. */
  resourcesPaths?: string[];
  /** Multi-App Run / compose: config file (root-relative) this app loads. */
  configFile?: Str;
}

/** A compose environment entry; `passThrough` when it has no value and takes the host's (`- KEY`, `KEY:`). */
export interface EnvVar extends Str {
  passThrough: boolean;
  /** The value node in map form, the whole `KEY=value` item in list form. */
  valueNode?: unknown;
}

export interface PublishedPort extends NodeRef {
  hostIp?: string;
  hostPort?: string;
  containerPort: number;
  /** The service that declares the mapping (the daprd service, or the app whose network it shares). */
  service: string;
}

// ---------------------------------------------------------------- Dapr resources

export interface Scopes {
  /** The `scopes` pair (top level). */
  pair: Pair<Scalar, YNode>;
  items: Str[];
}

export interface DaprResourceBase extends ResourceBase {
  /** Top-level `scopes` (the only place Dapr reads them). */
  scopes?: Scopes;
  /** `scopes` written under `spec` or `metadata`, ignored by Dapr. */
  misplacedScopes: Array<{ where: 'spec' | 'metadata'; pair: Pair<Scalar, YNode> }>;
  spec?: YAMLMap<unknown, unknown>;
}

export interface MetadataItem {
  name: string;
  nameNode: YNode;
  item: YAMLMap<unknown, unknown>;
  /** The `value:` pair when present. */
  valuePair?: Pair<Scalar, YNode>;
  value?: YNode;
  secretKeyRef?: { name?: Str; key?: Str; pair: Pair<Scalar, YNode> };
  envRef?: Str;
}

export interface Component extends DaprResourceBase {
  /** spec.type as written. */
  specType?: Str;
  /** spec.type with daprd's aliases resolved (`state.postgres` → `state.postgresql`). */
  canonicalType?: string;
  version?: Str;
  metadataItems: MetadataItem[];
  /** `auth.secretStore` (any letter case, the exact spelling first: authSecretStoreOf). */
  secretStore?: Str;
}

export interface Configuration extends DaprResourceBase {}

export interface Subscription extends DaprResourceBase {
  pubsubname?: Str;
  topic?: Str;
}

export interface Resiliency extends DaprResourceBase {
  /** Keys of spec.targets.apps. */
  targetApps: Str[];
}

export interface HTTPEndpoint extends DaprResourceBase {
  baseUrl?: Str;
  /** `auth.secretStore`, as a Component's. */
  secretStore?: Str;
}

// ---------------------------------------------------------------- other Kubernetes resources

export interface ServicePort extends NodeRef {
  port?: number;
  targetPort?: number | string;
  targetPortNode?: YNode;
  name?: string;
  nodePort?: number;
}

export interface Service extends ResourceBase {
  /** spec.type (ClusterIP when absent). */
  serviceType: string;
  selector?: Map<string, string>;
  ports: ServicePort[];
}

export interface IngressBackend extends NodeRef {
  serviceName: string;
  port?: number | string;
}

export interface Ingress extends ResourceBase {
  backends: IngressBackend[];
}

export interface SecretLike extends ResourceBase {
  /** Secret name as other resources reference it. */
  secretName?: string;
  /** Keys the Secret holds. */
  keys: Set<string>;
  /** True when any key may exist (ExternalSecret dataFrom). */
  anyKey: boolean;
}

export interface Secret extends SecretLike {
  dataPair?: Pair<Scalar, YNode>;
  stringDataPair?: Pair<Scalar, YNode>;
  /** File carries SOPS metadata: its values are encrypted. */
  sops: boolean;
}

export interface ConfigMap extends ResourceBase {
  dataPair?: Pair<Scalar, YNode>;
}

export type Resource =
  | ({ type: 'workload' } & ResourceBase & { pod: PodTemplate })
  | ({ type: 'component' } & Component)
  | ({ type: 'configuration' } & Configuration)
  | ({ type: 'subscription' } & Subscription)
  | ({ type: 'resiliency' } & Resiliency)
  | ({ type: 'httpendpoint' } & HTTPEndpoint)
  | ({ type: 'dapr-other' } & DaprResourceBase)
  | ({ type: 'service' } & Service)
  | ({ type: 'ingress' } & Ingress)
  | ({ type: 'secret' } & Secret)
  | ({ type: 'sealedsecret' } & SecretLike)
  | ({ type: 'externalsecret' } & SecretLike)
  | ({ type: 'configmap' } & ConfigMap)
  | ({ type: 'namespace' } & ResourceBase)
  | ({ type: 'other' } & ResourceBase);

export type ResourceType = Resource['type'];
export type ResourceOf<T extends ResourceType> = Extract<Resource, { type: T }>;

// ---------------------------------------------------------------- self-hosted and kustomize sources

export interface Kustomization {
  /** Folder of the kustomization, root-relative ('' for the root). */
  dir: string;
  pdoc: ParsedDoc;
  namespace?: Str;
  /** resources/bases/components entries that are local paths, resolved root-relative. */
  resources: Str[];
  /** Patch files, resolved root-relative: their documents are partial and not resources. */
  patches: Str[];
  /** secretGenerator entries: name → keys. */
  secretGenerators: Array<{ name: Str; keys: Set<string>; anyKey: boolean }>;
}

export interface MultiAppRun {
  pdoc: ParsedDoc;
  apps: DaprApp[];
}

export interface ComposeFile {
  pdoc: ParsedDoc;
  apps: DaprApp[];
}
