// bench/corpus: a deterministic, seeded synthetic GitOps monorepo for the
// benchmark. N apps × 3 environments (prod, staging, dev):
//
//   apps/<team>/<app>/base/…              Kustomize base: Deployment (Dapr annotations), Service, ConfigMap
//   apps/<team>/<app>/overlays/<env>/…    overlay: kustomization, Components (multi-document), Configuration,
//                                         SealedSecret or Secret, a strategic-merge patch
//   legacy/<env>/<app>.yaml               apps deployed without Kustomize: one multi-document file each
//   clusters/<env>/…                      the entry kustomization of each environment, Flux objects
//   platform/…                            noise real repositories carry: CRDs, Grafana dashboards in YAML
//                                         (structured, and JSON in ConfigMaps), raw dashboard JSON,
//                                         non-Dapr workloads, RBAC, a Helm chart with templates
//
// Violations are planted at known places and counted per rule id while the
// tree is written, so that a benchmark run can check the finding count too.
// Every planted violation sits in a file that exactly one kustomization entry
// point (or none) reaches, so it yields exactly one finding.
//
// Same (apps, seed, GENERATOR_VERSION) → byte-identical tree. Bump
// GENERATOR_VERSION whenever the output changes, so cached corpora are rebuilt.
import fs from 'node:fs';
import path from 'node:path';

export const GENERATOR_VERSION = 4;

export const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
export type Env = (typeof ENVIRONMENTS)[number];

/** Rule ids the generator plants violations of. */
export const PLANTED_RULES = ['DAPR003', 'DAPR101', 'DAPR201', 'DAPR203', 'DAPR301'] as const;
export type PlantedRule = (typeof PLANTED_RULES)[number];

export const SIZES = {
  small: { apps: 12 },
  medium: { apps: 315 },
  large: { apps: 1260 },
} as const;
export type SizeName = keyof typeof SIZES;

export function isSizeName(s: string): s is SizeName {
  return Object.prototype.hasOwnProperty.call(SIZES, s);
}

export interface CorpusOptions {
  apps: number;
  seed: number;
}

export interface CorpusManifest {
  generatorVersion: number;
  apps: number;
  seed: number;
  files: number;
  bytes: number;
  /** Files dapr-policy parses as YAML (.yaml/.yml, and .json manifests). */
  yamlFiles: number;
  /** Planted violations per rule id. */
  planted: Record<PlantedRule, number>;
  /** Root-relative file of every planted violation, per rule id (sorted). */
  plantedFiles: Record<PlantedRule, string[]>;
}

// ---------------------------------------------------------------------------
// Randomness: a small seeded PRNG (sfc32), one stream per app so that a bigger
// corpus shares its first apps with a smaller one of the same seed.

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(key: string) {
    this.a = hash32(`a:${key}`);
    this.b = hash32(`b:${key}`);
    this.c = hash32(`c:${key}`);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a |= 0;
    this.b |= 0;
    this.c |= 0;
    this.d |= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  base64(n: number): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.next() * 64)];
    return s;
  }
  words(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(LOREM));
    return out.join(' ');
  }
}

const LOREM = 'alpha beta gamma delta service request response latency budget cluster node region zone replica shard partition queue topic stream event message payload header token session cache store index table column record batch window metric counter gauge histogram summary label selector filter route path endpoint gateway proxy ingress egress policy rule limit quota burst retry backoff timeout deadline circuit breaker fallback health probe readiness liveness startup rollout canary stable release version build artifact image registry digest manifest overlay base patch config setting option feature flag toggle default override scope tenant account customer order invoice payment refund ledger balance transfer currency price discount coupon cart checkout shipment parcel carrier warehouse stock item product catalog search ranking review rating profile identity user group role permission audit trace span sample export collector pipeline processor exporter receiver storage volume claim snapshot backup restore archive bucket object blob file folder document schema field value type format encoding compression checksum signature certificate issuer subject expiry rotation secret vault key store provider adapter driver client server worker scheduler controller operator reconciler watcher informer lister handler callback hook plugin module package bundle chart template values release namespace deployment daemon stateful job cron task step stage phase status condition reason message ready available progressing degraded healthy pending running succeeded failed unknown primary secondary standby leader follower election lease lock mutex semaphore channel buffer pool thread process memory cpu disk network socket port address host domain name dns record weight priority order sequence offset cursor page size total count'.split(' ');

// ---------------------------------------------------------------------------
// A tiny YAML emitter for plain data: maps, lists, strings, numbers, booleans.
// Strings are plain when that is unambiguous, else double-quoted (JSON escaping
// is valid YAML). Numbers and booleans are written unquoted: that is how the
// planted DAPR003 violations get their unquoted annotation values.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };
type YamlMap = { [key: string]: YamlValue };

