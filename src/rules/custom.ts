// Declarative custom rules from rules.config.json `customRules[]`: a match on
// kind, apiVersion, component type, namespace or environment, and a JSON
// Schema that a matching resource must satisfy. ajv evaluates the schema: no
// code from the configuration ever runs, and a `$ref` that is not local to
// the schema is refused before anything is compiled (ajv never fetches).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { compileGlob } from '../engine/glob.js';
import { ConfigError } from '../engine/config.js';
import { ajvRegExp } from '../engine/regex.js';
import type { CustomRuleDefinition } from '../engine/config-types.js';
import { isMap, isSeq } from 'yaml';
import { decodePointer, type Located, locate, plainData, valueAnchor, yamlPath } from '../engine/json-pointer.js';
import type { Instance } from '../engine/model.js';
import { describe, resourceAnchor } from './helpers.js';
import type { LevelTable, Rule, RuleMeta } from './types.js';

/** Nesting and size of a custom rule's schema beyond which it is refused before ajv compiles it (recursively). */
export const MAX_SCHEMA_DEPTH = 64;
export const MAX_SCHEMA_NODES = 50_000;

/**
 * Every `$ref` in a schema that does not point inside it, and whether the
 * schema is too deep or too large to compile. An explicit stack: the schema
 * comes from the pull request and may nest thousands of levels.
 */
export function inspectSchema(schema: unknown): { refs: string[]; tooDeep?: string; nodes: number } {
  const refs: string[] = [];
  let nodes = 0;
  let tooDeep: string | undefined;
  const stack: Array<[unknown, string, number]> = [[schema, '', 0]];
  while (stack.length > 0) {
    const [node, at, depth] = stack.pop() as [unknown, string, number];
    if (!node || typeof node !== 'object') continue;
    if (++nodes > MAX_SCHEMA_NODES) break;
    if (depth > MAX_SCHEMA_DEPTH) {
      tooDeep ??= at;
      continue;
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i];
      if (!Array.isArray(node) && k === '$ref' && typeof v === 'string' && !v.startsWith('#')) refs.push(`${at}/$ref (${v})`);
      else stack.push([v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1]);
    }
  }
  return { refs, nodes, ...(tooDeep !== undefined ? { tooDeep } : {}) };
}

/** Every `$ref` in a schema that does not point inside it. */
export function nonLocalRefs(schema: unknown): string[] {
  return inspectSchema(schema).refs;
}

function levels(def: CustomRuleDefinition): LevelTable {
  const base = def.level ?? 'warning';
  const t: LevelTable = { default: def.environments?.unclassified ?? base };
  if (def.environments?.production) t.production = def.environments.production;
  else t.production = base;
  if (def.environments?.['non-production']) t.nonProduction = def.environments['non-production'];
  else t.nonProduction = base;
  return t;
}

function metaOf(def: CustomRuleDefinition): RuleMeta {
  const description = def.description ?? def.message;
  return {
    id: def.id,
    name: def.name ?? def.id.toLowerCase(),
    shortDescription: description.slice(0, 1024),
    fullDescription: `Custom rule from rules.config.json: ${description}`.slice(0, 1024),
    levels: levels(def),
    securitySeverity: def.securitySeverity ?? 0,
    tags: ['custom'],
    precision: 'high',
    docs: { why: description, fix: def.message, incorrect: [], correct: [] },
    custom: true,
    ...(def.helpUri ? { helpUri: def.helpUri } : {}),
  };
}

type Matcher = (inst: Instance) => boolean;

function matcherOf(def: CustomRuleDefinition): Matcher {
  const m = def.match;
  const kinds = m.kind === undefined ? undefined : new Set(Array.isArray(m.kind) ? m.kind : [m.kind]);
  const api = m.apiVersion ? compileGlob(m.apiVersion) : undefined;
  const type = m.type ? compileGlob(m.type) : undefined;
  const ns = m.namespace ? compileGlob(m.namespace) : undefined;
  return (inst) => {
    const r = inst.resource;
    if (kinds && !kinds.has(r.kind)) return false;
    if (api && !api(r.apiVersion)) return false;
    if (type && !(r.type === 'component' && r.specType && type(r.specType.value))) return false;
    if (ns && !ns(inst.namespace)) return false;
    if (m.environment && inst.environment !== m.environment) return false;
    return true;
  };
}

