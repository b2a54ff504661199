// Counts shared by every formatter.
import type { Result } from '../engine/policy.js';
import type { Level } from '../engine/types.js';

export interface Counts {
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

export function countResults(results: readonly Result[]): Counts {
  const c: Counts = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const r of results) {
    if (r.suppression) c.suppressed++;
    else c[r.level]++;
  }
  return c;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export const LEVELS: readonly Level[] = ['error', 'warning', 'note'];