const YAML11_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~']);
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_ ./()+-]*$/;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (PLAIN.test(v) && !YAML11_WORDS.has(v.toLowerCase()) && !v.endsWith(' ') && !v.includes(' #') && !v.includes(': ')) return v;
  return JSON.stringify(v);
}

function isMapValue(v: YamlValue): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyText(k: string): string {
  return PLAIN.test(k) && !YAML11_WORDS.has(k.toLowerCase()) ? k : JSON.stringify(k);
}

function emit(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isMapValue(item) && Object.keys(item).length > 0) {
        const sub: string[] = [];
        emit(item, indent + '  ', sub);
        sub[0] = `${indent}- ${sub[0].slice(indent.length + 2)}`;
        out.push(...sub);
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        emit(item, indent + '  ', out);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  if (isMapValue(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (isMapValue(val) && Object.keys(val).length > 0) {
        out.push(`${indent}${keyText(k)}:`);
        emit(val, indent + '  ', out);
      } else if (Array.isArray(val) && val.length > 0) {
        out.push(`${indent}${keyText(k)}:`);
        emit(val, indent, out);
      } else if (typeof val === 'string' && val.includes('\n')) {
        out.push(`${indent}${keyText(k)}: |`);
        const body = val.endsWith('\n') ? val.slice(0, -1) : val;
        for (const line of body.split('\n')) out.push(line === '' ? '' : `${indent}  ${line}`);
      } else {
        out.push(`${indent}${keyText(k)}: ${inline(val)}`);
      }
    }
    return;
  }
  out.push(indent + inline(v));
}

function inline(v: YamlValue): string {
  if (Array.isArray(v)) return '[]';
  if (isMapValue(v)) return '{}';
  return scalar(v);
}

export function toYaml(v: YamlValue): string {
  const out: string[] = [];
  emit(v, '', out);
  return out.join('\n') + '\n';
}

/** Several documents in one file, `---` between them, an optional comment on top. */
function multiDoc(docs: YamlValue[], comment?: string): string {
  const head = comment ? `# ${comment}\n` : '';
  return head + docs.map(toYaml).join('---\n');
}

// ---------------------------------------------------------------------------
// The corpus.

const TEAM_WORDS = ['payments', 'checkout', 'catalog', 'identity', 'search', 'fulfil', 'logistics', 'billing', 'growth', 'platform', 'data', 'mobile', 'support', 'risk', 'ledger', 'content'];
const APP_NOUNS = ['orders', 'cart', 'invoice', 'pricing', 'users', 'session', 'stock', 'shipment', 'refund', 'review', 'coupon', 'notify', 'ledger', 'report', 'audit', 'profile', 'quote', 'tax', 'wallet', 'label'];
const APP_ROLES = ['api', 'worker', 'svc', 'gateway', 'processor', 'sync', 'scheduler', 'consumer'];
const TEAM_SIZE = 12;

interface App {
  index: number;
  name: string;
  team: string;
  style: 'kustomize' | 'legacy';
  rng: Rng;
  /** App-ids of the other apps of the team: they run in the same namespaces. */
  peers: string[];
}

class Writer {
  files = 0;
  bytes = 0;
  yamlFiles = 0;
  constructor(readonly root: string) {}
  write(rel: string, content: string): void {
    const abs = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const buf = Buffer.from(content, 'utf8');
    fs.writeFileSync(abs, buf);
    this.files++;
    this.bytes += buf.length;
    if (/\.ya?ml$/.test(rel) || (rel.endsWith('.json') && /"(apiVersion|services|apps)"/.test(content))) this.yamlFiles++;
  }
}

class Plants {
  readonly counts: Record<PlantedRule, number> = { DAPR003: 0, DAPR101: 0, DAPR201: 0, DAPR203: 0, DAPR301: 0 };
  readonly files: Record<PlantedRule, string[]> = { DAPR003: [], DAPR101: [], DAPR201: [], DAPR203: [], DAPR301: [] };
  add(rule: PlantedRule, file: string): void {
    this.counts[rule]++;
    this.files[rule].push(file);
  }
}

/** Rates of planted violations, per (app, environment). */
const RATE = { unscoped: 0.08, plaintext: 0.06, committedSecret: 0.05, unquoted: 0.15, publicListen: 0.12 };

function teamOf(i: number, seed: number): string {
  const t = Math.floor(i / TEAM_SIZE);
  const word = TEAM_WORDS[hash32(`team:${seed}:${t}`) % TEAM_WORDS.length];
  return `${word}-${t.toString().padStart(3, '0')}`;
}