/** A readable account of one schema violation. */
function explain(e: ErrorObject, path: string): string {
  const p = e.params as Record<string, unknown>;
  const where = path || 'the resource';
  switch (e.keyword) {
    case 'required':
      return `${path ? `${path}.` : ''}${String(p.missingProperty)} is missing`;
    case 'additionalProperties':
      return `${path ? `${path}.` : ''}${String(p.additionalProperty)} is not allowed`;
    case 'const':
      return `${where} must be ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * ajv reports both a combinator's failure and every failure inside it (each
 * item a `contains` tried, each `anyOf` branch): keep the combinator's, which
 * says what was expected, and drop what happened inside. `if` only says which
 * branch ran; that branch reports the real problem.
 */
export function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if' && !/\/(contains|anyOf|oneOf|not)\//.test(e.schemaPath));
}

/** A whole list or map that is wrong reads best at its key; a scalar at itself. */
function anchorOf(at: Located): unknown {
  return at.pair && (isMap(at.node) || isSeq(at.node)) ? at.pair.key : valueAnchor(at);
}

function ruleOf(def: CustomRuleDefinition, validate: ValidateFunction): Rule {
  const matches = matcherOf(def);
  return {
    meta: metaOf(def),
    check({ model, report }) {
      for (const inst of model.instances) {
        if (!matches(inst)) continue;
        const read = plainData(inst.resource.pdoc);
        if (!read || validate(read.data)) continue;
        const errors = relevantErrors(validate.errors ?? []);
        const seen = new Set<string>();
        for (const e of errors) {
          const segments = decodePointer(e.instancePath);
          const extra = e.keyword === 'additionalProperties' ? [String((e.params as Record<string, unknown>).additionalProperty)] : [];
          const at = locate(inst.resource.pdoc, inst.resource.root, [...segments, ...extra]);
          const path = yamlPath(read.data, segments);
          const key = `${path}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const node = segments.length === 0 && extra.length === 0 ? resourceAnchor(inst).node : e.keyword === 'additionalProperties' ? (at.pair?.key ?? at.node) : anchorOf(at);
          report({
            message: `${def.message} ${describe(inst)}: ${explain(e, path)}.`,
            at: { pdoc: inst.resource.pdoc, node },
            on: inst,
            path: `${path}#${e.keyword}:${extra.join('')}`,
          });
        }
      }
    },
  };
}

let ajv: Ajv | undefined;

function compiler(): Ajv {
  if (!ajv) {
    // `pattern` and `patternProperties` run on strings from the scanned files: an automaton, not a backtracking RegExp (src/engine/regex.ts).
    ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: ajvRegExp } });
    addFormats.default(ajv);
  }
  return ajv;
}

/** Compiles the config's custom rules; a broken one is a configuration error naming it. */
export function customRules(defs: readonly CustomRuleDefinition[] | undefined, configFile = 'rules.config.json'): Rule[] {
  return (defs ?? []).map((def, i) => {
    const where = `${configFile}: /customRules/${i}/schema`;
    const shape = inspectSchema(def.schema);
    if (shape.nodes > MAX_SCHEMA_NODES) throw new ConfigError(`${where}: more than ${MAX_SCHEMA_NODES} objects and arrays; split the rule.`);
    if (shape.tooDeep !== undefined) throw new ConfigError(`${where}${shape.tooDeep}: nested deeper than ${MAX_SCHEMA_DEPTH} levels.`);
    const refs = shape.refs;
    if (refs.length > 0) throw new ConfigError(`${where}${refs[0].split(' ')[0]}: only local references (#/…) are allowed; ${refs[0].split(' ')[1] ?? ''} would have to be fetched, and dapr-policy never fetches anything.`);
    try {
      return ruleOf(def, compiler().compile(def.schema));
    } catch (e) {
      throw new ConfigError(`${where}: not a valid JSON Schema (${(e as Error).message}).`);
    }
  });
}
