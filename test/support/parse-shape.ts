// What any reader of a parse could see, as plain data to compare: a restored
// parse (cache, parse workers) must equal a fresh one in every part of it.
import type { ParsedFile } from '../../src/engine/parse.js';

const NODE_TYPE = Symbol.for('yaml.node.type');
/** Every own field, the class, the node type and the schema of collections: what any reader of a node could see. */
function shapeOf(node: unknown, depth = 0): unknown {
  // A merge key's value is a new Symbol('<<') in every parse: two parses of one file differ only in its identity.
  if (typeof node === 'symbol') return `symbol ${node.description ?? ''}`;
  if (node === null || typeof node !== 'object') return node;
  if (depth > 200) throw new Error('too deep');
  const n = node as Record<string | symbol, unknown>;
  const out: Record<string, unknown> = { class: Object.getPrototypeOf(node)?.constructor?.name, type: String(n[NODE_TYPE]) };
  if ('schema' in n) out.schema = (n.schema as { name?: string } | undefined)?.name ?? typeof n.schema;
  for (const [k, v] of Object.entries(n)) out[k] = Array.isArray(v) ? v.map((x) => shapeOf(x, depth + 1)) : shapeOf(v, depth + 1);
  return out;
}

export function parsedShape(p: ParsedFile): unknown {
  return {
    text: p.text,
    lineStarts: p.lineCounter.lineStarts,
    syntax: p.syntax,
    notifications: p.notifications,
    skipped: p.skipped,
    blanked: p.blanked,
    docs: p.docs.map((d) => ({ index: d.index, startLine: d.startLine, endLine: d.endLine, range: d.doc.range, contents: shapeOf(d.doc.contents), js: d.doc.toJS({ maxAliasCount: -1 }), str: d.doc.toString() })),
  };
}

