// Reading Component metadata *values* the way daprd and the drivers behind
// components-contrib read them: booleans, placeholders, URLs and the
// `key=value` connection-string dialects. Type-agnostic and pure; the
// per-type knowledge lives in credentials.ts and transport-security.ts.
//
// Offsets are JavaScript string indices into the value exactly as given
// (UTF-16 code units), half-open: `value.slice(start, end)`. Nothing here
// ever copies a secret into a description string.
import { isTruthy } from './annotations.js';

/** A half-open character range inside a metadata value. */
export interface ValueRange {
  readonly start: number;
  readonly end: number;
}

// ---------------------------------------------------------------------------
// Placeholders

/**
 * How a value is filled in by a tool rather than written literally:
 * - `template`: Helm / Go template `{{ … }}` (also GitHub `${{ … }}`);
 * - `env-var`: `${VAR}` (envsubst, Flux post-build substitution, the
 *   `os.ExpandEnv` daprd applies to self-hosted Configuration files);
 * - `command-substitution`: `$(VAR)` (Kubernetes dependent env vars, shells,
 *   Azure Pipelines);
 * - `angle-bracket`: the whole value is a fill-me-in marker `<your-password>`;
 * - `dapr-tag`: the value is made only of the tags daprd substitutes itself,
 *   `{uuid}`, `{podName}`, `{namespace}`, `{appID}` (dapr-security-facts.md
 *   §4.1), joined by separators — e.g. `{podName}` or `{appID}-{uuid}`.
 */
export type PlaceholderKind = 'template' | 'env-var' | 'command-substitution' | 'angle-bracket' | 'dapr-tag';

const TEMPLATE = /\{\{[\s\S]*?\}\}/;
const ENV_VAR = /\$\{[^{}\s][^{}]*\}/;
const COMMAND_SUBSTITUTION = /\$\([A-Za-z_][A-Za-z0-9_]*\)/;
const ANGLE_BRACKET = /^<[^<>\n]+>$/;
/** daprd replaces these exact, case-sensitive strings in metadata values. */
const DAPR_TAGS = /\{(?:uuid|podName|namespace|appID)\}/g;
/** What may surround Dapr tags for the value to still carry no literal content. */
const TAG_SEPARATORS = /^[\s\-_.:/|@]*$/;

/**
 * The placeholder kind of a value, or undefined when it is literal.
 * Tool syntaxes (`{{ }}`, `${ }`, `$( )`) count anywhere in the value: the
 * written text is not what reaches daprd. `<…>` and Dapr tags count only when
 * they make up the whole value, because `<` and `{` occur in real passwords.
 */
export function placeholderKind(value: string): PlaceholderKind | undefined {
  if (TEMPLATE.test(value)) return 'template';
  if (ENV_VAR.test(value)) return 'env-var';
  if (COMMAND_SUBSTITUTION.test(value)) return 'command-substitution';
  const trimmed = value.trim();
  if (ANGLE_BRACKET.test(trimmed)) return 'angle-bracket';
  const withoutTags = trimmed.replace(DAPR_TAGS, '');
  if (withoutTags !== trimmed && TAG_SEPARATORS.test(withoutTags)) return 'dapr-tag';
  return undefined;
}

export function isPlaceholder(value: string): boolean {
  return placeholderKind(value) !== undefined;
}

/** What a `value:` holds, before any per-field judgement. */
export type LiteralClass =
  | { readonly kind: 'empty' }
  | { readonly kind: 'placeholder'; readonly placeholder: PlaceholderKind }
  /** A literal; the range excludes leading and trailing whitespace. */
  | { readonly kind: 'literal'; readonly start: number; readonly end: number };

/**
 * Classify a metadata value. `null`/`undefined` (YAML `value:` with nothing
 * after it) and whitespace-only strings are empty: daprd passes "" to the
 * component, which then runs without that setting.
 */
export function classifyLiteral(value: string | null | undefined): LiteralClass {
  if (value === null || value === undefined || value.trim() === '') return { kind: 'empty' };
  const placeholder = placeholderKind(value);
  if (placeholder !== undefined) return { kind: 'placeholder', placeholder };
  const start = value.length - value.trimStart().length;
  const end = value.trimEnd().length;
  return { kind: 'literal', start, end };
}

// ---------------------------------------------------------------------------
// Booleans

