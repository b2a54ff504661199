// Where PEM certificates and private keys live in a repository, for DAPR207
// (committed private keys), DAPR403 (certificate expiry) and DAPR404 (the
// Sentry trust chain): Secret `data` (base64) and `stringData`, ConfigMap
// `data`/`binaryData`, the Dapr chart's `dapr_sentry.tls.*` values, `.crt`/
// `.pem` files, and (for keys) any scalar or stray text of any scanned file.
//
// Where findings point (rules.md): a PEM in YAML → the scalar that holds it,
// whatever its style. Pointing at the `-----BEGIN` line inside a literal block
// would be more precise, but an inline `dapr-policy-disable-next-line` comment
// above the key could then never reach it (a comment inside a block scalar is
// part of the value), and base64 or quoted values could not be located that
// way anyway; so one rule for all styles. Several blocks in one scalar are told
// apart by their `path` (`data[ca.crt]#2`) and their message. A `.crt`/`.pem`
// file, or text outside any YAML value (a comment, a document that does not
// parse) → the `-----BEGIN` marker of the block.
import { isMap, isPair, isSeq, type Pair, visit } from 'yaml';
import { installValue } from '../engine/extract/helm-values.js';
import { documentMayHoldPem } from '../engine/precheck.js';
import type { Instance, Model } from '../engine/model.js';
import type { LineIndex } from '../engine/lines.js';
import type { ParsedFile } from '../engine/parse.js';
import type { NodeRef, Resource } from '../engine/resources.js';
import type { Environment, Location } from '../engine/types.js';
import { asMap, child, childPath, keyString, mapEntries, type ParsedDoc, pairOf, stringValue } from '../engine/yaml.js';
import { decodeMaybeBase64, findPemBlocks, isPrivateKeyLabel, type PemBlock } from '../knowledge/pem.js';
import type { ReportInput } from './types.js';

/** An install of the Dapr chart, placed in an environment. */
type DaprInstallIn = Model['daprInstalls'][number];

/** The Secret (and ConfigMap) Sentry keeps its trust bundle in (dapr-security-facts.md §7). */
export const TRUST_BUNDLE_NAME = 'dapr-trust-bundle';
/** Chart values of the Sentry credentials, relative to the Dapr chart's values. */
export const SENTRY_TLS = {
  root: 'dapr_sentry.tls.root.certPEM',
  issuer: 'dapr_sentry.tls.issuer.certPEM',
  key: 'dapr_sentry.tls.issuer.keyPEM',
} as const;

/** What a value is for in a Dapr trust bundle, when the place says so. */
export type TrustRole = 'root' | 'issuer' | 'issuer-key';

/** How a finding is placed: an instance (environment, namespace, identity), or a bare environment for files that are no resource. */
export interface Scope {
  on?: Instance;
  environment: Environment;
  namespace?: string;
  resourceKey?: string;
}

/** `text` is a slice of a file that starts at `offset`: a `.crt`/`.pem` file, or a block outside any YAML value. */
export interface TextPlace {
  lineCounter: LineIndex;
  offset: number;
}

function isTextPlace(at: NodeRef | TextPlace): at is TextPlace {
  return 'lineCounter' in at;
}

/** One YAML value (or file) that holds PEM text. */
export interface PemValue {
  /** The PEM text: the value itself, or what its base64 decodes to. */
  text: string;
  base64: boolean;
  /** Root-relative path of the file. */
  file: string;
  /** The scalar that holds it, or where `text` starts in its file (blocks then point at their BEGIN marker). */
  at: NodeRef | TextPlace;
  /** For messages: `data[ca.crt] of Secret "dapr-trust-bundle"`, `certs/ca.crt`. */
  where: string;
  /** For fingerprints: a YAML path or the file, never a line number. */
  path: string;
  scopes: Scope[];
  role?: TrustRole;
  /** The document carries SOPS metadata: its values are meant to be ciphertext. */
  sops: boolean;
}

/** One PEM block of a value, with where findings about it point. */
export interface PemOccurrence {
  value: PemValue;
  block: PemBlock;
  at: NodeRef | Location;
  /** 1-based position among the blocks of the same kind in the value, and how many there are. */
  index: number;
  count: number;
  /** `path`, plus `#n` when the value holds several blocks of the kind. */
  path: string;
}

