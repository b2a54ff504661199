// How the sidecar injector reads `dapr.io/env` and `dapr.io/env-from-secret`
// (dapr/dapr pkg/injector/patcher/sidecar_container.go, parseEnvVars and
// createSecretSource). DAPR204 and DAPR206 parse both the way the injector
// does, so that they judge exactly the variables daprd gets.

export interface EnvEntry {
  /** Variable name (text before the first `=`). */
  name: string;
  /** Everything after the first `=`. */
  value: string;
  /** Character range of the trimmed `NAME=value` entry inside the annotation value. */
  start: number;
  end: number;
  /**
   * The injector splits an entry on every `=` and drops it unless there are
   * exactly two parts: a value holding `=` never reaches daprd.
   */
  droppedByInjector: boolean;
}

/**
 * An entry starts after a comma that is followed by `NAME=`: a comma inside a
 * value (`hosts=a,b`) does not split it (envRegexp in the injector).
 */
const ENTRY_START = /,\s*[a-zA-Z_][a-zA-Z0-9_]*=/g;

/** Splits an annotation value into its entries, with positions, as the injector does. */
export function parseEnvAnnotation(text: string): EnvEntry[] {
  const cuts = [...text.matchAll(ENTRY_START)].map((m) => m.index ?? 0);
  const bounds: Array<[number, number]> = [];
  let from = 0;
  for (const comma of cuts) {
    bounds.push([from, comma]);
    from = comma + 1;
  }
  bounds.push([from, text.length]);
  const out: EnvEntry[] = [];
  for (const [a, b] of bounds) {
    const entry = trimmedEntry(text, a, b);
    if (entry) out.push(entry);
  }
  return out;
}

function trimmedEntry(text: string, a: number, b: number): EnvEntry | undefined {
  const raw = text.slice(a, b);
  const start = a + (raw.length - raw.trimStart().length);
  const trimmed = raw.trim();
  const eq = trimmed.indexOf('=');
  if (eq <= 0) return undefined; // no `NAME=`: the injector skips it
  return {
    name: trimmed.slice(0, eq),
    value: trimmed.slice(eq + 1),
    start,
    end: start + trimmed.length,
    droppedByInjector: trimmed.split('=').length !== 2,
  };
}

export interface SecretSelector {
  secret: string;
  key: string;
  /** False when the key was left out and defaults to the Secret name. */
  keyWritten: boolean;
}

/**
 * The Secret and key an env-from-secret value names: `secret:key`, or `secret`
 * alone, which the injector reads as key = secret name. Undefined when the
 * injector ignores it (more than one `:`, or an empty part).
 */
export function secretSelector(value: string): SecretSelector | undefined {
  const clean = value.trim();
  if (!clean.includes(':')) return clean ? { secret: clean, key: clean, keyWritten: false } : undefined;
  const parts = clean.split(':');
  if (parts.length !== 2) return undefined;
  const [secret, key] = parts.map((p) => p.trim());
  return secret && key ? { secret, key, keyWritten: true } : undefined;
}
