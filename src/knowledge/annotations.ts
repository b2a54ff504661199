// The pod annotations the Dapr sidecar injector understands, with how it
// parses each value. Source: dapr/dapr pkg/injector/annotations/annotations.go
// and pkg/injector/patcher/sidecar.go (master, 2026-08), summarised in
// dapr-security-facts.md §1. Written by us as data, not copied.

export type AnnotationValueType =
  | 'bool' // kitstrings.IsTruthy: anything that is not truthy is false
  | 'int' // strconv.ParseInt: a value that does not parse is ignored
  | 'string'
  | 'duration' // Go time.ParseDuration
  | 'quantity' // Kubernetes resource quantity
  | 'log-level'
  | 'app-protocol'
  | 'ip-list' // comma-separated IP addresses (listen addresses)
  | 'host' // a host name or IP
  | 'seccomp';

export interface AnnotationSpec {
  type: AnnotationValueType;
  /** Injector default, as daprd sees it when the key is absent. */
  default?: string;
  deprecated?: string;
}

export const DAPR_ANNOTATION_PREFIX = 'dapr.io/';

export const ANNOTATIONS: Readonly<Record<string, AnnotationSpec>> = {
  enabled: { type: 'bool', default: 'false' },
  'app-id': { type: 'string' },
  'app-port': { type: 'int' },
  config: { type: 'string' },
  'app-protocol': { type: 'app-protocol', default: 'http' },
  'app-ssl': { type: 'bool', default: 'false', deprecated: 'deprecated since Dapr 1.11: use dapr.io/app-protocol: https or grpcs' },
  'enable-profiling': { type: 'bool', default: 'false' },
  'log-level': { type: 'log-level', default: 'info' },
  'log-as-json': { type: 'bool', default: 'false' },
  'api-token-secret': { type: 'string' },
  'app-token-secret': { type: 'string' },
  'app-max-concurrency': { type: 'int' },
  'enable-metrics': { type: 'bool', default: 'true' },
  'metrics-port': { type: 'int', default: '9090' },
  'enable-debug': { type: 'bool', default: 'false' },
  'debug-port': { type: 'int', default: '40000' },
  env: { type: 'string' },
  'env-from-secret': { type: 'string' },
  'http-port': { type: 'int', default: '3500' },
  'grpc-port': { type: 'int', default: '50001' },
  'internal-grpc-port': { type: 'int', default: '50002' },
  'sidecar-cpu-request': { type: 'quantity' },
  'sidecar-cpu-limit': { type: 'quantity' },
  'sidecar-memory-request': { type: 'quantity' },
  'sidecar-memory-limit': { type: 'quantity' },
  'sidecar-listen-addresses': { type: 'ip-list', default: '[::1],127.0.0.1' },
  'sidecar-liveness-probe-delay-seconds': { type: 'int' },
  'sidecar-liveness-probe-timeout-seconds': { type: 'int' },
  'sidecar-liveness-probe-period-seconds': { type: 'int' },
  'sidecar-liveness-probe-threshold': { type: 'int' },
  'sidecar-readiness-probe-delay-seconds': { type: 'int' },
  'sidecar-readiness-probe-timeout-seconds': { type: 'int' },
  'sidecar-readiness-probe-period-seconds': { type: 'int' },
  'sidecar-readiness-probe-threshold': { type: 'int' },
  'sidecar-image': { type: 'string' },
  'sidecar-seccomp-profile-type': { type: 'seccomp' },
  'http-max-request-size': { type: 'int' },
  'max-body-size': { type: 'quantity' },
  'http-read-buffer-size': { type: 'int' },
  'read-buffer-size': { type: 'quantity' },
  'graceful-shutdown-seconds': { type: 'int' },
  'block-shutdown-duration': { type: 'duration' },
  'enable-api-logging': { type: 'bool' },
  'unix-domain-socket-path': { type: 'string' },
  'volume-mounts': { type: 'string' },
  'volume-mounts-rw': { type: 'string' },
  'disable-builtin-k8s-secret-store': { type: 'bool', default: 'false' },
  'enable-app-health-check': { type: 'bool', default: 'false' },
  'app-health-check-path': { type: 'string', default: '/healthz' },
  'app-health-probe-interval': { type: 'int' },
  'app-health-probe-timeout': { type: 'int' },
  'app-health-threshold': { type: 'int' },
  'app-binding-options-timeout': { type: 'duration' },
  'placement-host-address': { type: 'string' },
  'actors-disseminate-timeout': { type: 'duration' },
  'scheduler-host-address': { type: 'string' },
  'pluggable-components': { type: 'string' },
  'pluggable-components-sockets-folder': { type: 'string' },
  'component-container': { type: 'string' },
  'inject-pluggable-components': { type: 'bool', default: 'false' },
  'app-channel-address': { type: 'host', default: '127.0.0.1' },
  'sentry-request-jwt-audiences': { type: 'string' },
  'sidecar-svc-annotations': { type: 'string' },
  'disable-init-endpoints': { type: 'string' },
  'enable-native-sidecar': { type: 'bool', default: 'false' },
};

export const KNOWN_ANNOTATION_KEYS: readonly string[] = Object.keys(ANNOTATIONS).map((k) => DAPR_ANNOTATION_PREFIX + k);

const TRUTHY = new Set(['y', 'yes', 'true', 't', 'on', '1']);
const FALSY = new Set(['n', 'no', 'false', 'f', 'off', '0']);

/** daprd's kitstrings.IsTruthy. */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.has(value.trim().toLowerCase());
}

/** A value daprd reads as false on purpose (not a typo). */
export function isFalsy(value: string): boolean {
  return FALSY.has(value.trim().toLowerCase());
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const APP_PROTOCOLS = ['http', 'grpc', 'https', 'grpcs', 'h2c'] as const;
export const SECCOMP_TYPES = ['Unconfined', 'RuntimeDefault', 'Localhost'] as const;

/**
 * Keys people write that the injector does not know, with what they meant:
 * names from before Dapr 1.0 (`dapr.io/id`, `dapr.io/port`) and common
 * near-misses whose edit distance points elsewhere.
 */
export const ANNOTATION_MISTAKES: Readonly<Record<string, string>> = {
  'dapr.io/id': 'dapr.io/app-id',
  'dapr.io/port': 'dapr.io/app-port',
  'dapr.io/protocol': 'dapr.io/app-protocol',
  'dapr.io/max-concurrency': 'dapr.io/app-max-concurrency',
  'dapr.io/ssl': 'dapr.io/app-ssl',
  'dapr.io/profiling': 'dapr.io/enable-profiling',
  'dapr.io/api-token': 'dapr.io/api-token-secret',
  'dapr.io/app-token': 'dapr.io/app-token-secret',
  'dapr.io/listen-addresses': 'dapr.io/sidecar-listen-addresses',
  'dapr.io/sidecar-listen-address': 'dapr.io/sidecar-listen-addresses',
  'dapr.io/api-logging': 'dapr.io/enable-api-logging',
  'dapr.io/enable': 'dapr.io/enabled',
  'dapr.io/configuration': 'dapr.io/config',
};