/**
 * A metadata boolean as components-contrib decodes it: `kitmd.DecodeMetadata`
 * runs every bool field through `toTruthyBoolHookFunc`, i.e. daprd's
 * IsTruthy (dapr/kit metadata/utils.go), so anything that is not
 * `y|yes|true|t|on|1` (trimmed, any case) is false. YAML booleans arrive as
 * their text. Returns undefined when the value says nothing: empty, or a
 * placeholder whose rendered value we cannot know.
 */
export function readMetadataBool(value: string | boolean | null | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const literal = classifyLiteral(value);
  if (literal.kind !== 'literal' || value === null || value === undefined) return undefined;
  return isTruthy(value);
}

// ---------------------------------------------------------------------------
// Scanning helpers

/**
 * Index of the first character at or after `from` that satisfies `stop`,
 * stepping over `{{ … }}`, `${ … }` and `$( … )` as opaque units so that a
 * template containing spaces or separators does not split a token.
 */
function scanTo(text: string, from: number, stop: (ch: string) => boolean): number {
  let i = from;
  while (i < text.length) {
    const skip = placeholderSpanEnd(text, i);
    if (skip !== undefined) {
      i = skip;
      continue;
    }
    if (stop(text[i])) return i;
    i += 1;
  }
  return text.length;
}

/** If a tool placeholder starts at `i`, the index just past it. */
function placeholderSpanEnd(text: string, i: number): number | undefined {
  if (text.startsWith('{{', i)) {
    const close = text.indexOf('}}', i + 2);
    return close === -1 ? undefined : close + 2;
  }
  if (text.startsWith('${', i)) {
    const close = text.indexOf('}', i + 2);
    return close === -1 ? undefined : close + 1;
  }
  if (text.startsWith('$(', i)) {
    const close = text.indexOf(')', i + 2);
    return close === -1 ? undefined : close + 1;
  }
  return undefined;
}

const isSpace = (ch: string): boolean => /\s/.test(ch);

/** `decodeURIComponent` that gives the raw text back when it is not valid percent-encoding. */
export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------
// URLs

/** One `scheme://…` occurrence in a value. */
export interface UrlToken {
  /** Lower-cased scheme, e.g. `redis`, `pulsar+ssl`. */
  readonly scheme: string;
  /** The whole token, from the scheme's first letter. */
  readonly start: number;
  readonly end: number;
  /** The authority (`userinfo@host:port,host2:port`), after `//`. */
  readonly authority: ValueRange;
  /** `user:password` before the last `@` of the authority, when there is one. */
  readonly userinfo?: ValueRange;
  /** The password part of the userinfo (after its first `:`), possibly empty. */
  readonly password?: ValueRange;
  /** The host list after the userinfo: each `host[:port]`, comma-separated for multi-host URLs. */
  readonly hosts: readonly ValueRange[];
  /** True when the token starts the value or follows whitespace, `,`, `;` or `=`. */
  readonly standalone: boolean;
}

const SCHEME_START = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):\/\//g;

/**
 * Every `scheme://` URL in a value. The authority ends at the first `/`, `?`,
 * `#` or `;` and the userinfo at the *last* `@` in it, as Go's net/url does
 * (so a password must percent-encode `/`, `?`, `#` and `@` to work in daprd
 * too). A token ends at whitespace, a quote, or where the next URL starts
 * (`nats://a:4222,nats://b:4222`).
 */
export function findUrls(value: string): UrlToken[] {
  const starts: Array<{ index: number; scheme: string; bodyStart: number }> = [];
  for (const m of value.matchAll(SCHEME_START)) {
    const index = m.index ?? 0;
    starts.push({ index, scheme: m[1].toLowerCase(), bodyStart: index + m[0].length });
  }
  const tokens: UrlToken[] = [];
  starts.forEach((s, n) => {
    const limit = n + 1 < starts.length ? starts[n + 1].index : value.length;
    let end = scanTo(value, s.bodyStart, (ch) => isSpace(ch) || ch === '"' || ch === "'");
    end = Math.min(end, limit);
    while (end > s.bodyStart && (value[end - 1] === ',' || value[end - 1] === ';')) end -= 1;
    const authEnd = scanTo(value, s.bodyStart, (ch) => '/?#;'.includes(ch) || isSpace(ch) || ch === '"' || ch === "'");
    const authority: ValueRange = { start: s.bodyStart, end: Math.min(authEnd, end) };
    const authText = value.slice(authority.start, authority.end);
    const at = lastAtOutsidePlaceholders(authText);
    let userinfo: ValueRange | undefined;
    let password: ValueRange | undefined;
    let hostStart = authority.start;
    if (at !== -1) {
      userinfo = { start: authority.start, end: authority.start + at };
      const colon = authText.slice(0, at).indexOf(':');
      if (colon !== -1) password = { start: authority.start + colon + 1, end: authority.start + at };
      hostStart = authority.start + at + 1;
    }
    const hosts: ValueRange[] = [];
    let p = hostStart;
    while (p <= authority.end) {
      const comma = scanTo(value.slice(0, authority.end), p, (ch) => ch === ',');
      if (comma > p) hosts.push({ start: p, end: comma });
      p = comma + 1;
    }
    const before = s.index === 0 ? '' : value[s.index - 1];
    const standalone = value.slice(0, s.index).trim() === '' || /[\s,;=]/.test(before);
    tokens.push({ scheme: s.scheme, start: s.index, end, authority, userinfo, password, hosts, standalone });
  });
  return tokens;
}

