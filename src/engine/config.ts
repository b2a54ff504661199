// config: find rules.config.json, validate it against its JSON Schema, and
// fill in defaults. A broken config stops the scan with exit 2 and a message
// naming the file, the JSON path and what was expected.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { type Config, DEFAULT_CONFIG, type LoadedConfig } from './config-types.js';
import { validateConfigSchema, type SchemaError } from './config-schema.js';
import { globProblem } from './glob.js';
import { jsonErrorOffset } from './json-error.js';
import type { Location } from './types.js';
import { child } from './yaml.js';

export const CONFIG_FILE_NAME = 'rules.config.json';
/** Largest config file read: it comes with the pull request, like everything scanned. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

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
  /** The config file's text, when it came from one: findings about the config point into it. */
  text?: string;
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

/**
 * Where JSON.parse stopped, without its excerpt of the text: the file may be
 * a link to something that is not a config at all, and error messages end up
 * in public CI logs.
 */
function jsonErrorPlace(text: string): string {
  const offset = jsonErrorOffset(text) ?? 0;
  if (offset >= text.length) return 'it ends too early';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

export function loadConfigFile(file: string, root: string, found = false): LoadedConfigWithSource {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const shown = rel && !rel.startsWith('..') ? rel : file;
  let text: string;
  try {
    // A config found in the repository (not named by --config) is read only when it really is there: a link out of it could read anything on the machine.
    if (found && fs.lstatSync(file).isSymbolicLink()) {
      const real = fs.realpathSync(file);
      const top = fs.realpathSync(gitRoot(root) ?? root);
      const inside = path.relative(top, real);
      if (inside.startsWith('..') || path.isAbsolute(inside)) throw new ConfigError(`${shown}: a symbolic link to a file outside the repository; not read. Name the file with --config if it is meant.`);
    }
    if (fs.statSync(file).size > MAX_CONFIG_BYTES) throw new ConfigError(`${shown}: larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB; not read.`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${shown}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).name}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(`${shown}: not valid JSON (${jsonErrorPlace(text)}).`);
  }
  return { ...parseConfigObject(raw, shown), locate: locator(text, shown), text };
}

/** Every glob of a valid config, with its JSON path. */
function globsOf(raw: Partial<Config>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const list = (at: string, v: readonly string[] | undefined): void => v?.forEach((g, i) => out.push([`${at}/${i}`, g]));
  list('/include', raw.include);
  list('/exclude', raw.exclude);
  for (const env of ['production', 'non-production'] as const) {
    list(`/environments/${env}/namespaces`, raw.environments?.[env]?.namespaces);
    list(`/environments/${env}/paths`, raw.environments?.[env]?.paths);
  }
  list('/nonProductionAppIds', raw.nonProductionAppIds);
  list('/allowedSidecarImages', raw.allowedSidecarImages);
  for (const key of Object.keys(raw.accessPolicy ?? {})) out.push([`/accessPolicy/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, key]);
  raw.customRules?.forEach((r, i) => {
    for (const k of ['apiVersion', 'type', 'namespace'] as const) {
      const g = r.match[k];
      if (g !== undefined) out.push([`/customRules/${i}/match/${k}`, g]);
    }
  });
  return out;
}

export function parseConfigObject(raw: unknown, shown: string): LoadedConfig {
  const errors = validateConfigSchema(raw);
  if (errors.length > 0) {
    const lines = errors.slice(0, 10).map((e) => describeError(shown, e));
    if (errors.length > 10) lines.push(`… and ${errors.length - 10} more problems.`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const obj = raw as Partial<Config> & { $schema?: string };
  const globErrors = globsOf(obj).flatMap(([at, g]) => {
    const problem = globProblem(g);
    return problem ? [`${shown}: ${at}: ${problem}`] : [];
  });
  if (globErrors.length > 0) throw new ConfigError(`Invalid configuration:\n  ${globErrors.slice(0, 10).join('\n  ')}`);
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
  if (found) return loadConfigFile(found, opts.root, true);
  return { config: { ...DEFAULT_CONFIG }, locate: () => undefined };
}