function appOf(i: number, seed: number): App {
  const rng = new Rng(`${seed}:app:${i}`);
  const name = `${rng.pick(APP_NOUNS)}-${rng.pick(APP_ROLES)}-${i.toString().padStart(4, '0')}`;
  return { index: i, name, team: teamOf(i, seed), style: i % 3 === 2 ? 'legacy' : 'kustomize', rng, peers: [] };
}

function namespaceOf(app: App, env: Env): string {
  return `${app.team}-${env}`;
}

function labels(app: App): YamlMap {
  return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': app.team, 'app.kubernetes.io/managed-by': 'kustomize' };
}

function daprAnnotations(app: App, opts: { unquotedPort: boolean; publicListen: boolean }): YamlMap {
  const a: YamlMap = {
    'dapr.io/enabled': 'true',
    'dapr.io/app-id': app.name,
    // DAPR003: an unquoted number, which the API server rejects.
    'dapr.io/app-port': opts.unquotedPort ? 8080 : '8080',
    'dapr.io/config': `${app.name}-config`,
    'dapr.io/enable-api-logging': 'true',
    'dapr.io/log-level': 'info',
    'dapr.io/sidecar-cpu-request': '50m',
    'dapr.io/sidecar-memory-request': '64Mi',
    'dapr.io/sidecar-memory-limit': '256Mi',
    'dapr.io/disable-builtin-k8s-secret-store': 'true',
  };
  if (opts.publicListen) a['dapr.io/sidecar-listen-addresses'] = '0.0.0.0'; // DAPR301
  return a;
}

