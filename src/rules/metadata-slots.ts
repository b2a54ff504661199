// Name/value settings of Dapr resources, read the way daprd reads them, for
// the rules about credentials (DAPR201, DAPR202) and transport security
// (DAPR501): Component `spec.metadata`, HTTPEndpoint `spec.headers` and
// `spec.clientTLS`, Configuration `spec.tracing.otel.headers`. A finding
// inside a value (the password of a connection string) is mapped back to its
// exact characters in the file when the scalar allows it.
import type { Scalar } from 'yaml';
import { metadataItems } from '../engine/extract/dapr.js';
import type { Instance } from '../engine/model.js';
import type { Component, MetadataItem, NodeRef } from '../engine/resources.js';
import { asMap, asScalar, child, childPath, deref, pairOf, type ParsedDoc, seqItems, substringOffsets, type YNode } from '../engine/yaml.js';
import type { ValueRange } from '../knowledge/metadata-values.js';
import type { SiblingValues } from '../knowledge/transport-security.js';

/** A `value:` as daprd receives it, and where it is written. */
export interface ValueSlot {
  pdoc: ParsedDoc;
  /** The value scalar. */
  node: YNode;
  /** The `value` key: where a finding points when the value itself is missing (`value:` and nothing after it). */
  keyNode: unknown;
  /** The text daprd reads (YAML booleans and numbers by their source text); null for a missing value. */
  text: string | null;
  /** Offset of `text` inside the scalar's string (non-zero for an entry of a `name=value,…` string). */
  base: number;
}

/**
 * The text of a scalar as daprd reads it: strings as they are, other scalars
 * by their source text (a DynamicValue is JSON, so `false` arrives as
 * "false"); null for an empty node; undefined for maps and sequences, which
 * are structured values rather than strings.
 */
export function scalarValueText(pdoc: ParsedDoc, node: YNode): string | null | undefined {
  if (node === null || node === undefined) return null;
  const s = asScalar(node, pdoc);
  if (s === undefined) return undefined;
  if (s.value === null || s.value === undefined) return null;
  if (typeof s.value === 'string') return s.value;
  return s.source ?? String(s.value);
}

/** The `value:` of a name/value item, or undefined when it has none or holds a structure. */
export function itemValue(pdoc: ParsedDoc, item: MetadataItem): ValueSlot | undefined {
  if (item.valuePair === undefined) return undefined;
  const text = scalarValueText(pdoc, item.value);
  if (text === undefined) return undefined;
  return { pdoc, node: item.value, keyNode: item.valuePair.key, text, base: 0 };
}

/** A zero-width node (`value:` with nothing after it) cannot be highlighted: the key is the place to fix. */
function hasExtent(node: YNode): boolean {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return range !== undefined && range !== null && range[1] > range[0];
}

/**
 * Where a finding about a value points: the characters `range` covers when
 * they can be mapped inside a one-line scalar, else the whole scalar, else
 * (no value written) its key.
 */
export function pointAt(slot: ValueSlot, range?: ValueRange): NodeRef {
  if (slot.text === null || !hasExtent(slot.node)) return { pdoc: slot.pdoc, node: slot.keyNode };
  const whole = range === undefined || (slot.base === 0 && range.start === 0 && range.end === slot.text.length);
  if (whole) return { pdoc: slot.pdoc, node: slot.node };
  const offsets = substringOffsets(slot.pdoc, slot.node, slot.base + range.start, range.end - range.start);
  return { pdoc: slot.pdoc, node: slot.node, ...(offsets ? { offsets } : {}) };
}

/**
 * Stable fingerprint paths for a list of named items: `prefix[name]`, with
 * `#2`, `#3`… for a name written again (the first one keeps the plain path).
 */
export function itemPaths(names: readonly string[], prefix: string): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return `${prefix}[${name}]${n > 1 ? `#${n}` : ''}`;
  });
}

/** A Component metadata item with what the rules need beside it. */
export interface ComponentSetting {
  item: MetadataItem;
  /** Undefined for items set with secretKeyRef/envRef, or without a scalar value. */
  slot?: ValueSlot;
  /** `spec.metadata[redisPassword]`. */
  path: string;
}

export function componentSettings(c: Component): ComponentSetting[] {
  const paths = itemPaths(
    c.metadataItems.map((i) => i.name),
    'spec.metadata',
  );
  return c.metadataItems.map((item, i) => {
    const slot = itemValue(c.pdoc, item);
    return { item, path: paths[i], ...(slot ? { slot } : {}) };
  });
}