// ---------------------------------------------------------------------------
// Locations

/** The BEGIN marker of a block whose offsets are offsets of the file. */
export function markerLocation(file: string, lineCounter: LineIndex, block: PemBlock, offset = 0): Location {
  const start = offset + block.start;
  const end = start + `-----BEGIN ${block.label}-----`.length;
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(end);
  return { file, region: { startLine: a.line, startColumn: a.col, endLine: b.line, endColumn: b.col } };
}

/** Blocks of a value that `keep` accepts, each with its location and fingerprint path. */
export function occurrences(value: PemValue, keep: (block: PemBlock) => boolean): PemOccurrence[] {
  const blocks = findPemBlocks(value.text).filter(keep);
  return blocks.map((block, i) => {
    const at: NodeRef | Location = isTextPlace(value.at) ? markerLocation(value.file, value.at.lineCounter, block, value.at.offset) : value.at;
    const path = blocks.length > 1 ? `${value.path}#${i + 1}` : value.path;
    return { value, block, at, index: i + 1, count: blocks.length, path };
  });
}

export const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

export function isCertificateBlock(block: PemBlock): boolean {
  return CERTIFICATE_LABELS.has(block.label);
}

/** Node prints a DN one RDN per line; one line reads better in a message. */
export function distinguishedName(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

// ---------------------------------------------------------------------------
// Scopes: which instance (or environment) a place belongs to

/** Finds the instances of a document and the Dapr installs of a file, to place findings. */
export class Placements {
  private readonly byDoc = new Map<ParsedDoc, Instance[]>();
  private readonly installsByFile = new Map<string, DaprInstallIn>();

  constructor(private readonly model: Model) {
    for (const inst of model.instances) {
      // A resource rendered by kustomize is placed where its base document is: its text is read there.
      const doc = inst.resource.pdoc.origin?.sourceDoc ?? inst.resource.pdoc;
      const list = this.byDoc.get(doc) ?? [];
      list.push(inst);
      this.byDoc.set(doc, list);
    }
    for (const install of model.daprInstalls) {
      const file = install.pdoc.file.path;
      if (!this.installsByFile.has(file)) this.installsByFile.set(file, install);
    }
  }

  /** The resource a document is, when it is one (every instance shares it). */
  resourceOf(pdoc: ParsedDoc): Resource | undefined {
    return this.byDoc.get(pdoc)?.[0]?.resource;
  }

  /** Scopes of a place in a document: its instances, else the Dapr install of the file, else the file's environment. */
  of(pdoc: ParsedDoc): Scope[] {
    const instances = this.byDoc.get(pdoc);
    if (instances && instances.length > 0) return instances.map((on) => ({ on, environment: on.environment }));
    return this.ofFile(pdoc.file.path);
  }

  ofFile(file: string): Scope[] {
    const install = this.installsByFile.get(file);
    if (install) return [installScope(install)];
    return [{ environment: this.model.environmentOfFile(file) }];
  }
}

/** An install of the Dapr chart is no resource: its file and description identify it in fingerprints. */
function installScope(install: DaprInstallIn): Scope {
  return { environment: install.environment, namespace: install.namespace, resourceKey: `helm-values:${install.pdoc.file.path}:${install.description}` };
}

/** Reports one finding per scope; the policy stage merges those that land on one node. */
export function reportInScopes(report: (f: ReportInput) => void, scopes: readonly Scope[], finding: Omit<ReportInput, 'on' | 'environment' | 'namespace' | 'resourceKey'>): void {
  for (const s of scopes) {
    if (s.on) {
      report({ ...finding, on: s.on });
      continue;
    }
    const f: ReportInput = { ...finding, environment: s.environment };
    if (s.namespace !== undefined) f.namespace = s.namespace;
    if (s.resourceKey !== undefined) f.resourceKey = s.resourceKey;
    report(f);
  }
}

// ---------------------------------------------------------------------------
// Scalars

/**
 * The PEM text of a scalar: the value itself when it holds a block, else what
 * it decodes to when it is base64 of PEM (Secret `data`, kubeconfig
 * `client-key-data`). Undefined for anything else.
 */
export function pemTextOf(value: string): { text: string; base64: boolean } | undefined {
  if (value.includes('-----BEGIN ')) return findPemBlocks(value).length > 0 ? { text: value, base64: false } : undefined;
  // Base64 of the shortest PEM block is far longer; the bound skips ordinary words cheaply.
  if (value.length < 64) return undefined;
  const decoded = decodeMaybeBase64(value);
  return decoded === undefined ? undefined : { text: decoded, base64: true };
}

/** A map key for a readable path: `issuer.key` must not read as two segments. */
function pathKey(key: string, first: boolean): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return first ? key : `.${key}`;
  return `[${key}]`;
}