function container(app: App, rng: Rng): YamlMap {
  const env: YamlValue[] = [];
  const n = rng.int(6, 24);
  for (let i = 0; i < n; i++) {
    const key = `${rng.pick(['FEATURE', 'CACHE', 'HTTP', 'DB', 'QUEUE', 'LOG', 'OTEL', 'RETRY'])}_${rng.pick(['TIMEOUT', 'SIZE', 'LEVEL', 'ENABLED', 'ENDPOINT', 'MODE', 'LIMIT', 'NAME'])}_${i}`;
    env.push({ name: key, value: rng.pick(['true', 'false', String(rng.int(1, 5000)), rng.pick(APP_NOUNS), `http://${rng.pick(APP_NOUNS)}.svc:8080`]) });
  }
  env.push({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  return {
    name: app.name,
    image: `ghcr.io/example/${app.name}:1.${rng.int(0, 40)}.${rng.int(0, 9)}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
    env,
    envFrom: [{ configMapRef: { name: `${app.name}-settings` } }],
    resources: { requests: { cpu: `${rng.int(1, 8) * 50}m`, memory: `${rng.int(1, 8) * 64}Mi` }, limits: { memory: `${rng.int(4, 16) * 64}Mi` } },
    readinessProbe: { httpGet: { path: '/healthz/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/healthz/live', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 20 },
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'settings', mountPath: '/etc/app', readOnly: true }],
  };
}

function deployment(app: App, rng: Rng, opts: { namespace?: string; unquotedPort: boolean; publicListen: boolean }): YamlMap {
  const metadata: YamlMap = { name: app.name, labels: labels(app) };
  if (opts.namespace) metadata.namespace = opts.namespace;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: rng.int(1, 4),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: labels(app), annotations: { ...daprAnnotations(app, opts), 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
        spec: {
          serviceAccountName: app.name,
          securityContext: { fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container(app, rng)],
          volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'settings', configMap: { name: `${app.name}-settings` } }],
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': app.name } } } }] } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': app.name } } }],
        },
      },
    },
  };
}

function service(app: App, namespace?: string): YamlMap {
  const metadata: YamlMap = { name: app.name, labels: labels(app) };
  if (namespace) metadata.namespace = namespace;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': app.name }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'metrics', port: 9090, targetPort: 'metrics' }] },
  };
}

/** Application settings: mostly small, sometimes a large file of properties or JSON. */
function settingsConfigMap(app: App, rng: Rng, namespace?: string): YamlMap {
  const metadata: YamlMap = { name: `${app.name}-settings`, labels: labels(app) };
  if (namespace) metadata.namespace = namespace;
  const data: YamlMap = { LOG_FORMAT: 'json', REGION: rng.pick(['eu-west-1', 'us-east-1', 'ap-south-1']) };
  const big = rng.chance(0.3);
  if (big) {
    // A large ConfigMap: many keys, and an embedded properties file.
    const keys = rng.int(300, 2500);
    for (let i = 0; i < keys; i++) data[`${rng.pick(APP_NOUNS)}.${rng.pick(LOREM)}.${i}`] = rng.chance(0.5) ? rng.words(rng.int(1, 6)) : String(rng.int(0, 100000));
    const lines: string[] = [];
    const props = rng.int(500, 4000);
    for (let i = 0; i < props; i++) lines.push(`${rng.pick(LOREM)}.${rng.pick(LOREM)}.${i}=${rng.words(rng.int(1, 8))}`);
    data['application.properties'] = lines.join('\n') + '\n';
  } else {
    for (let i = 0; i < rng.int(5, 30); i++) data[`KEY_${i}`] = rng.words(rng.int(1, 4));
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

interface ComponentPlan {
  unscoped: boolean;
  plaintext: boolean;
}

function components(app: App, rng: Rng, plan: ComponentPlan, namespace?: string): YamlMap[] {
  const meta = (name: string): YamlMap => (namespace ? { name, namespace, labels: labels(app) } : { name, labels: labels(app) });
  const scopes = [app.name];
  const statestore: YamlMap = {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: meta(`${app.name}-statestore`),
    spec: {
      type: 'state.redis',
      version: 'v1',
      metadata: [
        { name: 'redisHost', value: `redis-${app.team}.${app.team}-data.svc.cluster.local:6379` },
        // DAPR201: a literal password instead of a secretKeyRef.
        plan.plaintext ? { name: 'redisPassword', value: `Pw${rng.base64(18)}` } : { name: 'redisPassword', secretKeyRef: { name: `${app.name}-redis`, key: 'redis-password' } },
        { name: 'enableTLS', value: 'true' },
        { name: 'keyPrefix', value: 'appid' },
        { name: 'actorStateStore', value: rng.chance(0.3) ? 'true' : 'false' },
      ],
    },
    scopes,
  };
  const pubsub: YamlMap = {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: meta(`${app.name}-pubsub`),
    spec: {
      type: 'pubsub.kafka',
      version: 'v1',
      metadata: [
        { name: 'brokers', value: `kafka-0.kafka.${app.team}-data.svc:9093,kafka-1.kafka.${app.team}-data.svc:9093` },
        { name: 'consumerGroup', value: app.name },
        { name: 'authType', value: 'mtls' },
        { name: 'caCert', secretKeyRef: { name: `${app.name}-kafka`, key: 'ca.crt' } },
        { name: 'clientCert', secretKeyRef: { name: `${app.name}-kafka`, key: 'tls.crt' } },
        { name: 'clientKey', secretKeyRef: { name: `${app.name}-kafka`, key: 'tls.key' } },
      ],
    },
  };
  // DAPR101: no scopes at all.
  if (!plan.unscoped) pubsub.scopes = scopes;
  const out = [statestore, pubsub];
  if (rng.chance(0.4)) {
    out.push({
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Component',
      metadata: meta(`${app.name}-cron`),
      spec: { type: 'bindings.cron', version: 'v1', metadata: [{ name: 'schedule', value: '@every 15m' }, { name: 'direction', value: 'input' }] },
      scopes,
    });
  }
  return out;
}

function configuration(app: App, rng: Rng, namespace: string, declare: boolean): YamlMap {
  const withAcl = rng.chance(0.5) && app.peers.length > 0;
  const metadata: YamlMap = { name: `${app.name}-config`, labels: labels(app) };
  if (declare) metadata.namespace = namespace;
  return {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Configuration',
    metadata,
    spec: {
      tracing: { samplingRate: rng.pick(['0.1', '0.01', '1']), otel: { endpointAddress: 'otel-collector.observability.svc:4317', isSecure: true, protocol: 'grpc' } },
      metric: { enabled: true },
      secrets: { scopes: [{ storeName: 'kubernetes', defaultAccess: 'deny', allowedSecrets: [`${app.name}-redis`] }] },
      ...(withAcl
        ? {
            accessControl: {
              defaultAction: 'deny',
              trustDomain: 'public',
              policies: [{ appId: rng.pick(app.peers), defaultAction: 'allow', trustDomain: 'public', namespace, operations: [{ name: '/api/*', httpVerb: ['GET', 'POST'], action: 'allow' }] }],
            },
          }
        : {}),
    },
  };
}

interface SecretPlan {
  committed: boolean;
}

function secrets(app: App, rng: Rng, plan: SecretPlan, namespace?: string): YamlMap[] {
  const meta = (name: string): YamlMap => (namespace ? { name, namespace } : { name });
  const redis: YamlMap = plan.committed
    ? // DAPR203: a Kubernetes Secret with its values committed.
      { apiVersion: 'v1', kind: 'Secret', metadata: meta(`${app.name}-redis`), type: 'Opaque', data: { 'redis-password': Buffer.from(`R${rng.base64(20)}`).toString('base64') } }
    : {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: meta(`${app.name}-redis`),
        spec: { encryptedData: { 'redis-password': rng.base64(rng.int(400, 700)) }, template: { metadata: meta(`${app.name}-redis`), type: 'Opaque' } },
      };
  const kafka: YamlMap = {
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: meta(`${app.name}-kafka`),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: `${app.name}-kafka` },
      data: ['ca.crt', 'tls.crt', 'tls.key'].map((k) => ({ secretKey: k, remoteRef: { key: `kafka/${app.team}/${app.name}`, property: k } })),
    },
  };
  return [redis, kafka];
}

function kustomizeApp(w: Writer, plants: Plants, app: App): void {
  const rng = app.rng;
  const dir = `apps/${app.team}/${app.name}`;
  w.write(`${dir}/base/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['deployment.yaml', 'service.yaml', 'configmap.yaml'], labels: [{ pairs: { 'app.kubernetes.io/part-of': app.team } }] }));
  w.write(`${dir}/base/deployment.yaml`, toYaml(deployment(app, rng, { unquotedPort: false, publicListen: false })));
  w.write(`${dir}/base/service.yaml`, toYaml(service(app)));
  w.write(`${dir}/base/configmap.yaml`, toYaml(settingsConfigMap(app, rng)));
  for (const env of ENVIRONMENTS) {
    const od = `${dir}/overlays/${env}`;
    const forced = app.index === 0;
    const plan: ComponentPlan = { unscoped: rng.chance(RATE.unscoped) || (forced && env === 'dev'), plaintext: rng.chance(RATE.plaintext) || (forced && env === 'prod') };
    const secretPlan: SecretPlan = { committed: rng.chance(RATE.committedSecret) || (forced && env === 'staging') };
    w.write(
      `${od}/kustomization.yaml`,
      toYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: namespaceOf(app, env),
        resources: ['../../base', 'components.yaml', 'configuration.yaml', 'secrets.yaml'],
        patches: [{ path: 'replicas-patch.yaml', target: { kind: 'Deployment', name: app.name } }],
        images: [{ name: `ghcr.io/example/${app.name}`, newTag: `1.${rng.int(0, 40)}.${rng.int(0, 9)}` }],
      }),
    );
    w.write(`${od}/components.yaml`, multiDoc(components(app, rng, plan), `Dapr components of ${app.name} in ${env}`));
    if (plan.unscoped) plants.add('DAPR101', `${od}/components.yaml`);
    if (plan.plaintext) plants.add('DAPR201', `${od}/components.yaml`);
    w.write(`${od}/configuration.yaml`, toYaml(configuration(app, rng, namespaceOf(app, env), false)));
    w.write(`${od}/secrets.yaml`, multiDoc(secrets(app, rng, secretPlan)));
    if (secretPlan.committed) plants.add('DAPR203', `${od}/secrets.yaml`);
    w.write(
      `${od}/replicas-patch.yaml`,
      toYaml({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app.name }, spec: { replicas: env === 'prod' ? rng.int(3, 12) : 1, template: { spec: { containers: [{ name: app.name, resources: { limits: { memory: `${rng.int(4, 32) * 64}Mi` } } }] } } } }),
    );
  }
}