/**
 * A value that is set but cannot be read here (secretKeyRef, envRef). It is
 * written as a placeholder, which the transport knowledge reads as "present,
 * content unknown": an unknown host, a set `authType`, a set `enableTLS`.
 */
const REFERENCED = '${referenced}';

/** The other items of a component by name, for host and opt-in checks. */
export function siblingValues(settings: readonly ComponentSetting[]): SiblingValues {
  const out: Record<string, string | null> = {};
  for (const s of settings) {
    if (s.item.name in out) continue; // daprd keeps the first of duplicate names
    if (s.slot) out[s.item.name] = s.slot.text;
    else if (s.item.secretKeyRef || s.item.envRef) out[s.item.name] = REFERENCED;
    else out[s.item.name] = null;
  }
  return out;
}

// ---------------------------------------------------------------------------
// HTTP headers: HTTPEndpoint spec.headers, Configuration spec.tracing.otel.headers

export interface HeaderEntry {
  name: string;
  /** Undefined when the header is set with secretKeyRef/envRef. */
  slot?: ValueSlot;
  path: string;
}

/**
 * The headers under `node`: NameValuePair items (the CRD form), and the older
 * `name=value` strings — a list of them (dapr/dapr pkg/config/testdata), or
 * one comma-separated string — which the Configuration once took.
 */
export function headerEntries(pdoc: ParsedDoc, node: YNode, prefix: string): HeaderEntry[] {
  const raw: Array<{ name: string; slot?: ValueSlot }> = [];
  const single = asScalar(node, pdoc);
  if (single !== undefined) raw.push(...stringHeaders(pdoc, single));
  // metadataItems skips the string entries; they are read one by one below.
  raw.push(...metadataItems(pdoc, node).map((item) => pairHeader(pdoc, item)));
  for (const itemNode of seqItems(node, pdoc)) {
    const s = asScalar(itemNode, pdoc);
    if (s !== undefined) raw.push(...stringHeaders(pdoc, s));
  }
  const paths = itemPaths(
    raw.map((h) => h.name),
    prefix,
  );
  return raw.map((h, i) => ({ ...h, path: paths[i] }));
}

function pairHeader(pdoc: ParsedDoc, item: MetadataItem): { name: string; slot?: ValueSlot } {
  const slot = itemValue(pdoc, item);
  return { name: item.name, ...(slot ? { slot } : {}) };
}

/** `name=value` entries of a string scalar, split at commas, each value located inside the scalar. */
function stringHeaders(pdoc: ParsedDoc, s: Scalar): Array<{ name: string; slot: ValueSlot }> {
  if (typeof s.value !== 'string') return [];
  const text = s.value;
  const out: Array<{ name: string; slot: ValueSlot }> = [];
  let start = 0;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      const name = part.slice(0, eq).trim();
      if (name !== '') out.push({ name, slot: { pdoc, node: s, keyNode: s, text: part.slice(eq + 1), base: start + eq + 1 } });
    }
    start += part.length + 1;
  }
  return out;
}

/** HTTPEndpoint `spec.headers`. */
export function endpointHeaders(inst: Instance<Extract<Instance['resource'], { type: 'httpendpoint' }>>): HeaderEntry[] {
  const r = inst.resource;
  return headerEntries(r.pdoc, child(r.spec, 'headers', r.pdoc), 'spec.headers');
}

/** Configuration `spec.tracing.otel.headers`. */
export function otelHeaders(inst: Instance<Extract<Instance['resource'], { type: 'configuration' }>>): HeaderEntry[] {
  const r = inst.resource;
  return headerEntries(r.pdoc, childPath(r.spec, ['tracing', 'otel', 'headers'], r.pdoc), 'spec.tracing.otel.headers');
}

/** HTTPEndpoint `spec.clientTLS.privateKey.value`, when written inline. */
export function clientTlsPrivateKey(inst: Instance<Extract<Instance['resource'], { type: 'httpendpoint' }>>): ValueSlot | undefined {
  const r = inst.resource;
  const pair = pairOf(asMap(childPath(r.spec, ['clientTLS', 'privateKey'], r.pdoc), r.pdoc), 'value', r.pdoc);
  if (pair === undefined) return undefined;
  const node = deref(pair.value, r.pdoc);
  const text = scalarValueText(r.pdoc, node);
  if (text === undefined) return undefined;
  return { pdoc: r.pdoc, node, keyNode: pair.key, text, base: 0 };
}
