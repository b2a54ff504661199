// The GitHub Actions runner protocol, without @actions/core: inputs arrive as
// INPUT_<NAME> environment variables, outputs and the job summary are files
// named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, annotations are workflow
// commands on stdout.
import crypto from 'node:crypto';
import fs from 'node:fs';

export type Env = Record<string, string | undefined>;

export class InputError extends Error {}

/** `INPUT_<NAME>`: spaces become underscores, hyphens are kept (actions/toolkit core.getInput). */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** The YAML 1.2 core booleans that core.getBooleanInput accepts. */
export function getBooleanInput(env: Env, name: string, fallback: boolean): boolean {
  const v = getInput(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new InputError(`Input "${name}": expected true or false, got "${v}".`);
}

/** Appends `name<<delimiter` blocks to GITHUB_OUTPUT, as core.setOutput does. */
export function setOutputs(env: Env, outputs: Record<string, string>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  fs.appendFileSync(file, text);
}

/** GitHub rejects a step summary over 1024 KiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

export function appendSummary(env: Env, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  const text = Buffer.byteLength(markdown) > SUMMARY_LIMIT ? `${markdown.slice(0, SUMMARY_LIMIT - 200)}\n\n… summary truncated at GitHub's 1 MiB limit.\n` : markdown;
  fs.appendFileSync(file, text);
  return true;
}
