// DAPR003 annotation-not-string: a dapr.io/* annotation whose YAML value is not a string.
import { isMap, isScalar, isSeq } from 'yaml';
import { doubleQuoted, nodeRange, simpleScalar } from '../engine/edits.js';
import type { Annotation, PodTemplate } from '../engine/resources.js';
import { deployment } from './examples.js';
import { isOwnAnnotation, replaceScalarFix } from './fix-helpers.js';
import type { Fix, Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR003',
    name: 'annotation-not-string',
    shortDescription: 'A dapr.io annotation value is not a YAML string, so the API server rejects the object.',
    fullDescription:
      'Reports a `dapr.io/*` pod annotation whose value is an unquoted boolean, number or null (`dapr.io/enabled: true`, `dapr.io/app-port: 8000`). Kubernetes annotations are a map of strings: the API server rejects the whole workload. Files are read as YAML 1.1, like Kubernetes does, so `yes`, `on` and `off` unquoted are booleans too.',
    levels: { default: 'error' },
    securitySeverity: 4.0,
    tags: ['security', 'correctness', 'annotations'],
    precision: 'very-high',
    docs: {
      why: 'The API server refuses an object whose annotation values are not strings, so the workload is never deployed, or a GitOps controller loops on a failed sync. It is the most common Dapr annotation mistake because `true` and `8000` look right.',
      fix: 'Quote the value: `dapr.io/enabled: "true"`, `dapr.io/app-port: "8000"`.',
      incorrect: [
        {
          files: { 'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: true', 'dapr.io/app-id: task-api', 'dapr.io/app-port: 8000']) },
        },
      ],
      correct: [
        {
          files: { 'deploy/task-api.yaml': deployment('task-api', ['dapr.io/enabled: "true"', 'dapr.io/app-id: task-api', 'dapr.io/app-port: "8000"']) },
        },
      ],
      notes: [
        'Other rules read an unquoted value by its text (`dapr.io/enabled: true` counts as enabled), so one mistake is reported once, here.',
        '`--fix` quotes an unquoted boolean or number by its text (`dapr.io/app-port: 8000` becomes `"8000"`, `yes` becomes `"yes"`), in block and flow maps. A null value, a list or a map, a value with an explicit tag (`!!int 8000`) and a value merged in from an anchor are not fixed: what to write there is the author\'s decision.',
      ],
    },
  },
  keepsTree: (r) => r.type === 'workload' && [...r.pod.annotations.values()].some((ann) => ann.key.startsWith('dapr.io/') && !ann.isString),
  check({ model, report }) {
    for (const a of model.apps) {
      if (a.app.source !== 'kubernetes' || !a.app.pod) continue;
      for (const ann of a.app.pod.annotations.values()) {
        if (!ann.key.startsWith('dapr.io/') || ann.isString) continue;
        const { shown, fix } = describeValue(ann.valueNode, ann.text);
        report({
          message: `Annotation "${ann.key}" has ${shown}, not a string: the API server rejects the ${a.app.kind}. ${fix}`,
          at: { pdoc: ann.pdoc, node: hasSourceText(ann.valueNode) ? ann.valueNode : ann.pair.key },
          on: a,
          path: `annotations.${ann.key}`,
          fix: () => quoteFix(a.app.pod, ann),
        });
      }
    }
  },
};

/**
 * What the value is and how to fix it. `null` and `~` are read by their text
 * elsewhere, but quoting that text ("~") is not what the author meant, and a
 * map or list has no text at all.
 */
function describeValue(node: unknown, text: string): { shown: string; fix: string } {
  if (isMap(node) || isSeq(node)) return { shown: `a YAML ${isMap(node) ? 'map' : 'list'}`, fix: 'Write it as one quoted string.' };
  if (isScalar(node) && node.value !== null && node.value !== undefined) return { shown: `the unquoted value ${text}`, fix: `Quote it: "${text}".` };
  return { shown: 'no value (null)', fix: 'Write a quoted value, or remove the key.' };
}

/**
 * `dapr.io/app-port: 8000` → `"8000"`: the text the other rules already read,
 * quoted. Only plain scalars with a value, written in this workload's own
 * annotations map; null (`~`, empty) has no text the author meant.
 */
function quoteFix(pod: PodTemplate | undefined, ann: Annotation): Fix | undefined {
  const s = simpleScalar(ann.valueNode, ann.pdoc.text);
  const r = nodeRange(s);
  if (!s || !r || s.type !== 'PLAIN' || s.value === null || s.value === undefined || !isOwnAnnotation(pod, ann)) return undefined;
  const source = ann.pdoc.text.slice(r[0], r[1]);
  return replaceScalarFix(ann.pdoc, s, source, `Quote the value of ${ann.key}: ${doubleQuoted(source)}`, true);
}

/** An empty value (`key:`) has a zero-width node after the colon: point at the key instead. */
function hasSourceText(node: unknown): boolean {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return !!range && range[1] > range[0];
}
