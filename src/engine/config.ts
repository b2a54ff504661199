// config: find rules.config.json, validate it against its JSON Schema, and
// fill in defaults. A broken config stops the scan with exit 2 and a message
// naming the file, the JSON path and what was expected.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { type Config, DEFAULT_CONFIG, type LoadedConfig } from './config-types.js';
import { validateConfigSchema, type SchemaError } from './config-schema.js';
import type { Location } from './types.js';
import { child } from './yaml.js';

export const CONFIG_FILE_NAME = 'rules.config.json';

/** A configuration problem: the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfigWithSource extends LoadedConfig {
  /** Position of a JSON path in the config file. */
  locate(jsonPath: Array<string | number>): Location | undefined;
}

function describeError(file: string, e: SchemaError): string {
  return `${file}: ${e.path || '/'}: ${e.message}`;
}

/** Nearest folder at or above `start` (up to `stop`, inclusive) that holds `name`. */
export function findUp(start: string, name: string, stop?: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (stop && path.resolve(dir) === path.resolve(stop)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The git root at or above `start`, if any. */
export function gitRoot(start: string): string | undefined {
  const found = findUp(start, '.git');
  return found ? path.dirname(found) : undefined;
}

export function loadConfigFile(file: string, root: string): LoadedConfigWithSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const rel = path.relative(root, file).split(path.sep).join('/');
  const shown = rel && !rel.startsWith('..') ? rel : file;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${shown}: not valid JSON (${(e as Error).message}).`);
  }
  return { ...parseConfigObject(raw, shown), locate: locator(text, shown) };
}

export function parseConfigObject(raw: unknown, shown: string): LoadedConfig {
  const errors = validateConfigSchema(raw);
  if (errors.length > 0) {
    const lines = errors.slice(0, 10).map((e) => describeError(shown, e));
    if (errors.length > 10) lines.push(`… and ${errors.length - 10} more problems.`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const obj = raw as Partial<Config> & { $schema?: string };
  const { $schema: _schema, ...rest } = obj;
  const config: Config = { ...DEFAULT_CONFIG, ...rest, environments: { ...(rest.environments ?? {}) }, rules: { ...(rest.rules ?? {}) } };
  return { config, file: shown };
}

function locator(text: string, file: string): (jsonPath: Array<string | number>) => Location | undefined {
  let parsed: { doc: ReturnType<typeof parseDocument>; lc: LineCounter } | undefined;
  return (jsonPath) => {
    if (!parsed) {
      const lc = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: lc }), lc };
    }
    let node: unknown = parsed.doc.contents;
    for (const seg of jsonPath) {
      if (typeof seg === 'number' && isSeq(node)) node = node.items[seg];
      else if (isMap(node)) node = child(node, String(seg));
      else return undefined;
      if (!node) return undefined;
    }
    const range = (node as { range?: [number, number, number] }).range;
    if (!range) return undefined;
    const a = parsed.lc.linePos(range[0]);
    const b = parsed.lc.linePos(range[1]);
    return { file, region: { startLine: a.line, startColumn: a.col, endLine: b.line, endColumn: b.col } };
  };
}

export interface ResolveConfigOptions {
  /** `--config` */
  explicit?: string;
  /** Scan root. */
  root: string;
}

/** `--config`, else rules.config.json in the root or the nearest parent up to the git root, else built-in defaults. */
export function resolveConfig(opts: ResolveConfigOptions): LoadedConfigWithSource {
  if (opts.explicit) {
    const file = path.resolve(opts.explicit);
    if (!fs.existsSync(file)) throw new ConfigError(`${opts.explicit}: config file not found (--config).`);
    return loadConfigFile(file, opts.root);
  }
  const found = findUp(opts.root, CONFIG_FILE_NAME, gitRoot(opts.root) ?? opts.root);
  if (found) return loadConfigFile(found, opts.root);
  return { config: { ...DEFAULT_CONFIG }, locate: () => undefined };
}