/** A sequence item: by its `name` when it has one (`spec.metadata[redisPassword]`), else by index. */
function pathItem(item: unknown, index: number): string {
  if (isMap(item)) {
    const name = stringValue(child(item, 'name'));
    if (name !== undefined) return `[${name}]`;
  }
  return `[${index}]`;
}

/** `spec.metadata[privateKey].value` for a node, from the ancestors `visit` passes. */
export function yamlPath(ancestors: readonly unknown[], node: unknown): string {
  const chain = [...ancestors, node];
  let out = '';
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const next = chain[i + 1];
    if (isSeq(parent)) out += pathItem(next, parent.items.indexOf(next));
    else if (isPair(parent)) {
      const key = keyString(parent as Pair<unknown, unknown>) ?? '?';
      out += next === parent.key ? pathKey(key, out === '') + '(key)' : pathKey(key, out === '');
    }
  }
  return out === '' ? '(document)' : out;
}

function describeResource(r: Resource): string {
  return `${r.kind} "${r.name ?? '(unnamed)'}"`;
}

function isSopsDoc(pdoc: ParsedDoc): boolean {
  return pairOf(asMap(pdoc.doc.contents, pdoc), 'sops') !== undefined;
}

/** A PemValue for a scalar node, when it holds PEM text. */
function scalarPemValue(pdoc: ParsedDoc, node: unknown, path: string, holder: Resource | undefined, scopes: Scope[], role?: TrustRole): PemValue | undefined {
  const value = stringValue(node, pdoc);
  const pem = value === undefined ? undefined : pemTextOf(value);
  return pem ? pemValueOf(pdoc, node, pem, path, holder, scopes, role) : undefined;
}

/** Where: `data[ca.crt] (base64) of Secret "x"`, the path, how it is encoded, and what holds it. */
function pemValueOf(pdoc: ParsedDoc, node: unknown, pem: { text: string; base64: boolean }, path: string, holder: Resource | undefined, scopes: Scope[], role?: TrustRole): PemValue {
  const where = `${path}${pem.base64 ? ' (base64)' : ''}${holder?.name ? ` of ${describeResource(holder)}` : ''}`;
  const out: PemValue = { ...pem, file: pdoc.file.path, at: { pdoc, node }, where, path, scopes, sops: isSopsDoc(pdoc) };
  if (role) out.role = role;
  return out;
}

// ---------------------------------------------------------------------------
// Every private key of the repository (DAPR207)

/** The Sentry credential a YAML path names: `dapr_sentry.tls.issuer.keyPEM` anywhere in it, or a key of the trust bundle Secret. */
function sentryRoleOfPath(resource: Resource | undefined, path: string): TrustRole | undefined {
  if (path.endsWith(SENTRY_TLS.key) || path.includes(`[${SENTRY_TLS.key}]`)) return 'issuer-key';
  if (path.endsWith(SENTRY_TLS.issuer) || path.includes(`[${SENTRY_TLS.issuer}]`)) return 'issuer';
  if (path.endsWith(SENTRY_TLS.root) || path.includes(`[${SENTRY_TLS.root}]`)) return 'root';
  const key = /^(?:data|stringData)\[(.+)\]$/.exec(path)?.[1];
  return resource?.type === 'secret' && key ? trustRoleOfKey(resource.name, key) : undefined;
}