function legacyApp(w: Writer, plants: Plants, app: App): void {
  const rng = app.rng;
  for (const env of ENVIRONMENTS) {
    const ns = namespaceOf(app, env);
    const file = `legacy/${env}/${app.name}.yaml`;
    const forced = app.index === 2;
    const unquotedPort = rng.chance(RATE.unquoted) || (forced && env === 'prod');
    const publicListen = rng.chance(RATE.publicListen) || (forced && env === 'staging');
    const plan: ComponentPlan = { unscoped: rng.chance(RATE.unscoped), plaintext: rng.chance(RATE.plaintext) };
    const docs: YamlValue[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app.name, namespace: ns } },
      deployment(app, rng, { namespace: ns, unquotedPort, publicListen }),
      service(app, ns),
      ...components(app, rng, plan, ns),
      configuration(app, rng, ns, true),
      ...secrets(app, rng, { committed: false }, ns),
    ];
    w.write(file, multiDoc(docs, `${app.name} (${env}): applied by the legacy pipeline, no kustomize`));
    if (unquotedPort) plants.add('DAPR003', file);
    if (publicListen) plants.add('DAPR301', file);
    if (plan.unscoped) plants.add('DAPR101', file);
    if (plan.plaintext) plants.add('DAPR201', file);
    if (rng.chance(0.5)) w.write(`legacy/${env}/${app.name}-settings.yaml`, toYaml(settingsConfigMap(app, rng, ns)));
  }
}

