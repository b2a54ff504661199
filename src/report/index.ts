// The output formats by name.
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { Formatter } from './types.js';

export const FORMATS = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];