function lastAtOutsidePlaceholders(text: string): number {
  let last = -1;
  let i = 0;
  while (i < text.length) {
    const skip = placeholderSpanEnd(text, i);
    if (skip !== undefined) {
      i = skip;
      continue;
    }
    if (text[i] === '@') last = i;
    i += 1;
  }
  return last;
}

// ---------------------------------------------------------------------------
// key=value connection strings

/** Which `key=value` syntax a parameter came from. */
export type ParamSyntax =
  /** ADO.NET / ODBC / Azure: `;`-separated, values may be `"…"`, `'…'` or `{…}` quoted. */
  | 'semicolon'
  /** libpq keyword/value: whitespace-separated, values may be `'…'` quoted. */
  | 'whitespace'
  /** URL query or MySQL DSN parameters: `?a=b&c=d`, values percent-encoded. */
  | 'query';

/** One `key=value` parameter of a connection string. */
export interface ConnectionParam {
  /** The key, trimmed and lower-cased (ADO keys may contain spaces: `user id`). */
  readonly key: string;
  readonly keyRange: ValueRange;
  /** The value as written, without its quotes. */
  readonly valueRange: ValueRange;
  /**
   * The value decoded: quotes un-doubled, percent-escapes decoded for `query`.
   * For a `password=` parameter this *is* the secret: use it to judge, never
   * to build a message.
   */
  readonly value: string;
  readonly syntax: ParamSyntax;
}

const LIBPQ_START = /^\s*[A-Za-z_][A-Za-z0-9_.-]*\s*=/;

/**
 * The `key=value` parameters of a connection string, in whichever dialect it
 * is written: `;`-separated when it contains a `;`, libpq when it starts with
 * `keyword=`, otherwise the query after the first `?` (URLs, MySQL DSNs,
 * MongoDB `params: "?tls=false"`). Values are split at the first `=`, so
 * base64 keys ending in `=` survive.
 */
export function parseConnectionParams(value: string): ConnectionParam[] {
  if (scanTo(value, 0, (ch) => ch === ';') < value.length) return parseSemicolon(value);
  if (LIBPQ_START.test(value)) return parseWhitespace(value);
  const q = scanTo(value, 0, (ch) => ch === '?');
  if (q < value.length) return parseQuery(value, q + 1);
  return [];
}

function trimRange(value: string, start: number, end: number): ValueRange {
  let s = start;
  let e = end;
  while (s < e && isSpace(value[s])) s += 1;
  while (e > s && isSpace(value[e - 1])) e -= 1;
  return { start: s, end: e };
}