// --- noise -------------------------------------------------------------------

function grafanaDashboard(rng: Rng, title: string, targetBytes: number): YamlMap {
  const panels: YamlValue[] = [];
  let size = 0;
  for (let id = 1; size < targetBytes; id++) {
    const panel: YamlMap = {
      id,
      type: rng.pick(['timeseries', 'stat', 'gauge', 'table', 'heatmap', 'bargauge']),
      title: rng.words(rng.int(2, 5)),
      description: rng.words(rng.int(5, 25)),
      gridPos: { h: rng.int(4, 10), w: rng.pick([6, 8, 12, 24]), x: rng.pick([0, 6, 8, 12]), y: id * 8 },
      datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      targets: Array.from({ length: rng.int(1, 4) }, (_, i) => ({
        expr: `sum(rate(http_server_requests_seconds_count{app="${rng.pick(APP_NOUNS)}",status=~"5.."}[5m])) by (${rng.pick(['pod', 'instance', 'route', 'method'])})`,
        legendFormat: `{{${rng.pick(['pod', 'route', 'method'])}}}`,
        refId: String.fromCharCode(65 + i),
        interval: '',
      })),
      fieldConfig: {
        defaults: {
          unit: rng.pick(['short', 'percent', 's', 'ms', 'bytes', 'reqps']),
          decimals: rng.int(0, 3),
          color: { mode: 'palette-classic' },
          thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: rng.int(50, 80) }, { color: 'red', value: rng.int(80, 100) }] },
          custom: { lineWidth: 1, fillOpacity: rng.int(0, 30), showPoints: 'never', spanNulls: false, axisPlacement: 'auto' },
        },
        overrides: [],
      },
      options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    };
    size += JSON.stringify(panel).length * 1.1;
    panels.push(panel);
  }
  return {
    title,
    uid: rng.hex(9),
    editable: false,
    schemaVersion: 39,
    version: rng.int(1, 90),
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    tags: [rng.pick(TEAM_WORDS), 'generated'],
    templating: { list: [{ name: 'namespace', type: 'query', query: 'label_values(kube_pod_info, namespace)', refresh: 2, multi: true, includeAll: true }] },
    panels,
  };
}

function dashboards(w: Writer, app: App, seed: number): void {
  const rng = new Rng(`${seed}:dashboard:${app.index}`);
  const target = rng.int(16, 140) * 1024;
  const title = `${app.name} overview`;
  const board = grafanaDashboard(rng, title, target);
  const file = `platform/monitoring/dashboards/${app.team}/${app.name}.yaml`;
  if (rng.chance(0.5)) {
    // grafana-operator: the dashboard as structured YAML.
    w.write(file, toYaml({ apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: app.name, namespace: 'monitoring' }, spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, folder: app.team, model: board } }));
  } else {
    // The sidecar pattern: the dashboard JSON inside a ConfigMap.
    w.write(file, toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `dashboard-${app.name}`, namespace: 'monitoring', labels: { grafana_dashboard: '1' } }, data: { [`${app.name}.json`]: JSON.stringify(board, null, 2) + '\n' } }));
  }
  if (rng.chance(0.25)) {
    // A raw dashboard export: JSON that is not a Kubernetes manifest.
    w.write(`platform/monitoring/json/${app.name}.json`, JSON.stringify(board, null, 2) + '\n');
  }
}

function schemaNode(rng: Rng, depth: number, budget: { left: number }): YamlMap {
  const type = depth >= 4 || budget.left <= 0 ? rng.pick(['string', 'integer', 'boolean', 'string']) : rng.pick(['object', 'object', 'array', 'string', 'integer']);
  const description = rng.words(rng.int(8, 40));
  budget.left -= description.length + 40;
  if (type === 'object') {
    const properties: YamlMap = {};
    const n = rng.int(2, 9);
    for (let i = 0; i < n && budget.left > 0; i++) properties[`${rng.pick(LOREM)}${rng.pick(['Ref', 'Spec', 'Name', 'Count', 'Policy', 'Config', 'Mode', ''])}${i}`] = schemaNode(rng, depth + 1, budget);
    return { description, type, properties };
  }
  if (type === 'array') return { description, type, items: schemaNode(rng, depth + 1, budget) };
  const leaf: YamlMap = { description, type };
  if (type === 'string' && rng.chance(0.3)) leaf.enum = [rng.pick(LOREM), rng.pick(LOREM), rng.pick(LOREM)];
  if (type === 'integer') leaf.format = 'int32';
  return leaf;
}

