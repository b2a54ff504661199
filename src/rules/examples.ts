// Builders for the YAML of docs examples, so that each rule's examples show
// the one thing that matters instead of forty lines of boilerplate each.

/** A Deployment whose pod template carries `annotations` (already-indented `key: value` lines). */
export function deployment(name: string, annotations: string[], extra: { namespace?: string; podSpec?: string[]; appLabel?: string } = {}): string {
  const label = extra.appLabel ?? name;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(extra.namespace ? [`  namespace: ${extra.namespace}`] : []),
    'spec:',
    '  selector:',
    `    matchLabels: { app: ${label} }`,
    '  template:',
    '    metadata:',
    `      labels: { app: ${label} }`,
    ...(annotations.length ? ['      annotations:', ...annotations.map((a) => `        ${a}`)] : []),
    '    spec:',
    ...(extra.podSpec ?? []).map((l) => `      ${l}`),
    '      containers:',
    `        - name: ${name}`,
    `          image: ghcr.io/example/${name}:1.0.0`,
    '',
  ].join('\n');
}

/** The usual annotations of a Dapr app. */
export function daprAnnotations(appId: string, more: string[] = []): string[] {
  return ['dapr.io/enabled: "true"', `dapr.io/app-id: "${appId}"`, ...more];
}

/** A Component; `body` lines go under `spec:` after type/version, `tail` lines after spec (e.g. scopes). */
export function component(name: string, type: string, opts: { namespace?: string; metadata?: string[]; tail?: string[] } = {}): string {
  return [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    `  type: ${type}`,
    '  version: v1',
    ...(opts.metadata && opts.metadata.length ? ['  metadata:', ...opts.metadata.map((m) => `    ${m}`)] : ['  metadata: []']),
    ...(opts.tail ?? []),
    '',
  ].join('\n');
}

/** A Configuration whose spec is `spec` (lines indented under `spec:`; none writes `spec: {}`). */
export function configuration(name: string, namespace: string | undefined, spec: string[]): string {
  return ['apiVersion: dapr.io/v1alpha1', 'kind: Configuration', 'metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : []), ...(spec.length ? ['spec:', ...spec] : ['spec: {}']), ''].join('\n');
}

export function redisMetadata(): string[] {
  return ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'];
}

/** Joins documents of one file. */
export function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/\n+$/, '\n')).join('---\n');
}
