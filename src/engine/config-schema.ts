// Validates rules.config.json against schema/rules.config.schema.json and turns
// ajv's errors into messages a person can act on.
import type { ErrorObject } from 'ajv';
// Compiled at build time from schema/rules.config.schema.json (`npm run generate`).
import { validateConfig as validate } from '../generated/config-validator.js';

export interface SchemaError {
  /** JSON pointer of the offending value (`/rules/DAPR101/level`). */
  path: string;
  message: string;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function humanize(e: ErrorObject, data: unknown): SchemaError | undefined {
  const actual = valueAt(data, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing branch reports the real problem
    case 'additionalProperties': {
      const prop = String(p.additionalProperty);
      const at = `${e.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (e.instancePath === '/rules') return { path: at, message: `unknown rule "${prop}": expected a rule id (DAPR101) or name (component-unscoped); run \`dapr-policy rules\` to list them` };
      return { path: at, message: `unknown field "${prop}"` };
    }
    case 'enum':
      return { path: e.instancePath, message: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(actual)}` };
    case 'type':
      return { path: e.instancePath, message: `expected ${String(p.type)}, got ${describeValue(actual)}` };
    case 'required':
      return { path: e.instancePath, message: `missing required field "${String(p.missingProperty)}"` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'pattern':
    case 'format':
      return { path: e.instancePath, message: `expected a value that ${e.message ?? 'is valid'}, got ${describeValue(actual)}` };
    default:
      return { path: e.instancePath, message: `${e.message ?? 'is invalid'} (got ${describeValue(actual)})` };
  }
}

export function validateConfigSchema(data: unknown): SchemaError[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of validate.errors ?? []) {
    const h = humanize(e, data);
    if (!h) continue;
    const key = `${h.path}\u0000${h.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(h);
  }
  return out;
}
