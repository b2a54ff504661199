// DAPR005 invalid-annotation-value: a known annotation with a value daprd ignores or misreads.
import net from 'node:net';
import { ANNOTATIONS, APP_PROTOCOLS, type AnnotationSpec, isFalsy, isTruthy, LOG_LEVELS, SECCOMP_TYPES } from '../knowledge/annotations.js';
import { deployment } from './examples.js';
import type { Rule } from './types.js';

const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[+-]?0$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** An IP address as daprd's --dapr-listen-addresses accepts it (IPv6 optionally in brackets). */
export function isIpAddress(s: string): boolean {
  const t = s.trim();
  const bare = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  return net.isIP(bare) !== 0;
}

/** Why `value` is not acceptable for an annotation of this spec, or undefined when it is fine. */
export function invalidReason(spec: AnnotationSpec, value: string): string | undefined {
  const v = value.trim();
  switch (spec.type) {
    case 'bool':
      if (isTruthy(v) || isFalsy(v)) return undefined;
      return `is neither true (y, yes, true, t, on, 1) nor false (n, no, false, f, off, 0): daprd reads it as false`;
    case 'int':
      return /^[+-]?\d+$/.test(v) ? undefined : `is not an integer: the injector ignores it${spec.default ? ` and keeps the default ${spec.default}` : ''}`;
    case 'log-level':
      return (LOG_LEVELS as readonly string[]).includes(v.toLowerCase()) ? undefined : `is not a log level (${LOG_LEVELS.join(', ')})`;
    case 'app-protocol':
      return (APP_PROTOCOLS as readonly string[]).includes(v.toLowerCase()) ? undefined : `is not an app protocol (${APP_PROTOCOLS.join(', ')})`;
    case 'ip-list': {
      const bad = v.split(',').filter((a) => !isIpAddress(a));
      return bad.length === 0 ? undefined : `contains ${bad.map((b) => `"${b.trim()}"`).join(', ')}, which is not an IP address: daprd fails to listen`;
    }
    case 'duration':
      return GO_DURATION.test(v) ? undefined : 'is not a Go duration (such as 30s, 5m or 1h30m)';
    case 'quantity':
      return QUANTITY.test(v) ? undefined : 'is not a Kubernetes quantity (such as 100m, 256Mi or 4Mi)';
    case 'seccomp':
      return (SECCOMP_TYPES as readonly string[]).includes(v) ? undefined : `is not a seccomp profile type (${SECCOMP_TYPES.join(', ')})`;
    default:
      return undefined;
  }
}

export const rule: Rule = {
  meta: {
    id: 'DAPR005',
    name: 'invalid-annotation-value',
    shortDescription: 'A Dapr annotation has a value that daprd ignores or misreads.',
    fullDescription:
      'Reports a known `dapr.io/*` pod annotation whose value daprd will not read as meant: a boolean that is neither truthy (`y`, `yes`, `true`, `t`, `on`, `1`) nor false (`n`, `no`, `false`, `f`, `off`, `0`), an integer that does not parse, a `log-level` outside debug/info/warn/error, an `app-protocol` outside http/grpc/https/grpcs/h2c, a listen address that is not an IP, a duration or quantity that does not parse, or an unknown seccomp profile type.',
    levels: { default: 'error' },
    securitySeverity: 5.0,
    tags: ['security', 'correctness', 'annotations'],
    precision: 'very-high',
    docs: {
      why: 'The injector does not reject bad values: a boolean that is not truthy becomes false (`dapr.io/enabled: "enable"` means no sidecar, `dapr.io/disable-builtin-k8s-secret-store: "ture"` leaves the store on), and an integer that does not parse is dropped in favour of the default. The workload deploys and quietly does something else.',
      fix: 'Use a value of the documented form: `"true"`/`"false"` for switches, a plain number for ports, an IP list such as `"127.0.0.1"` for listen addresses.',
      incorrect: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "enable"', 'dapr.io/app-id: task-api', 'dapr.io/app-port: "8000/tcp"', 'dapr.io/sidecar-listen-addresses: "localhost"']),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-id: task-api', 'dapr.io/app-port: "8000"', 'dapr.io/sidecar-listen-addresses: "127.0.0.1"']),
          },
        },
      ],
      notes: ['A value that is not a YAML string is DAPR003\'s finding; this rule reads it by its text, as daprd would once it is quoted.'],
    },
  },
  check({ model, report }) {
    for (const a of model.apps) {
      if (a.app.source !== 'kubernetes' || !a.app.pod) continue;
      for (const ann of a.app.pod.annotations.values()) {
        if (!ann.key.startsWith('dapr.io/')) continue;
        const spec = ANNOTATIONS[ann.key.slice('dapr.io/'.length)];
        if (!spec) continue;
        // A `{{ }}` placeholder (a chart template read without rendering) is an unknown value, not an invalid one.
        if (ann.text.includes('{{')) continue;
        const at = { pdoc: ann.pdoc, node: ann.valueNode ?? ann.pair.key };
        const reason = invalidReason(spec, ann.text);
        if (reason) report({ message: `Annotation "${ann.key}" value "${ann.text}" ${reason}.`, at, on: a, path: `annotations.${ann.key}` });
      }
    }
  },
};
