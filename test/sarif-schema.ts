// Validates SARIF against the official 2.1.0 JSON Schema (shipped by
// @microsoft/jest-sarif) with ajv: the check every SARIF the suite produces passes.
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const schema = { ...(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>) };
  delete schema.$schema;
  delete schema.id;
  // One pattern of the official schema is not valid under the `u` flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** Schema errors of a SARIF log, as readable strings (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  validator ??= compile();
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