function crd(rng: Rng, i: number): YamlMap {
  const group = `${rng.pick(['monitoring', 'networking', 'storage', 'policy', 'security', 'batch'])}.${rng.pick(['example.io', 'acme.dev', 'corp.internal'])}`;
  const kind = `${rng.pick(LOREM).replace(/^./, (c) => c.toUpperCase())}${rng.pick(['Policy', 'Route', 'Claim', 'Monitor', 'Backup', 'Rule'])}${i}`;
  const plural = `${kind.toLowerCase()}s`;
  const budget = { left: rng.int(60, 400) * 1024 };
  const spec = schemaNode(rng, 0, budget);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, annotations: { 'controller-gen.kubebuilder.io/version': 'v0.14.0' } },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec } } } }],
    },
  };
}

function infraForTeam(w: Writer, team: string, seed: number): void {
  const rng = new Rng(`${seed}:infra:${team}`);
  for (const env of ENVIRONMENTS) {
    const ns = `${team}-data`;
    const redis: YamlMap = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: `redis-${team}`, namespace: ns },
      spec: {
        serviceName: 'redis',
        replicas: env === 'prod' ? 3 : 1,
        selector: { matchLabels: { app: 'redis' } },
        template: {
          metadata: { labels: { app: 'redis' } },
          spec: { containers: [{ name: 'redis', image: 'redis:7.2', args: ['--requirepass', '$(REDIS_PASSWORD)'], ports: [{ containerPort: 6379, name: 'redis' }], env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } }] }] },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${rng.int(1, 50)}Gi` } } } }],
      },
    };
    const svc: YamlMap = { apiVersion: 'v1', kind: 'Service', metadata: { name: `redis-${team}`, namespace: ns }, spec: { clusterIP: 'None', selector: { app: 'redis' }, ports: [{ port: 6379, targetPort: 'redis' }] } };
    const pdb: YamlMap = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `redis-${team}`, namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'redis' } } } };
    w.write(`platform/infra/${env}/${team}/redis.yaml`, multiDoc([redis, svc, pdb], 'non-Dapr workload'));
  }
  const rbac: YamlValue[] = [];
  for (const env of ENVIRONMENTS) {
    const ns = `${team}-${env}`;
    rbac.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team, environment: env } } });
    rbac.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${team}-deployer`, namespace: ns }, rules: [{ apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch', 'update', 'patch'] }, { apiGroups: ['dapr.io'], resources: ['components', 'configurations'], verbs: ['get', 'list'] }] });
    rbac.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${team}-deployer`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${team}-deployer` }, subjects: [{ kind: 'Group', name: `${team}-engineers`, apiGroup: 'rbac.authorization.k8s.io' }] });
    rbac.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  }
  w.write(`platform/rbac/${team}.yaml`, multiDoc(rbac, `namespaces and RBAC of team ${team}`));
}

function ingressController(env: Env): YamlValue[] {
  const ns = 'ingress-nginx';
  const docs: YamlValue[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
  for (const name of ['ingress-nginx', 'ingress-nginx-admission']) {
    docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
    docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [{ apiGroups: [''], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] }, { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] }] });
    docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }] });
  }
  docs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: ns }, data: { 'allow-snippet-annotations': 'false', 'use-forwarded-headers': 'true' } });
  docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ingress-nginx-controller', namespace: ns }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 'https' }] } });
  docs.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingress-nginx-controller', namespace: ns },
    spec: {
      replicas: env === 'prod' ? 3 : 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        spec: { serviceAccountName: 'ingress-nginx', containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.10.0', args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader'], ports: [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }] }] },
      },
    },
  });
  docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  return docs;
}

