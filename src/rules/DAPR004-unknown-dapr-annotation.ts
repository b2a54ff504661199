// DAPR004 unknown-dapr-annotation: a dapr.io/* key the injector does not know.
import type { Annotation, PodTemplate } from '../engine/resources.js';
import { ANNOTATION_MISTAKES, isTruthy, KNOWN_ANNOTATION_KEYS } from '../knowledge/annotations.js';
import { classifyListenEntry } from './DAPR301-sidecar-listens-publicly.js';
import { deployment } from './examples.js';
import { annotationsMap, isOwnAnnotation, renameKeyFix } from './fix-helpers.js';
import { editDistance, nearest } from './helpers.js';
import type { Fix, Rule } from './types.js';

const KNOWN = new Set(KNOWN_ANNOTATION_KEYS);
/** How far a typo may be from the key `--fix` renames it to: beyond that a suggestion is a guess. */
const MAX_FIX_DISTANCE = 2;

/**
 * The known key an unknown `dapr.io` key certainly means, or undefined when
 * that is not certain: the wrong separator (`dapr.io.log-level`), a known
 * legacy name or misspelling (ANNOTATION_MISTAKES), or the one known key
 * within two edits (no other at the same distance). The message may still
 * suggest a nearest key when this is undefined; `--fix` only renames to this.
 */
export function renameTarget(key: string): string | undefined {
  if (KNOWN.has(key) || !/^dapr\.io[/.]/.test(key)) return undefined;
  const normalized = key.replace(/^dapr\.io\./, 'dapr.io/');
  if (KNOWN.has(normalized)) return normalized;
  const mapped = ANNOTATION_MISTAKES[normalized];
  if (mapped) return mapped;
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of KNOWN_ANNOTATION_KEYS) {
    const d = editDistance(normalized, candidate);
    if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
    else if (d === bestDistance) tie = true;
  }
  return best !== undefined && !tie && bestDistance <= MAX_FIX_DISTANCE ? best : undefined;
}

/**
 * Whether renaming would make this value open something up, now that the
 * injector reads it: a listen or app-channel address beyond loopback
 * (DAPR301, DAPR313), the debugger or profiler on (DAPR305), another sidecar
 * image (DAPR312). An automatic fix must not loosen security: the author
 * fixes the value first, and the key then.
 */
function wouldLoosen(target: string, value: string): boolean {
  switch (target) {
    case 'dapr.io/sidecar-listen-addresses':
    case 'dapr.io/app-channel-address':
      return value.split(',').some((entry) => classifyListenEntry(entry) !== 'loopback');
    case 'dapr.io/enable-debug':
    case 'dapr.io/enable-profiling':
      return isTruthy(value);
    case 'dapr.io/sidecar-image':
      return true;
    default:
      return false;
  }
}

/** Renames the key in place, unless the workload already has the target key (two keys would clash) or the value would loosen security. */
function renameFix(pod: PodTemplate | undefined, ann: Annotation): Fix | undefined {
  const target = renameTarget(ann.key);
  const map = annotationsMap(pod);
  if (!target || !map || !pod || pod.annotations.has(target) || !isOwnAnnotation(pod, ann) || wouldLoosen(target, ann.text)) return undefined;
  return renameKeyFix(ann.pdoc, map, ann.pair, ann.key, target, `Rename the annotation ${ann.key} to ${target}`);
}

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
        '`--fix` renames the key only when the intended key is certain: a key written with `dapr.io.` instead of `dapr.io/`, a known legacy name or misspelling (`dapr.io/sidecar-listen-address`, `dapr.io/api-token`, `dapr.io/enable`), or the single known key within two edits. When two known keys are equally near, or the nearest is further away, or the workload already has the target key, the key is left for you to rename or remove. Nor is a key renamed when its value would then open something up (a listen or app-channel address beyond loopback, `enable-debug` or `enable-profiling` on, a `sidecar-image` override): the typo keeps that value inert today, so fix the value first.',
      ],
    },
  },
  keepsTree: (r) => r.type === 'workload' && [...r.pod.annotations.keys()].some((key) => renameTarget(key) !== undefined),
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
          fix: () => renameFix(a.app.pod, ann),
        });
      }
    }
  },
};
