// bench/soak: one scan of a generated 100,000-file repository, to show that a
// repository of that size is scanned to the end (no crash, no exhausted heap)
// and what it costs. Measurement only: it asserts nothing but completion.
//
//   node scripts/run-ts.mjs bench/soak.ts [--files 100000] [--keep]
//
// The tree is written under the system's temporary folder: 1,000 namespace
// folders of 100 files (30 Deployments with Dapr annotations, 30 Services, 20
// Components, 10 Subscriptions, 5 Configurations, 5 Secrets), one document a
// file, with the usual mistakes (unscoped Components, exposed sidecars,
// plaintext credentials) so that every stage has work. The scan runs in a
// child process, as the CLI would (invokeScan, then the SARIF formatter), so
// its peak RSS is the scan's alone; the parent prints time, peak RSS,
// results and notifications as one JSON line and a Markdown row.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invokeScan, reportInput } from '../src/invoke.js';
import { formatSarif } from '../src/report/sarif.js';

interface SoakResult {
  files: number;
  bytes: number;
  seconds: number;
  peakRssMiB: number;
  results: number;
  notifications: number;
  executionSuccessful: boolean;
  sarifMiB: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const PER_FOLDER = { deployment: 30, service: 30, component: 20, subscription: 10, configuration: 5, secret: 5 } as const;

function doc(kind: keyof typeof PER_FOLDER, ns: string, i: number): string {
  const app = `app-${i}`;
  switch (kind) {
    case 'deployment':
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${app} }
  template:
    metadata:
      labels: { app: ${app} }
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: ${app}
        dapr.io/app-port: "8080"
        dapr.io/config: config-${i % PER_FOLDER.configuration}
${i % 7 === 0 ? '        dapr.io/sidecar-listen-addresses: "0.0.0.0"\n' : ''}${i % 11 === 0 ? `        dapr.io/env: "DB_PASSWORD=pw-${ns}-${i}"\n` : ''}    spec:
      containers:
      - name: ${app}
        image: registry.example.com/${app}:1.${i}
        ports: [{ name: http, containerPort: 8080 }]
`;
    case 'service':
      return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  type: ${i % 13 === 0 ? 'LoadBalancer' : 'ClusterIP'}
  selector: { app: ${app} }
  ports:
  - { name: http, port: 80, targetPort: 8080 }
${i % 13 === 0 ? '  - { name: dapr, port: 3500, targetPort: 3500 }\n' : ''}`;
    case 'component':
      return `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: store-${i}
  namespace: ${ns}
spec:
  type: ${i % 2 === 0 ? 'state.redis' : 'pubsub.redis'}
  version: v1
  metadata:
  - name: redisHost
    value: redis-${i}.${ns}.svc.cluster.local:6379
  - name: redisPassword
${i % 5 === 0 ? `    value: pw-${ns}-${i}\n` : `    secretKeyRef: { name: secret-${i % PER_FOLDER.secret}, key: password }\n`}  - name: enableTLS
    value: "${i % 3 === 0 ? 'false' : 'true'}"
${i % 4 === 0 ? '' : `scopes: [app-${i}, app-${i + 1}]\n`}`;
    case 'subscription':
      return `apiVersion: dapr.io/v2alpha1
kind: Subscription
metadata:
  name: sub-${i}
  namespace: ${ns}
spec:
  pubsubname: store-${2 * i + 1}
  topic: topic-${i}
  routes: { default: /events/${i} }
scopes: [app-${i}]
`;
    case 'configuration':
      return `apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata:
  name: config-${i}
  namespace: ${ns}
spec:
  mtls: { enabled: true }
  accessControl:
    defaultAction: ${i % 2 === 0 ? 'deny' : 'allow'}
    trustDomain: public
    policies:
    - { appId: app-${i}, defaultAction: allow, namespace: ${ns} }
`;
    case 'secret':
      return `apiVersion: v1
kind: Secret
metadata:
  name: secret-${i}
  namespace: ${ns}
type: Opaque
data:
  password: ${Buffer.from(`pw-${ns}-${i}`).toString('base64')}
`;
  }
}

/** Writes the tree; returns its root, file count and size. */
function generate(total: number): { root: string; files: number; bytes: number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dapr-policy-soak-'));
  fs.mkdirSync(path.join(root, '.git'));
  const perFolder = Object.values(PER_FOLDER).reduce((a, b) => a + b, 0);
  let files = 0;
  let bytes = 0;
  for (let f = 0; files < total; f++) {
    const ns = `team-${String(f).padStart(4, '0')}`;
    const dir = path.join(root, f % 2 === 0 ? 'production' : 'development', ns);
    fs.mkdirSync(dir, { recursive: true });
    for (const [kind, count] of Object.entries(PER_FOLDER) as Array<[keyof typeof PER_FOLDER, number]>) {
      for (let i = 0; i < count && files < total; i++) {
        const text = doc(kind, ns, i);
        fs.writeFileSync(path.join(dir, `${kind}-${i}.yaml`), text);
        files++;
        bytes += Buffer.byteLength(text);
      }
    }
    if (perFolder === 0) break;
  }
  return { root, files, bytes };
}

/** The child: one scan as the CLI runs it, then its own peak RSS. */
function child(root: string): void {
  const started = performance.now();
  const invoked = invokeScan({ paths: [root], cwd: root, now: '2026-11-28' });
  const sarif = formatSarif(reportInput(invoked), {});
  const seconds = (performance.now() - started) / 1000;
  const out: Omit<SoakResult, 'bytes'> = {
    files: invoked.result.filesScanned,
    seconds: Number(seconds.toFixed(1)),
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024),
    results: invoked.result.results.length,
    notifications: invoked.result.notifications.length,
    executionSuccessful: invoked.result.executionSuccessful,
    sarifMiB: Number((Buffer.byteLength(sarif) / 1024 / 1024).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function parent(): void {
  const total = Number(arg('--files') ?? 100_000);
  const t0 = performance.now();
  const { root, files, bytes } = generate(total);
  process.stderr.write(`soak: wrote ${files} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s under ${root}\n`);
  try {
    const run = spawnSync(process.execPath, [process.argv[1], '--scan', root], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
    if (run.status !== 0) {
      process.stderr.write(`soak: the scan exited with ${run.status ?? run.signal}\n`);
      process.exitCode = 1;
      return;
    }
    const result = { ...(JSON.parse(run.stdout.trim().split('\n').pop() as string) as Omit<SoakResult, 'bytes'>), bytes } satisfies SoakResult;
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(
      `| ${result.files.toLocaleString('en-US')} files, ${(bytes / 1024 / 1024).toFixed(0)} MiB | ${result.seconds} s | ${result.peakRssMiB} MiB | ${result.results.toLocaleString('en-US')} results, ${result.notifications} notifications | Node ${process.versions.node}, ${os.cpus().length} cores |\n`,
    );
    if (!result.executionSuccessful) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(root, { recursive: true, force: true });
  }
}

const scanRoot = arg('--scan');
if (scanRoot) child(scanRoot);
else parent();
