// Go's time.ParseDuration, which Sentry applies to `workloadCertTTL` and
// `allowedClockSkew` (dapr/dapr pkg/sentry/config/config.go). Written to the
// same grammar, so "valid" here means "valid for Sentry":
// [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, units ns us µs μs ms s m h, or a bare "0".

const NANOS_PER: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go durations are int64 nanoseconds; anything larger is a parse error there. */
const MAX_NANOS = 9_223_372_036_854_775_807n;

export const NANOS_PER_MINUTE = NANOS_PER.m;
export const NANOS_PER_HOUR = NANOS_PER.h;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Term {
  nanos: bigint;
  rest: string;
}

/** One `<number><unit>` term at the start of `s`, or undefined when it does not parse. */
function parseTerm(s: string): Term | undefined {
  let i = 0;
  while (isDigit(s[i])) i++;
  const whole = s.slice(0, i);
  let fraction = '';
  if (s[i] === '.') {
    const start = ++i;
    while (isDigit(s[i])) i++;
    fraction = s.slice(start, i);
  }
  if (whole === '' && fraction === '') return undefined; // "." or ".h"
  const unitStart = i;
  while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
  const unit = NANOS_PER[s.slice(unitStart, i)];
  if (unit === undefined) return undefined; // missing or unknown unit
  let nanos = BigInt(whole || '0') * unit;
  // Go scales the fraction in floating point and truncates; exact integer arithmetic agrees for every realistic input.
  if (fraction) nanos += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
  return { nanos, rest: s.slice(i) };
}

/** Nanoseconds, or undefined when Go's time.ParseDuration rejects the text. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    if (s[0] !== '.' && !isDigit(s[0])) return undefined;
    const term = parseTerm(s);
    if (!term) return undefined;
    total += term.nanos;
    if (total > MAX_NANOS + (negative ? 1n : 0n)) return undefined; // overflows int64
    s = term.rest;
  }
  return negative ? -total : total;
}

/** `90m` → "1h30m0s"-style text is Go's; for messages a short form is enough. */
export function describeNanos(nanos: bigint): string {
  const abs = nanos < 0n ? -nanos : nanos;
  const sign = nanos < 0n ? '-' : '';
  if (abs % NANOS_PER_HOUR === 0n) return `${sign}${abs / NANOS_PER_HOUR}h`;
  if (abs % NANOS_PER_MINUTE === 0n) return `${sign}${abs / NANOS_PER_MINUTE}m`;
  if (abs % NANOS_PER.s === 0n) return `${sign}${abs / NANOS_PER.s}s`;
  return `${sign}${abs}ns`;
}
