// Generated from schema/rules.config.schema.json by `npm run generate`; do not edit.
import type { ValidateFunction } from 'ajv';
export declare const validateConfig: ValidateFunction;
