// render/template-static.ts: what can be read from a Helm template without
// rendering it, for charts that no helm could render (DAPR007 says so). The
// template text is turned into YAML of exactly the same length, line for
// line, so every node keeps its position in the template file:
// - a line that holds only `{{ }}` actions (if/range/end/include…) is blanked;
// - the `else` branch of an `if` is blanked, so that two branches do not
//   write the same key twice (the first branch is read), and so is the body
//   of a `define` (a fragment for other templates, not part of the document);
// - an action where a YAML value or key starts becomes a double-quoted
//   string that still reads `{{…}}`, which every rule treats as an unknown
//   value (isTemplated), never as a literal;
// - an action inside a scalar (`repo/{{ .Values.tag }}`) is valid YAML as is.
// Values that only the values files know stay unknown; static annotations
// such as `dapr.io/sidecar-listen-addresses: "0.0.0.0"` are found, located
// in the template.
import { DAPR_GROUP, daprResource } from '../extract/dapr.js';
import { kubernetesResource, resourceBase } from '../extract/kubernetes.js';
import { parseText, type ParseOptions, type ParsedFile } from '../parse.js';
import type { Resource } from '../resources.js';
import { lineBreaksAsLf, regionOf, regionOfOffsets } from '../yaml.js';

const ACTION = /\{\{[\s\S]*?\}\}/g;

function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/** The template with every `{{ }}` action blanked (same length, line breaks kept): its comments are where YAML would find them. */
export function withoutActions(text: string): string {
  return text.replace(ACTION, blank);
}

/** A same-length double-quoted YAML string that still reads as a template (`{{…}}`). */
function quoted(segment: string): string {
  const n = segment.length;
  const inner = (s: string): string => s.replace(/["\\]/g, (c) => (c === '"' ? "'" : '/'));
  if (n >= 6 && segment.startsWith('{{') && segment.endsWith('}}')) return `"{{${inner(segment.slice(3, n - 3))}}}"`;
  if (n >= 4 && segment.startsWith('{{')) return `"{{${inner(segment.slice(3, n - 1))}"`;
  if (n >= 2) return `"${inner(segment.slice(1, n - 1))}"`;
  return segment;
}

interface Action {
  start: number;
  end: number;
  text: string;
}

function keyword(action: string): string | undefined {
  return /^\{\{-?\s*(if|else|end|range|with|define|block)\b/.exec(action)?.[1];
}

/**
 * Offsets of text that is not read: `else` branches (from an `{{ else }}` of
 * an `if`, `with` or `range` to its `{{ end }}`) and `define` bodies (named
 * templates are fragments, not part of the document). Nested blocks count.
 */
function unreadRanges(actions: Action[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const stack: Array<{ elseAt?: number; defineAt?: number }> = [];
  for (const a of actions) {
    const k = keyword(a.text);
    if (k === 'define') stack.push({ defineAt: a.start });
    else if (k === 'if' || k === 'range' || k === 'with' || k === 'block') stack.push({});
    else if (k === 'else') {
      const top = stack[stack.length - 1];
      if (top && top.elseAt === undefined) top.elseAt = a.end;
    } else if (k === 'end') {
      const top = stack.pop();
      if (top?.defineAt !== undefined) out.push([top.defineAt, a.end]);
      else if (top?.elseAt !== undefined) out.push([top.elseAt, a.start]);
    }
  }
  return out;
}

/** The template as YAML of the same length, as described above. */
export function sanitizeTemplate(template: string): string {
  // A lone CR ends a line here too, as everywhere in a scan (same offsets).
  const text = lineBreaksAsLf(template);
  const actions: Action[] = [...text.matchAll(ACTION)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, text: m[0] }));
  const chars = text.split('');
  const put = (start: number, s: string): void => {
    for (let i = 0; i < s.length; i++) chars[start + i] = s[i];
  };
  for (const [from, to] of unreadRanges(actions)) put(from, blank(text.slice(from, to)));
  const lineStart = (i: number): number => text.lastIndexOf('\n', i - 1) + 1;
  const lineEnd = (i: number): number => {
    const e = text.indexOf('\n', i);
    return e === -1 ? text.length : e;
  };
  for (const a of actions) {
    if (chars[a.start] !== '{') continue; // inside an else branch, already blank
    if (a.text.includes('\n')) {
      put(a.start, blank(a.text)); // a multi-line action is a directive or a comment
      continue;
    }
    const ls = lineStart(a.start);
    const le = lineEnd(a.start);
    const line = chars.slice(ls, le).join('');
    if (line.replace(ACTION, '').trim() === '') {
      put(ls, blank(line));
      continue;
    }
    const before = chars.slice(ls, a.start).join('');
    // Where a key or a value starts: after the indentation, a `- ` or `key: `.
    if (!/^(\s*(-\s+)*|.*:\s+)$/.test(before)) continue;
    const after = chars.slice(a.end, le).join('');
    if (/^\s*(#.*)?$/.test(after) || /^:(\s|$)/.test(after)) {
      put(a.start, quoted(a.text));
    } else {
      // The value goes on after the action (`{{ .a }}-{{ .b }}`): quote up to the end of the line.
      let end = le;
      while (end > a.start && /\s/.test(text[end - 1])) end--;
      put(a.start, quoted(chars.slice(a.start, end).join('')));
    }
  }
  return chars.join('');
}

/**
 * Resources read statically from chart templates (`.yaml`/`.yml` files under
 * `templates/`): documents that still parse after sanitizing. A templated
 * namespace is unknown, so it is dropped and the resource takes the default.
 */
export function staticTemplateResources(templates: ParsedFile[], opts: ParseOptions): Resource[] {
  const out: Resource[] = [];
  for (const t of templates) {
    if (!/\.ya?ml$/i.test(t.file.path)) continue;
    const parsed = parseText(t.file, sanitizeTemplate(t.text), opts);
    for (const pdoc of parsed.docs) {
      if (pdoc.doc.contents === null) continue;
      // Same offsets as the template, so positions are exact; the origin marks it as no YAML to edit (the text is sanitized).
      pdoc.origin = { tool: 'helm', source: t.file.path, locate: (node, offsets) => ({ location: { file: t.file.path, region: offsets ? regionOfOffsets(pdoc, offsets[0], offsets[1]) : regionOf(pdoc, node) } }) };
      const base = resourceBase(pdoc);
      if (!base) continue;
      if (base.declaredNamespace?.value.includes('{{')) delete base.declaredNamespace;
      out.push(base.group === DAPR_GROUP ? daprResource(base) : kubernetesResource(base));
    }
  }
  return out;
}
