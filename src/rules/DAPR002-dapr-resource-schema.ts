// DAPR002 dapr-resource-schema: a dapr.io resource that breaks the schema of its CRD.
// The schemas live in schema/dapr/ (one per kind and version, derived from the
// CRDs Dapr ships); this module picks one, runs ajv over the document and maps
// every error back to the YAML node that must change.
import type { ErrorObject } from 'ajv';
import type { Pair, YAMLMap } from 'yaml';
import type { Instance } from '../engine/model.js';
import { dataAt, decodePointer, isRecord, locate, plainData, type Segments, valueAnchor, yamlPath } from '../engine/json-pointer.js';
import type { NodeRef } from '../engine/resources.js';
import { asMap, child, pairOf, type ParsedDoc, scalarText, type YNode } from '../engine/yaml.js';
import { component, docs } from './examples.js';
import { describe, nearest, resourceAnchor } from './helpers.js';
import { checkedValid, DAPR_KINDS, schemaKeyFor, servedSchema, validatorFor } from './schema-check.js';
import type { Rule } from './types.js';

// ---------------------------------------------------------------- violations

/** One schema violation of one source resource, independent of the instances that place it. */
interface Violation {
  message: string;
  node: unknown;
  /** YAML path inside the resource, for fingerprints. */
  path: string;
}

/** What the error mappers need to know about the resource being judged. */
interface Subject {
  pdoc: ParsedDoc;
  root: YAMLMap<unknown, unknown>;
  kind: string;
  /** `Component "statestore"`. */
  what: string;
  /** Where "missing at the top level" findings point. */
  anchor: NodeRef;
  data: unknown;
}

// ---------------------------------------------------------------- YAML nodes

/** A key as the user wrote it (`y` rather than the `true` YAML 1.1 reads). */
function keyText(pair: Pair<unknown, unknown> | undefined, fallback: string): string {
  return (pair && scalarText(pair.key)) || fallback;
}

// ---------------------------------------------------------------- messages

/** Lists whose items have a name worth quoting in messages. */
const NAMED_LISTS: ReadonlyArray<{ kind: string; path: string; label: string; nameKey: string }> = [
  { kind: 'Component', path: 'spec.metadata', label: 'metadata item', nameKey: 'name' },
  { kind: 'HTTPEndpoint', path: 'spec.headers', label: 'header', nameKey: 'name' },
  { kind: 'Configuration', path: 'spec.tracing.otel.headers', label: 'tracing header', nameKey: 'name' },
  { kind: 'Configuration', path: 'spec.accessControl.policies', label: 'access control policy', nameKey: 'appId' },
  { kind: 'Configuration', path: 'spec.features', label: 'feature', nameKey: 'name' },
  { kind: 'Configuration', path: 'spec.secrets.scopes', label: 'secret scope', nameKey: 'storeName' },
];

interface Phrase {
  /** Who the finding is about, lower case: `metadata item "redisHost" of Component "statestore"`. */
  who: string;
  /** Whether `who` is a list item rather than the resource. */
  item: boolean;
  /** Path below `who` (`secretKeyRef.name`), '' for `who` itself. */
  rest: string;
}

