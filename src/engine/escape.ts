// Text from the scanned repository (resource names, keys, file names,
// comments) ends up in messages. Printed raw, a name holding `\u001b[2J`
// would clear the reviewer's terminal, a newline would forge an extra line of
// output (or a GitHub workflow command), and bidirectional or zero-width
// characters would make one name look like another. Every such character is
// written as a visible escape instead: `\n`, `\r`, `\t`, else `\uXXXX`.
// The result holds none of them, so escaping twice changes nothing.

/**
 * C0 and C1 controls and DEL; bidirectional marks, embeddings, overrides and
 * isolates; zero-width characters and invisible operators; the line and
 * paragraph separators; the byte-order mark.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(s: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