/** PEM values of every scalar of every parsed YAML document, and the ranges of those that hold PEM text. */
function yamlScalarValues(file: ParsedFile, placements: Placements): { values: PemValue[]; covered: Array<[number, number]> } {
  const values: PemValue[] = [];
  const covered: Array<[number, number]> = [];
  for (const pdoc of file.docs) {
    // Most documents have no PEM marker at all: their scalars need not be looked at.
    if (!documentMayHoldPem(pdoc)) continue;
    const resource = placements.resourceOf(pdoc);
    const scopes = placements.of(pdoc);
    visit(pdoc.doc, {
      Scalar(_key, node, ancestors) {
        if (typeof node.value !== 'string' || !node.range) return;
        const pem = pemTextOf(node.value);
        if (!pem) return;
        const path = yamlPath(ancestors, node);
        values.push(pemValueOf(pdoc, node, pem, path, resource, scopes, sentryRoleOfPath(resource, path)));
        if (!pem.base64) covered.push([node.range[0], node.range[1]]);
      },
    });
  }
  return { values, covered };
}

/**
 * Private-key blocks of a YAML file's text that no parsed value holds: in a
 * comment, or in a document the parser rejected. Located at their marker.
 */
function strayKeyValues(file: ParsedFile, covered: Array<[number, number]>, placements: Placements): PemValue[] {
  if (!file.text.includes('PRIVATE KEY')) return [];
  const out: PemValue[] = [];
  for (const block of findPemBlocks(file.text)) {
    if (!isPrivateKeyLabel(block.label)) continue;
    if (covered.some(([a, b]) => a <= block.start && block.start < b)) continue;
    out.push(fileSliceValue(file, block, placements));
  }
  return out;
}

/** A value that is one block of a file's text, so that the block keeps its place in the file. */
function fileSliceValue(file: ParsedFile, block: PemBlock, placements: Placements): PemValue {
  const { line } = file.lineCounter.linePos(block.start);
  // Outside every value of a document that parsed, PEM text can only be in a comment.
  const inComment = file.docs.some((d) => d.startLine <= line && line <= d.endLine);
  return {
    text: block.text,
    base64: false,
    file: file.file.path,
    at: { lineCounter: file.lineCounter, offset: block.start },
    where: inComment ? `a comment (line ${line})` : file.syntax ? `a YAML document that does not parse (line ${line})` : `line ${line}, outside any YAML document`,
    path: `text@${block.label}`,
    scopes: placements.ofFile(file.file.path),
    sops: false,
  };
}

function pemFileValue(file: ParsedFile, placements: Placements): PemValue {
  return { text: file.text, base64: false, file: file.file.path, at: { lineCounter: file.lineCounter, offset: 0 }, where: file.file.path, path: '(file)', scopes: placements.ofFile(file.file.path), sops: false };
}

