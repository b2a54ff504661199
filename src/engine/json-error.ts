// Where a JSON text stops being JSON. Node's JSON.parse messages quote a
// piece of the text ("Unexpected token 'g', "ghp_abc..." is not valid JSON")
// and not always an offset; the config may be anything (a link to a file of
// secrets), and error messages end up in public CI logs. This scanner finds
// the offset without quoting anything, with an explicit stack, so that a
// config nested 100,000 levels deep is no problem either.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Offset of the first character that makes `text` invalid JSON (its length when it ends too early), or undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  const stack: Array<'{' | '['> = [];
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    STRING_BODY.lastIndex = i + 1;
    if (!STRING_BODY.test(text)) return false;
    i = STRING_BODY.lastIndex;
    return true;
  };
  // After a value: a comma, a closer, or the end.
  const afterValue = (): number | undefined | 'value' | 'key' => {
    for (;;) {
      skip();
      if (stack.length === 0) return i === text.length ? undefined : i;
      const top = stack[stack.length - 1];
      if (text[i] === ',') {
        i++;
        return top === '{' ? 'key' : 'value';
      }
      if (!((top === '{' && text[i] === '}') || (top === '[' && text[i] === ']'))) return i;
      // A closer ends the container's value: look again after it, one level up.
      i++;
      stack.pop();
    }
  };
  let expect: 'value' | 'key' = 'value';
  for (;;) {
    skip();
    if (expect === 'key') {
      if (!string()) return i;
      skip();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      skip();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        expect = c === '{' ? 'key' : 'value';
        continue;
      }
    } else if (c === '"') {
      if (!string()) return Math.min(i, text.length);
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return i;
      i = NUMBER.lastIndex;
    }
    const next = afterValue();
    if (next === 'key' || next === 'value') expect = next;
    else return next;
  }
}