/** Splits a path into the innermost named list item and what lies below it, for readable messages. */
function phrase(s: Subject, segments: Segments): Phrase {
  for (let i = segments.length - 1; i > 0; i--) {
    if (!/^\d+$/.test(segments[i])) continue;
    const list = NAMED_LISTS.find((l) => l.kind === s.kind && l.path === segments.slice(0, i).join('.'));
    if (!list) continue;
    const item = dataAt(s.data, segments.slice(0, i + 1));
    const name = isRecord(item) && typeof item[list.nameKey] === 'string' ? `"${String(item[list.nameKey])}"` : String(Number(segments[i]) + 1);
    return { who: `${list.label} ${name} of ${s.what}`, item: true, rest: yamlPath(item, segments.slice(i + 1)) };
  }
  return { who: s.what, item: false, rest: yamlPath(s.data, segments) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'a map',
  null: 'empty',
};

function expectedTypes(type: unknown, field: string): string {
  if (field === 'scopes' && type === 'array') return 'a list of app-ids';
  const list = Array.isArray(type) ? type.map(String) : [String(type)];
  return list.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

/** A value as the user wrote it: scalars by their source text. */
/**
 * A value for a message. Strings are quoted only when they read like an
 * identifier (`v2`, `state.redis`): anything else may be a credential that
 * landed in the wrong field, and findings must never carry one.
 */
function describeValue(value: unknown, node: YNode, identifierLike = false): string {
  const text = scalarText(node);
  if (typeof value === 'string') {
    const safe = /^\d{1,8}$/.test(value) || (identifierLike && /^[A-Za-z][A-Za-z0-9.-]{0,23}$/.test(value));
    return safe ? `the string "${value}"` : 'a string';
  }
  if (typeof value === 'number') return `the number ${text ?? String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${text ?? String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  return 'a map';
}

/** Why a missing field matters, in the words of the catalog where it has them. */
function missingConsequence(kind: string, field: string): string {
  if (kind === 'Component' && field === 'spec.type') return 'Dapr cannot load it';
  if (kind === 'Component' && field === 'spec.version') return 'the API server rejects the Component (self-hosted Dapr assumes v1)';
  if (kind === 'Component' && field === 'spec.metadata') return 'the API server rejects the Component (write `metadata: []` when it has no settings)';
  if (kind === 'Subscription' && (field === 'spec.pubsubname' || field === 'spec.topic')) return 'Dapr cannot subscribe';
  if (field === 'spec') return `Dapr cannot use the ${kind}`;
  return `the API server rejects the ${kind}`;
}

// ---------------------------------------------------------------- ajv errors → violations

function missingField(s: Subject, e: ErrorObject, segments: Segments): Violation {
  const prop = missingProperty(e);
  const obj = locate(s.pdoc, s.root, segments);
  const objMap = asMap(obj.node, s.pdoc);
  const empty = objMap ? pairOf(objMap, prop, s.pdoc) : undefined;
  const p = phrase(s, segments);
  const field = joinPath(p.rest, prop);
  const path = joinPath(yamlPath(s.data, segments), prop);
  const consequence = missingConsequence(s.kind, p.item ? '' : field);
  // Kubernetes drops null fields before validating, so `spec:` with nothing under it is as good as missing.
  if (empty) return { message: `${capitalize(p.who)} has an empty ${field}: ${consequence}.`, node: empty.key, path };
  const node = segments.length === 0 ? s.anchor.node : (obj.pair?.key ?? obj.node);
  return { message: `${capitalize(p.who)} has no ${field}: ${consequence}.`, node, path };
}

/** The declared property an unknown key differs from only by case (`secretstore` for `secretStore`). */
function caseVariant(e: ErrorObject): string | undefined {
  const prop = String((e.params as { additionalProperty?: unknown }).additionalProperty).toLowerCase();
  return declaredProperties(e).find((k) => k.toLowerCase() === prop);
}

/** Subscription routing fields of each served version, for a document that mixes them up. */
const SUBSCRIPTION_ROUTING: Readonly<Record<string, { version: string; other: string }>> = {
  route: { version: 'v1alpha1', other: 'routes' },
  routes: { version: 'v2alpha1', other: 'route' },
};

/** A routing field of the other Subscription version (`routes` in a v1alpha1 document). */
function otherVersionField(s: Subject, e: ErrorObject, segments: Segments): (typeof SUBSCRIPTION_ROUTING)[string] | undefined {
  const prop = String((e.params as { additionalProperty?: unknown }).additionalProperty);
  if (s.kind !== 'Subscription' || segments.join('.') !== 'spec' || !Object.hasOwn(SUBSCRIPTION_ROUTING, prop)) return undefined;
  return SUBSCRIPTION_ROUTING[prop];
}

/** The missing field an unknown-field finding already explains: one mistake, one finding. */
function explainedMissing(s: Subject, e: ErrorObject): string | undefined {
  return caseVariant(e) ?? otherVersionField(s, e, decodePointer(e.instancePath))?.other;
}

function declaredProperties(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => k !== 'apiVersion' && k !== 'kind') : [];
}

function unknownField(s: Subject, e: ErrorObject, segments: Segments): Violation | undefined {
  const prop = String((e.params as { additionalProperty?: unknown }).additionalProperty);
  // A `scopes` key under spec is DAPR103's finding (misplaced, so the resource is unscoped).
  if (prop === 'scopes' && segments.length === 1 && segments[0] === 'spec') return undefined;
  const at = locate(s.pdoc, s.root, [...segments, prop]);
  const key = keyText(at.pair, prop);
  const p = phrase(s, segments);
  const where = p.rest !== '' ? `under ${p.rest} of ${p.who}` : p.item ? `in ${p.who}` : `at the top level of ${p.who}`;
  const node = at.pair?.key ?? at.node;
  const path = joinPath(yamlPath(s.data, segments), prop);
  const routing = otherVersionField(s, e, segments);
  if (routing) {
    return {
      message: `Field "${key}" ${where} exists only in dapr.io/${routing.version} Subscriptions, so the API server drops it from this one. Change apiVersion to dapr.io/${routing.version}, or write spec.${routing.other}.`,
      node,
      path,
    };
  }
  const variant = caseVariant(e);
  if (variant) {
    // Self-hosted daprd reads YAML through encoding/json, which ignores case; the API server does not.
    return { message: `Field "${key}" ${where} must be spelt "${variant}": the API server matches field names exactly and drops it (only self-hosted Dapr ignores the case).`, node, path };
  }
  const declared = declaredProperties(e);
  const suggestion = nearest(key, declared);
  const owner = p.rest !== '' ? p.rest.slice(p.rest.lastIndexOf('.') + 1) : p.item ? 'the entry' : 'the document';
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : declared.length > 0 && declared.length <= 4 ? ` ${capitalize(owner)} takes ${listWords(declared)}.` : '';
  return { message: `Unknown field "${key}" ${where}: the ${s.kind} CRD does not define it, so the API server drops it and Dapr never reads it.${hint}`, node, path };
}

function wrongValue(s: Subject, e: ErrorObject, segments: Segments): Violation {
  const at = locate(s.pdoc, s.root, segments);
  const p = phrase(s, segments);
  const subject = p.rest === '' ? capitalize(p.who) : `${p.rest} of ${p.who}`;
  // Only a value checked against a list of allowed words is likely to be a word itself.
  const shown = describeValue(e.data, at.node, e.keyword === 'enum' || e.keyword === 'const');
  const rejects = `the API server rejects the ${s.kind}`;
  const path = yamlPath(s.data, segments);
  let message: string;
  if (e.keyword === 'type') {
    const want = (e.params as { type?: unknown }).type;
    const text = scalarText(at.node);
    const quote = want === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean') && text ? ` Quote it: "${text}".` : '';
    message = `${subject} is ${shown}, not ${expectedTypes(want, p.rest)}: ${rejects}.${quote}`;
  } else if (e.keyword === 'enum' || e.keyword === 'const') {
    const params = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
    const allowed = (params.allowedValues ?? [params.allowedValue]).map((v) => JSON.stringify(v)).join(', ');
    message = `${subject} is ${shown}, not one of ${allowed}: ${rejects}.`;
  } else {
    message = `${subject} ${e.message ?? 'is invalid'}: ${rejects}.`;
  }
  return { message, node: valueAnchor(at), path };
}

const SOURCES = ['value', 'secretKeyRef', 'envRef'] as const;

/**
 * Which source daprd uses when a name/value entry has several: it reads envRef
 * only when there is no value, then lets secretKeyRef overwrite the value
 * (pkg/runtime/processor, secret handling).
 */
function usedSource(present: readonly string[]): string {
  if (present.includes('secretKeyRef') && present.includes('value')) return 'secretKeyRef';
  return present.includes('value') ? 'value' : 'envRef';
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function conflictingSources(s: Subject, segments: Segments): Violation | undefined {
  const item = dataAt(s.data, segments);
  if (!isRecord(item)) return undefined;
  const present = SOURCES.filter((k) => Object.hasOwn(item, k));
  if (present.length < 2) return undefined;
  const itemNode = asMap(locate(s.pdoc, s.root, segments).node, s.pdoc);
  const p = phrase(s, segments);
  const who = p.rest === '' ? capitalize(p.who) : `${p.rest} of ${p.who}`;
  const sets = `${who} sets ${present.length === 2 ? 'both ' : ''}${listWords(present)}`;
  const path = yamlPath(s.data, segments);
  // clientTLS documents take a value or a secretKeyRef; everything else with these keys is a name/value entry.
  if (segments.includes('clientTLS')) {
    const node = (itemNode && pairOf(itemNode, 'value', s.pdoc)?.key) ?? itemNode ?? s.anchor.node;
    return { message: `${sets}: only one can be used. Keep only one.`, node, path };
  }
  const used = usedSource(present);
  const ignored = present.filter((k) => k !== used);
  // Point at a source Dapr ignores, the literal value first: that is the line to delete.
  const node = ignored.map((k) => (itemNode ? pairOf(itemNode, k, s.pdoc)?.key : undefined)).find((n) => n !== undefined) ?? itemNode ?? s.anchor.node;
  const leaked = ignored.includes('value') ? ', so the literal value only sits in the repository' : '';
  return { message: `${sets}: Dapr uses ${used} and ignores ${listWords(ignored)}${leaked}. Keep only one.`, node, path };
}

function missingProperty(e: ErrorObject): string {
  return String((e.params as { missingProperty?: unknown }).missingProperty);
}

/** One ajv error as a finding; undefined when another finding (or rule) already says it. */
function toViolation(s: Subject, e: ErrorObject, explained: ReadonlySet<string>): Violation | undefined {
  const segments = decodePointer(e.instancePath);
  // The caller checks apiVersion and kind itself, with better messages.
  if (segments.length === 1 && (segments[0] === 'apiVersion' || segments[0] === 'kind')) return undefined;
  switch (e.keyword) {
    case 'required':
      return explained.has(`${e.instancePath}/${missingProperty(e)}`) ? undefined : missingField(s, e, segments);
    case 'additionalProperties':
      return unknownField(s, e, segments);
    case 'not':
      return conflictingSources(s, segments);
    case 'allOf':
    case 'if':
      return undefined; // the failing branch carries the real error
    default:
      // A `{{ }}` placeholder (a chart template read without rendering) is an unknown value, not a wrong one.
      if (typeof e.data === 'string' && e.data.includes('{{')) return undefined;
      return wrongValue(s, e, segments);
  }
}

function violationsOf(s: Subject, errors: readonly ErrorObject[]): Violation[] {
  // `secretstore` for `secretStore` is one mistake: report the spelling, not also the missing field.
  const explained = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}/${explainedMissing(s, e) ?? ''}`));
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const e of errors) {
    const v = toViolation(s, e, explained);
    // An entry with three sources fails three `not`s with the same finding: keep one.
    if (!v) continue;
    const key = `${v.path}\u0000${v.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------- one resource

function kindViolation(inst: Instance, kind: string): Violation {
  const r = inst.resource;
  const lower = kind.toLowerCase();
  const suggestion = [...DAPR_KINDS.keys()].find((k) => k.toLowerCase() === lower) ?? nearest(kind, DAPR_KINDS.keys());
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return {
    message: `Unknown Dapr kind "${kind}": no dapr.io CRD defines it, so the API server rejects the document.${hint}`,
    node: child(r.root, 'kind', r.pdoc) ?? resourceAnchor(inst).node,
    path: 'kind',
  };
}

function versionViolation(inst: Instance, versions: ReadonlyMap<string, unknown>): Violation {
  const r = inst.resource;
  const served = [...versions.keys()].map((v) => `dapr.io/${v}`);
  return {
    message: `${describe(inst)} has apiVersion "${r.apiVersion}", which Dapr does not serve for ${r.kind}: use ${served.join(' or ')}.`,
    node: child(r.root, 'apiVersion', r.pdoc) ?? resourceAnchor(inst).node,
    path: 'apiVersion',
  };
}

function checkResource(inst: Instance): Violation[] {
  const r = inst.resource;
  // Released after extraction only once found valid (schema-check.ts): nothing to report, and no tree to read.
  if (checkedValid(r)) return [];
  const versions = DAPR_KINDS.get(r.kind);
  if (!versions) return [kindViolation(inst, r.kind)];
  const out: Violation[] = [];
  const served = servedSchema(r) !== undefined;
  if (!served) out.push(versionViolation(inst, versions));
  const read = plainData(inst.resource.pdoc);
  // An alias bomb is the parse stage's finding (DAPR001); expanding it here would only repeat it, or worse.
  if (!read) return out;
  const key = schemaKeyFor(r, read.data);
  if (!key) return out;
  const validate = validatorFor(key);
  if (validate(read.data)) return out;
  const subject: Subject = { pdoc: r.pdoc, root: r.root, kind: r.kind, what: describe(inst), anchor: resourceAnchor(inst), data: read.data };
  return [...out, ...violationsOf(subject, validate.errors ?? [])];
}

// ---------------------------------------------------------------- the rule

const statestore = component('statestore', 'state.redis', {
  metadata: ['- name: redisHost', '  value: redis-master:6379', '- name: redisPassword', '  secretKeyRef: { name: redis, key: redis-password }'],
  tail: ['scopes:', '  - task-api'],
});

export const rule: Rule = {
  meta: {
    id: 'DAPR002',
    name: 'dapr-resource-schema',
    shortDescription: 'A Dapr resource does not match the schema of its CRD: the API server rejects it, drops fields, or Dapr cannot load it.',
    fullDescription:
      'Validates every `dapr.io` document (Component, Configuration, Subscription v1alpha1 and v2alpha1, Resiliency, HTTPEndpoint) against a JSON Schema derived from the CRDs Dapr ships (`schema/dapr/`): missing required fields (`spec.type`, `spec.version`, `spec.metadata` of a Component, `name` of a metadata item), values of the wrong type (`version: 1`, `scopes` that is not a list of strings), unknown fields that the API server silently drops, and metadata entries that set more than one of `value`, `secretKeyRef` and `envRef`. Also reports a `dapr.io` kind that does not exist and an apiVersion Dapr does not serve for the kind. One finding per violation, at the node to change. A `scopes` key under `spec` is left to DAPR103.',
    levels: { default: 'error', nonProduction: 'warning' },
    securitySeverity: 5.0,
    tags: ['security', 'correctness', 'schema'],
    precision: 'very-high',
    docs: {
      why: 'A resource the API server rejects never reaches the cluster, and a GitOps controller keeps failing to sync it. Worse are the mistakes it accepts: an unknown or misspelt field (`secretKeyref`, `scope`) is pruned without a word, so a setting that was reviewed, sometimes a security setting, simply does not exist at run time. A metadata entry that sets both a literal `value` and a `secretKeyRef` keeps a credential in the repository that Dapr does not even use.',
      fix: 'Change the field the message names: add the missing field, fix its spelling or indentation, quote values that must be strings, and give each metadata entry exactly one of `value`, `secretKeyRef` or `envRef`.',
      incorrect: [
        {
          title: 'No spec.version, and a metadata entry with both a literal value and a secret reference',
          files: {
            'deploy/statestore.yaml': statestore.replace('  version: v1\n', '').replace('  secretKeyRef: { name: redis, key: redis-password }', '  value: s3cr3t\n      secretKeyRef: { name: redis, key: redis-password }'),
          },
        },
        {
          title: 'A misspelt field, which the API server would drop',
          files: {
            'deploy/statestore.yaml': statestore.replace('secretKeyRef:', 'secretKeyref:'),
          },
        },
      ],
      correct: [
        {
          files: { 'deploy/statestore.yaml': statestore },
        },
        {
          title: 'Subscriptions of both served versions',
          files: {
            'deploy/subscriptions.yaml': docs(
              ['apiVersion: dapr.io/v1alpha1', 'kind: Subscription', 'metadata:', '  name: orders-v1', 'spec:', '  pubsubname: pubsub', '  topic: orders', '  route: /orders', 'scopes: [orders-worker]', ''].join('\n'),
              ['apiVersion: dapr.io/v2alpha1', 'kind: Subscription', 'metadata:', '  name: orders-v2', 'spec:', '  pubsubname: pubsub', '  topic: orders', '  routes:', '    rules:', '      - match: event.type == "order.created"', '        path: /orders/created', '    default: /orders', 'scopes: [orders-worker]', ''].join('\n'),
            ),
          },
        },
      ],
      notes: [
        'The schemas are in `schema/dapr/`, one per kind and version; point an editor at them for completion. Fields the CRDs keep as free-form (a metadata item\'s `value`, `nameResolution.configuration`, token validator `options`) accept anything.',
        'Null fields count as missing, as in Kubernetes, which prunes them before validating: `metadata:` with nothing under it is reported as an empty `spec.metadata`.',
        'The Configuration CRD of Dapr 1.15 and later requires `sentryAddress` and `controlPlaneTrustDomain` whenever `spec.mtls` is present, even with `enabled: false` (dapr/dapr#8716); such a Configuration is reported because the API server does reject it.',
        'When an entry sets several of `value`, `secretKeyRef` and `envRef`, daprd lets the secret replace the value, reads `envRef` only when there is no value, and then skips the secret; the message says which one is ignored.',
        'Resources that only ever run self-hosted are held to the CRD too: daprd is more lenient (it accepts a missing `spec.version` or `spec.metadata` and ignores the case of field names), but the same files usually reach a cluster later.',
        'MCPServer and WorkflowAccessPolicy are recognised as Dapr kinds but their fields are not checked.',
        'A document whose YAML aliases expand beyond the limit (an alias bomb) is not expanded or validated; DAPR001 reports it.',
      ],
    },
  },
  check({ model, report }) {
    // One source resource can be placed by several kustomizations: validate it once.
    const cache = new Map<Instance['resource'], Violation[]>();
    for (const inst of model.instances) {
      const r = inst.resource;
      if (r.group !== 'dapr.io') continue;
      let violations = cache.get(r);
      if (!violations) {
        violations = checkResource(inst);
        cache.set(r, violations);
      }
      for (const v of violations) report({ message: v.message, at: { pdoc: r.pdoc, node: v.node }, on: inst, path: v.path });
    }
  },
};