function platform(w: Writer, apps: App[], seed: number): void {
  const rng = new Rng(`${seed}:platform`);
  const teams = [...new Set(apps.map((a) => a.team))];
  for (const team of teams) infraForTeam(w, team, seed);
  const crds = Math.max(2, Math.round(apps.length / 15));
  for (let i = 0; i < crds; i++) {
    const c = crd(new Rng(`${seed}:crd:${i}`), i);
    w.write(`platform/crds/${(c.metadata as YamlMap).name as string}.yaml`, toYaml(c));
  }
  for (const env of ENVIRONMENTS) {
    w.write(`platform/ingress-nginx/${env}/ingress-nginx.yaml`, multiDoc(ingressController(env), 'vendored ingress-nginx manifests'));
    // The entry kustomization of the environment: every overlay of it.
    const overlays = apps.filter((a) => a.style === 'kustomize').map((a) => `../../apps/${a.team}/${a.name}/overlays/${env}`);
    w.write(`clusters/${env}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: overlays }));
    w.write(
      `clusters/${env}/flux-system/gotk-sync.yaml`,
      multiDoc([
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, url: 'ssh://git@example.com/org/gitops' } },
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { interval: '10m0s', path: `./clusters/${env}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } },
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'legacy', namespace: 'flux-system' }, spec: { interval: '10m0s', path: `./legacy/${env}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } },
      ]),
    );
  }
  // A Helm chart: templates are kept as text, values are YAML.
  w.write('charts/common/Chart.yaml', toYaml({ apiVersion: 'v2', name: 'common', version: '0.3.1', description: 'Shared templates' }));
  w.write('charts/common/values.yaml', toYaml({ replicaCount: 1, image: { repository: 'ghcr.io/example/common', tag: 'latest' }, service: { type: 'ClusterIP', port: 80 } }));
  w.write('charts/common/templates/deployment.yaml', '{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "common.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n{{- end }}\n');
  w.write('charts/common/templates/_helpers.tpl', '{{- define "common.fullname" -}}\n{{ .Release.Name }}-{{ .Chart.Name }}\n{{- end }}\n');
  // CI and tooling files that are YAML or JSON but no manifests.
  w.write('.github/workflows/ci.yaml', toYaml({ name: 'ci', on: { pull_request: { branches: ['main'] } }, jobs: { validate: { 'runs-on': 'ubuntu-latest', steps: [{ uses: 'actions/checkout@v4' }, { run: 'kustomize build clusters/prod > /dev/null' }] } } }));
  w.write('renovate.json', JSON.stringify({ extends: ['config:recommended'], kubernetes: { fileMatch: ['\\.ya?ml$'] }, labels: ['deps', rng.pick(TEAM_WORDS)] }, null, 2) + '\n');
  w.write(
    'rules.config.json',
    JSON.stringify({ environments: { production: { namespaces: ['*-prod'] }, 'non-production': { namespaces: ['*-staging', '*-dev'] } } }, null, 2) + '\n',
  );
  w.write('README.md', '# gitops\n\nSynthetic GitOps monorepo generated by dapr-policy bench/corpus.ts.\n');
}

/** Writes the corpus into `dir` (which must not exist or be empty) and returns what it planted. */
export function generateCorpus(dir: string, opts: CorpusOptions): CorpusManifest {
  if (!Number.isInteger(opts.apps) || opts.apps < 1) throw new Error(`apps must be a positive integer, got ${opts.apps}`);
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  const w = new Writer(dir);
  const plants = new Plants();
  const apps: App[] = [];
  for (let i = 0; i < opts.apps; i++) apps.push(appOf(i, opts.seed));
  for (const app of apps) app.peers = apps.filter((a) => a.team === app.team && a !== app).map((a) => a.name);
  for (const app of apps) {
    if (app.style === 'kustomize') kustomizeApp(w, plants, app);
    else legacyApp(w, plants, app);
    dashboards(w, app, opts.seed);
  }
  platform(w, apps, opts.seed);
  const plantedFiles = { ...plants.files };
  for (const rule of PLANTED_RULES) plantedFiles[rule] = [...plantedFiles[rule]].sort();
  return { generatorVersion: GENERATOR_VERSION, apps: opts.apps, seed: opts.seed, files: w.files, bytes: w.bytes, yamlFiles: w.yamlFiles, planted: { ...plants.counts }, plantedFiles };
}

/**
 * The corpus of a size and seed in the cache folder, generated when it is
 * missing or was made by another generator version. The manifest is written
 * beside the tree (not in it), last, so a half-written tree is never reused.
 */
export function ensureCorpus(cacheRoot: string, size: SizeName, seed: number, log: (msg: string) => void = () => {}): { dir: string; manifest: CorpusManifest; reused: boolean } {
  const dir = path.join(cacheRoot, `${size}-${seed}`);
  const manifestFile = `${dir}.manifest.json`;
  if (fs.existsSync(manifestFile) && fs.existsSync(dir)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as CorpusManifest;
    if (manifest.generatorVersion === GENERATOR_VERSION && manifest.apps === SIZES[size].apps && manifest.seed === seed) return { dir, manifest, reused: true };
  }
  fs.rmSync(manifestFile, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  log(`generating the ${size} corpus (${SIZES[size].apps} apps, seed ${seed}) into ${dir} …`);
  const manifest = generateCorpus(dir, { apps: SIZES[size].apps, seed });
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { dir, manifest, reused: false };
}