function parseSemicolon(value: string): ConnectionParam[] {
  const params: ConnectionParam[] = [];
  let i = 0;
  while (i < value.length) {
    const eq = scanTo(value, i, (ch) => ch === '=' || ch === ';');
    if (eq >= value.length || value[eq] === ';') {
      i = eq + 1; // a segment without `=` (e.g. the `jdbc:…://host` prefix)
      continue;
    }
    const keyRange = trimRange(value, i, eq);
    let v = eq + 1;
    while (v < value.length && (value[v] === ' ' || value[v] === '\t')) v += 1;
    const open = value[v];
    const close = open === '"' ? '"' : open === "'" ? "'" : open === '{' ? '}' : undefined;
    let valueRange: ValueRange;
    let decoded: string;
    let next: number;
    if (close !== undefined && !value.startsWith('{{', v)) {
      // Quoted: a doubled closing character is a literal one (ADO `""`, ODBC `}}`).
      let j = v + 1;
      let text = '';
      while (j < value.length) {
        if (value[j] === close) {
          if (value[j + 1] === close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += value[j];
        j += 1;
      }
      valueRange = { start: v + 1, end: Math.min(j, value.length) };
      decoded = text;
      next = scanTo(value, Math.min(j + 1, value.length), (ch) => ch === ';') + 1;
    } else {
      const end = scanTo(value, v, (ch) => ch === ';');
      valueRange = trimRange(value, v, end);
      decoded = value.slice(valueRange.start, valueRange.end);
      next = end + 1;
    }
    const key = value.slice(keyRange.start, keyRange.end).toLowerCase();
    if (key !== '') params.push({ key, keyRange, valueRange, value: decoded, syntax: 'semicolon' });
    i = next;
  }
  return params;
}

function parseWhitespace(value: string): ConnectionParam[] {
  const params: ConnectionParam[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isSpace(value[i])) i += 1;
    if (i >= value.length) break;
    const eq = scanTo(value, i, (ch) => ch === '=' || isSpace(ch));
    // libpq allows spaces around `=`.
    let after = eq;
    while (after < value.length && isSpace(value[after])) after += 1;
    if (value[after] !== '=') {
      i = Math.max(eq, i + 1); // a bare word, not `keyword=value`
      continue;
    }
    const keyRange: ValueRange = { start: i, end: eq };
    let v = after + 1;
    while (v < value.length && isSpace(value[v])) v += 1;
    let valueRange: ValueRange;
    let decoded: string;
    if (value[v] === "'") {
      // libpq: single quotes, with `\'` and `\\` escapes.
      let j = v + 1;
      let text = '';
      while (j < value.length && value[j] !== "'") {
        if (value[j] === '\\' && j + 1 < value.length) {
          text += value[j + 1];
          j += 2;
          continue;
        }
        text += value[j];
        j += 1;
      }
      valueRange = { start: v + 1, end: Math.min(j, value.length) };
      decoded = text;
      i = j + 1;
    } else {
      const end = scanTo(value, v, isSpace);
      valueRange = { start: v, end };
      decoded = value.slice(v, end);
      i = end;
    }
    params.push({ key: value.slice(keyRange.start, keyRange.end).toLowerCase(), keyRange, valueRange, value: decoded, syntax: 'whitespace' });
  }
  return params;
}

function parseQuery(value: string, from: number): ConnectionParam[] {
  const params: ConnectionParam[] = [];
  const stop = scanTo(value, from, (ch) => ch === '#' || isSpace(ch));
  let i = from;
  while (i < stop) {
    const amp = Math.min(scanTo(value, i, (ch) => ch === '&'), stop);
    const eq = scanTo(value.slice(0, amp), i, (ch) => ch === '=');
    if (eq < amp) {
      const keyRange: ValueRange = { start: i, end: eq };
      const valueRange: ValueRange = { start: eq + 1, end: amp };
      const key = percentDecode(value.slice(i, eq)).trim().toLowerCase();
      const raw = value.slice(eq + 1, amp);
      params.push({ key, keyRange, valueRange, value: percentDecode(raw.replace(/\+/g, ' ')), syntax: 'query' });
    }
    i = amp + 1;
  }
  return params;
}

// ---------------------------------------------------------------------------
// MySQL DSN (go-sql-driver/mysql): [user[:password]@][net[(addr)]]/dbname[?params]

/** Ranges of a go-sql-driver DSN's user and password, when the value is one. */
export interface MysqlDsn {
  readonly user: ValueRange;
  readonly password: ValueRange;
}

/**
 * Parse a go-sql-driver/mysql DSN (used by `state.mysql` `connectionString`
 * and `bindings.mysql` `url`). Like the driver, the password runs from the
 * first `:` of the userinfo to the last `@` that is followed by
 * `net(addr)/` or `/`. A value containing `://` is a URL, not a DSN.
 */
export function parseMysqlDsn(value: string): MysqlDsn | undefined {
  if (value.includes('://')) return undefined;
  const m = /^(\s*)([^:@\s/]*):([\s\S]*)@(?:[A-Za-z][A-Za-z0-9]*(?:\([^()]*\))?)?\/[^\s]*\s*$/.exec(value);
  if (m === null) return undefined;
  const userStart = m[1].length;
  const user: ValueRange = { start: userStart, end: userStart + m[2].length };
  const passStart = user.end + 1;
  return { user, password: { start: passStart, end: passStart + m[3].length } };
}
