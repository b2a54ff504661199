// Generated from schema/dapr/*.schema.json by `npm run generate`; do not edit.
import type { ValidateFunction } from 'ajv';
export declare const validate_component: ValidateFunction;
export declare const validate_configuration: ValidateFunction;
export declare const validate_subscription_v1alpha1: ValidateFunction;
export declare const validate_subscription_v2alpha1: ValidateFunction;
export declare const validate_resiliency: ValidateFunction;
export declare const validate_httpendpoint: ValidateFunction;