/** Every value of the repository that holds a PEM block, for the search for private keys. */
export function everyPemValue(model: Model): PemValue[] {
  const placements = new Placements(model);
  const out: PemValue[] = [];
  for (const file of model.parsed) {
    if (file.file.kind === 'pem') {
      out.push(pemFileValue(file, placements));
      continue;
    }
    const { values, covered } = yamlScalarValues(file, placements);
    out.push(...values, ...strayKeyValues(file, covered, placements));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Secrets, ConfigMaps and chart values (DAPR403, DAPR404)

function byResource<R extends Resource>(instances: Array<Instance<R>>): Map<R, Array<Instance<R>>> {
  const map = new Map<R, Array<Instance<R>>>();
  for (const inst of instances) {
    const list = map.get(inst.resource) ?? [];
    list.push(inst);
    map.set(inst.resource, list);
  }
  return map;
}

function trustRoleOfKey(resourceName: string | undefined, key: string): TrustRole | undefined {
  if (resourceName !== TRUST_BUNDLE_NAME) return undefined;
  if (key === 'ca.crt') return 'root';
  if (key === 'issuer.crt') return 'issuer';
  if (key === 'issuer.key') return 'issuer-key';
  return undefined;
}

/** Values of a map-valued field (`data`, `stringData`) of a resource, keyed by their key. */
function fieldValues(inst: Instance[], field: string): Map<string, PemValue> {
  const out = new Map<string, PemValue>();
  const r = inst[0].resource;
  const scopes: Scope[] = inst.map((on) => ({ on, environment: on.environment }));
  for (const e of mapEntries(child(r.root, field, r.pdoc), r.pdoc)) {
    const path = `${field}${pathKey(e.key, false)}`;
    const v = scalarPemValue(r.pdoc, e.value, path, r, scopes, trustRoleOfKey(r.name, e.key));
    if (v) out.set(e.key, v);
  }
  return out;
}

/** PEM values of every Secret (`data`, `stringData`) and ConfigMap (`data`, `binaryData`). */
export function secretAndConfigMapValues(model: Model): PemValue[] {
  const out: PemValue[] = [];
  for (const instances of byResource(model.ofType('secret')).values()) {
    out.push(...fieldValues(instances, 'data').values(), ...fieldValues(instances, 'stringData').values());
  }
  for (const instances of byResource(model.ofType('configmap')).values()) {
    out.push(...fieldValues(instances, 'data').values(), ...fieldValues(instances, 'binaryData').values());
  }
  return out;
}

/** The three Sentry credentials of one place: a trust bundle Secret or one chart `dapr_sentry.tls` block. */
export interface TrustBundleSource {
  /** `Secret "dapr-trust-bundle"`, `HelmRelease "dapr" of chart dapr`. */
  what: string;
  origin: 'secret' | 'chart-values';
  root?: PemValue;
  issuer?: PemValue;
  key?: PemValue;
}

/** Trust bundle Secrets: `stringData` wins over `data` for a key, as the API server merges them. */
function secretBundles(model: Model): TrustBundleSource[] {
  const out: TrustBundleSource[] = [];
  for (const instances of byResource(model.ofType('secret')).values()) {
    const r = instances[0].resource;
    if (r.name !== TRUST_BUNDLE_NAME) continue;
    const data = fieldValues(instances, 'data');
    const stringData = fieldValues(instances, 'stringData');
    const pick = (key: string): PemValue | undefined => stringData.get(key) ?? data.get(key);
    out.push(compact({ what: describeResource(r), origin: 'secret', root: pick('ca.crt'), issuer: pick('issuer.crt'), key: pick('issuer.key') }));
  }
  return out;
}

type BundleDraft = Pick<TrustBundleSource, 'what' | 'origin'> & Partial<Record<'root' | 'issuer' | 'key', PemValue | undefined>>;

/** Drops the slots that hold nothing (exactOptionalPropertyTypes-friendly). */
function compact(b: BundleDraft): TrustBundleSource {
  const out: TrustBundleSource = { what: b.what, origin: b.origin };
  if (b.root) out.root = b.root;
  if (b.issuer) out.issuer = b.issuer;
  if (b.key) out.key = b.key;
  return out;
}

const ROLE_OF_VALUE: ReadonlyArray<[keyof typeof SENTRY_TLS, TrustRole]> = [
  ['root', 'root'],
  ['issuer', 'issuer'],
  ['key', 'issuer-key'],
];

/** The Sentry credentials an install of the Dapr chart sets. */
function installBundle(install: DaprInstallIn): TrustBundleSource {
  const bundle: BundleDraft = { what: install.description, origin: 'chart-values' };
  const scopes = [installScope(install)];
  for (const [slot, role] of ROLE_OF_VALUE) {
    const ref = installValue(install, SENTRY_TLS[slot]);
    if (!ref || ref.value === undefined) continue;
    const pem = pemTextOf(ref.value);
    if (!pem) continue;
    const at: NodeRef = ref.offsets ? { pdoc: ref.pdoc, node: ref.node, offsets: ref.offsets } : { pdoc: ref.pdoc, node: ref.node };
    bundle[slot] = { ...pem, file: ref.pdoc.file.path, at, where: `${ref.path} (${install.description})`, path: ref.path, scopes, role, sops: isSopsDoc(ref.pdoc) };
  }
  return compact(bundle);
}

/**
 * A values file that no chart, HelmRelease or Application ties to the Dapr
 * chart (one passed with `helm install -f`) still says what it is by its
 * `dapr_sentry.tls` block: `dapr_sentry` is the Dapr chart's own key.
 */
function standaloneBundles(model: Model, placements: Placements): TrustBundleSource[] {
  const installed = new Set(model.daprInstalls.map((i) => i.pdoc.file.path));
  const out: TrustBundleSource[] = [];
  for (const pdoc of model.plainDocs) {
    if (installed.has(pdoc.file.path)) continue;
    const tls = asMap(childPath(pdoc.doc.contents, ['dapr_sentry', 'tls'], pdoc), pdoc);
    if (!tls) continue;
    const bundle: BundleDraft = { what: `the dapr_sentry.tls values of ${pdoc.file.path}`, origin: 'chart-values' };
    for (const [slot, role] of ROLE_OF_VALUE) {
      const path = SENTRY_TLS[slot];
      const node = childPath(pdoc.doc.contents, path.split('.'), pdoc);
      const v = node === undefined || node === null ? undefined : scalarPemValue(pdoc, node, path, undefined, placements.ofFile(pdoc.file.path), role);
      if (v) bundle[slot] = v;
    }
    out.push(compact(bundle));
  }
  return out;
}

/** Every place that holds Sentry credentials: trust bundle Secrets and `dapr_sentry.tls` chart values. */
export function trustBundles(model: Model): TrustBundleSource[] {
  const placements = new Placements(model);
  return [...secretBundles(model), ...model.daprInstalls.map(installBundle), ...standaloneBundles(model, placements)].filter((b) => b.root || b.issuer || b.key);
}

/** Every value that may hold certificates: Secrets, ConfigMaps, Sentry chart values, `.crt`/`.pem` files. */
export function certificateValues(model: Model): PemValue[] {
  const placements = new Placements(model);
  // Trust bundle Secrets are already among the Secrets.
  const fromCharts = trustBundles(model)
    .filter((b) => b.origin === 'chart-values')
    .flatMap((b) => [b.root, b.issuer].filter((v): v is PemValue => v !== undefined));
  const files = model.pemFiles.map((f) => pemFileValue(f, placements));
  return [...secretAndConfigMapValues(model), ...fromCharts, ...files];
}

// ---------------------------------------------------------------------------
// Placeholders

/** Armor headers (RFC 1421 `Proc-Type:`/`DEK-Info:`, OpenPGP `Version:`) are not key material. */
const ARMOR_HEADER = /^[A-Za-z][A-Za-z0-9-]*:\s/;
/** Marks of an elided or templated body: `...`, `…`, `{{ }}`, `${VAR}`, `<your key>`. */
const PLACEHOLDER = /\.\.\.|…|\{\{|\$\{|<[^>]*>/;
/** The shortest real private key (Ed25519 PKCS#8) is 48 bytes: 64 base64 characters. */
const MIN_KEY_CHARS = 64;

/**
 * Whether a block's body could be a key at all. Documentation writes
 * `-----BEGIN PRIVATE KEY-----\nXXX\n-----END PRIVATE KEY-----` or elides the
 * body with `...`; those are not committed keys. Anything with enough base64
 * is, parseable or not: a truncated or OpenSSH key is still a leak.
 */
export function hasKeyMaterial(block: PemBlock): boolean {
  // Between the markers, not between the first and last lines: a folded or
  // plain YAML scalar puts the whole block on one line.
  const inner = block.text.slice(`-----BEGIN ${block.label}-----`.length, block.text.length - `-----END ${block.label}-----`.length);
  const body = inner
    .split(/\r?\n|\\n/)
    .map((l) => l.trim())
    .filter((l) => !ARMOR_HEADER.test(l))
    .join('');
  if (PLACEHOLDER.test(body)) return false;
  const chars = body.match(/[A-Za-z0-9+/]/g)?.length ?? 0;
  return chars >= MIN_KEY_CHARS;
}

/** Private-key blocks that hold key material. */
export function isCommittedKeyBlock(block: PemBlock): boolean {
  return isPrivateKeyLabel(block.label) && hasKeyMaterial(block);
}
