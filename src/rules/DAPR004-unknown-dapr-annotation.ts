// DAPR004 unknown-dapr-annotation: a dapr.io/* key the injector does not know.
import { ANNOTATION_MISTAKES, KNOWN_ANNOTATION_KEYS } from '../knowledge/annotations.js';
import { deployment } from './examples.js';
import { nearest } from './helpers.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR004',
    name: 'unknown-dapr-annotation',
    shortDescription: 'A dapr.io annotation key that the sidecar injector does not know is silently ignored.',
    fullDescription:
      'Reports a pod annotation key that starts with `dapr.io` but is not one the Dapr sidecar injector reads (the list of dapr/dapr pkg/injector/annotations, up to Dapr 1.18). The injector never validates keys, so a typo such as `dapr.io/sidecar-listen-address` (without the final "es") does nothing at all. The message suggests the nearest known key.',
    levels: { default: 'warning', production: 'error' },
    securitySeverity: 5.0,
    tags: ['security', 'correctness', 'annotations'],
    precision: 'high',
    docs: {
      why: 'A misspelt security annotation fails open: `dapr.io/api-token` instead of `dapr.io/api-token-secret` leaves the Dapr API without a token, and `dapr.io/sidecar-listen-address` leaves the listen address at its default. Nothing warns at deploy time: the injector ignores keys it does not know. Even `dapr.io/enable: "true"` silently means "no sidecar".',
      fix: 'Rename the key to the one the message suggests, or remove it.',
      incorrect: [
        {
          files: { 'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-id: task-api', 'dapr.io/sidecar-listen-address: "127.0.0.1"']) },
        },
      ],
      correct: [
        {
          files: { 'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-id: task-api', 'dapr.io/sidecar-listen-addresses: "127.0.0.1"']) },
        },
      ],
      notes: [
        'The Dapr CLI\'s own `annotate` command has written misspelt keys (`dapr.io/sidecar-listen-address`, `dapr.io.log-level`); keys starting with `dapr.io.` are reported too.',
        'Keys added after Dapr 1.18 are reported until this tool learns them; suppress with a reason if you run a newer Dapr.',
      ],
    },
  },
  check({ model, report }) {
    const known = new Set(KNOWN_ANNOTATION_KEYS);
    for (const a of model.apps) {
      if (a.app.source !== 'kubernetes' || !a.app.pod) continue;
      for (const ann of a.app.pod.annotations.values()) {
        if (!/^dapr\.io[/.]/.test(ann.key) || known.has(ann.key)) continue;
        const normalized = ann.key.replace(/^dapr\.io\./, 'dapr.io/');
        // `dapr.io.log-level` is `dapr.io/log-level` with the wrong separator: nearest() never returns an exact match, so say it directly.
        const suggestion = known.has(normalized) ? normalized : (ANNOTATION_MISTAKES[normalized] ?? nearest(normalized, KNOWN_ANNOTATION_KEYS));
        report({
          message: `Unknown annotation "${ann.key}": the Dapr sidecar injector ignores it.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          at: { pdoc: ann.pdoc, node: ann.pair.key },
          on: a,
          path: `annotations.${ann.key}`,
        });
      }
    }
  },
};
