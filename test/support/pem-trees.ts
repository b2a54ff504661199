// Repository trees around PEM material for the DAPR207/403/404 tests: trust
// bundle Secrets and Dapr chart values built from test/support/certs.ts, where
// a value sits in a file (line and column), and the key material a report must
// never repeat.
import { findPemBlocks } from '../../src/knowledge/pem.js';
import type { ScanResult } from '../../src/engine/run.js';
import { buildSarif } from '../../src/report/sarif.js';
import type { TrustBundle } from './certs.js';

/** Every line of a PEM, indented by `spaces`, each ending in a newline. */
export function indent(pem: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return pem
    .trimEnd()
    .split('\n')
    .map((l) => `${pad}${l}\n`)
    .join('');
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export interface BundleSecretOptions {
  name?: string;
  namespace?: string;
  /** `stringData` with literal blocks (default), or base64 `data`. */
  encoding?: 'stringData' | 'data';
  /** Which keys to write (default all three). */
  keys?: Array<'ca.crt' | 'issuer.crt' | 'issuer.key'>;
}

/** A `dapr-trust-bundle` Secret holding a bundle. */
export function trustBundleSecret(bundle: Pick<TrustBundle, 'caCrt' | 'issuerCrt' | 'issuerKey'>, opts: BundleSecretOptions = {}): string {
  const values: Record<string, string> = { 'ca.crt': bundle.caCrt, 'issuer.crt': bundle.issuerCrt, 'issuer.key': bundle.issuerKey };
  const keys = opts.keys ?? ['ca.crt', 'issuer.crt', 'issuer.key'];
  const field = opts.encoding ?? 'stringData';
  const body = keys.map((k) => (field === 'data' ? `  ${k}: ${base64(values[k])}\n` : `  ${k}: |\n${indent(values[k], 4)}`)).join('');
  return ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${opts.name ?? 'dapr-trust-bundle'}`, `  namespace: ${opts.namespace ?? 'dapr-system'}`, 'type: Opaque', `${field}:`, ''].join('\n') + body;
}

/** `dapr_sentry.tls` chart values, nested `depth` levels below `prefix` keys (e.g. an umbrella chart's `dapr:`). */
export function sentryValues(tls: { root?: string; issuer?: string; key?: string }, prefix: string[] = []): string {
  let out = '';
  let depth = 0;
  const line = (s: string): void => {
    out += `${' '.repeat(depth * 2)}${s}\n`;
  };
  for (const p of [...prefix, 'dapr_sentry', 'tls']) {
    line(`${p}:`);
    depth++;
  }
  const entry = (group: string, key: string, pem: string | undefined): void => {
    if (pem === undefined) return;
    line(`${group}:`);
    depth++;
    line(`${key}: |`);
    out += indent(pem, (depth + 1) * 2);
    depth--;
  };
  entry('root', 'certPEM', tls.root);
  // `issuer` holds two keys: written by hand so the group appears once.
  if (tls.issuer !== undefined || tls.key !== undefined) {
    line('issuer:');
    depth++;
    if (tls.issuer !== undefined) {
      line('certPEM: |');
      out += indent(tls.issuer, (depth + 1) * 2);
    }
    if (tls.key !== undefined) {
      line('keyPEM: |');
      out += indent(tls.key, (depth + 1) * 2);
    }
    depth--;
  }
  return out;
}

export const DAPR_CHART = ['apiVersion: v2', 'name: dapr', 'version: 1.16.0', ''].join('\n');

/** 1-based line and column of the `n`-th (0-based) occurrence of `needle`, plus `shift` characters. */
export function position(text: string, needle: string, opts: { nth?: number; shift?: number } = {}): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= (opts.nth ?? 0); i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" not found ${(opts.nth ?? 0) + 1} times`);
  }
  const offset = at + (opts.shift ?? 0);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where the value of `key: ` starts (its first character, `|` for a literal block). */
export function valueOf(text: string, key: string, nth = 0): { line: number; column: number } {
  return position(text, `${key}: `, { nth, shift: key.length + 2 });
}

/**
 * Fragments of key material that must never be printed: every body line of
 * every private key found in the texts (plainly or base64-encoded), and
 * 24-character slices of the base64 values that hold them.
 */
export function keyMaterial(...texts: string[]): string[] {
  const out = new Set<string>();
  const addPem = (text: string): void => {
    for (const b of findPemBlocks(text)) {
      if (!/PRIVATE KEY/.test(b.label)) continue;
      for (const l of b.pem.split('\n').slice(1, -2)) if (l.length >= 8 && !l.includes(':')) out.add(l);
    }
  };
  for (const text of texts) {
    addPem(text.replace(/\\n/g, '\n'));
    for (const m of text.matchAll(/[A-Za-z0-9+/=]{80,}/g)) {
      const decoded = Buffer.from(m[0], 'base64').toString('utf8');
      if (!decoded.includes('PRIVATE KEY')) continue;
      addPem(decoded);
      for (let i = 0; i + 24 <= m[0].length; i += 24) out.add(m[0].slice(i, i + 24));
    }
  }
  return [...out];
}

/** Messages, related labels and the SARIF log of a scan, as one text to search. */
export function printed(result: ScanResult): string {
  const sarif = buildSarif(
    { results: result.results, notifications: result.notifications, rules: [], filesScanned: result.model.files.length, executionSuccessful: result.executionSuccessful, root: result.model.root },
    { includeSuppressed: true },
  );
  return [...result.results.map((r) => r.message), ...result.results.flatMap((r) => r.related.map((l) => l.label ?? '')), JSON.stringify(sarif)].join('\n');
}

/** The fragments of `material` that `text` contains (expected: none). */
export function leaks(text: string, material: readonly string[]): string[] {
  return material.filter((m) => text.includes(m));
}
