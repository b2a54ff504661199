// Shared by DAPR201 (plaintext-secret) and its tests' expectations: where the
// credential inside a value starts and ends, and how to name an embedded one
// without quoting it. Descriptions are built from keys, schemes and fixed
// words only, never from the value.
import { type EmbeddedCredentialKind } from '../knowledge/credentials.js';
import { classifyLiteral, findUrls, parseConnectionParams, type ValueRange } from '../knowledge/metadata-values.js';

/**
 * Fill-in markers the knowledge's placeholder list does not know, each seen
 * in public Dapr manifests where a script or a reader replaces it:
 * - `{SOME_NAME}`: dapr/samples workflow-external-invocation writes
 *   `Bearer {SQUARE_SANDBOX_TOKEN}`. Upper-case only, so that a real secret
 *   in braces still counts; daprd's own tags (`{uuid}`) are the knowledge's;
 * - `$((name))`: the templating of components-contrib's certification tests;
 * - `REPLACE_SECRET`, `your-password-here`: a word asking to be replaced,
 *   then at least one `_`/`-` separated word (dapr/samples functions-and-keda).
 */
const FILL_IN_MARKERS: readonly RegExp[] = [/^\{[A-Z][A-Z0-9_]*\}$/, /^\$\(\([A-Za-z_][\w.-]*\)\)$/, /^(?:replace|your|insert|enter)(?:[_-][a-z0-9]+)+$/i];

export function isFillInMarker(text: string): boolean {
  const t = text.trim();
  return FILL_IN_MARKERS.some((m) => m.test(t));
}

/** A literal worth reporting: not empty, not a placeholder, not a fill-in marker. */
export function isLiteralSecret(text: string): boolean {
  return classifyLiteral(text).kind === 'literal' && !isFillInMarker(text);
}

/**
 * A file name or path rather than key material: several components take
 * either (pubsub.pulsar `privateKey: private.key` in components-contrib's
 * certification tests). A bare name counts only with a key-file extension;
 * an absolute path needs a folder, so that a base64 secret starting with `/`
 * still counts.
 */
export function looksLikeFilePath(text: string): boolean {
  const t = text.trim();
  if (/^\/(?:[\w.-]+\/)+[\w.-]+$/.test(t)) return true;
  return /^(?:\.{1,2}\/)?(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:key|pem|crt|cer|der|p8|p12|pfx|jks|json|txt|token|jwt|creds|nk|seed)$/i.test(t);
}

/** HTTP authentication schemes (RFC 9110 §11 and common API ones) that precede the credential in a header value. */
const AUTH_SCHEME = /^\s*(?:bearer|basic|token|digest|negotiate|apikey|api-key|key|ssws|splunk|sharedaccesssignature)(?=\s|$)\s*/i;

/**
 * The credential inside an HTTP header value: after an authentication scheme
 * (`Bearer …`, `Basic …`), else the trimmed value. Undefined when there is
 * none: empty, a scheme alone, a placeholder, a fill-in marker.
 */
export function headerCredentialRange(text: string): ValueRange | undefined {
  const literal = classifyLiteral(text);
  if (literal.kind !== 'literal') return undefined;
  const scheme = AUTH_SCHEME.exec(text);
  const start = scheme === null ? literal.start : Math.max(literal.start, scheme[0].length);
  if (start >= literal.end) return undefined;
  return isLiteralSecret(text.slice(start, literal.end)) ? { start, end: literal.end } : undefined;
}

/**
 * How to name a credential embedded in `value` at `range` in a message:
 * `the password in the user-info of its redis:// URL`, `the Password= value
 * of its connection string` (the key as written), `the password of its MySQL
 * DSN (user:password@…)`.
 */
export function describeEmbedded(value: string, kind: EmbeddedCredentialKind, range: ValueRange): string {
  switch (kind) {
    case 'url-userinfo': {
      const url = findUrls(value).find((u) => u.password?.start === range.start);
      return `the password in the user-info of its ${url?.scheme ?? 'URL'}:// URL`;
    }
    case 'connection-string-param': {
      const param = parseConnectionParams(value).find((p) => p.valueRange.start === range.start);
      const key = param === undefined ? 'password' : value.slice(param.keyRange.start, param.keyRange.end);
      return `the ${key}= value of its connection string`;
    }
    case 'mysql-dsn':
      return 'the password of its MySQL DSN (user:password@…)';
  }
}

/** A stable fingerprint suffix for the n-th embedded credential of a value. */
export function embeddedPathSuffix(value: string, kind: EmbeddedCredentialKind, range: ValueRange, n: number): string {
  if (kind === 'connection-string-param') {
    const param = parseConnectionParams(value).find((p) => p.valueRange.start === range.start);
    return `#${param?.key ?? 'param'}`;
  }
  return kind === 'mysql-dsn' ? '#dsn-password' : `#url-password-${n}`;
}
