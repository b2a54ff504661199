// schema-check: which schema a dapr.io resource is judged by, and whether it
// passes. DAPR002 reports what fails; the scan asks the same question right
// after extraction (run.ts), while the document's tree is still there: a
// Component that passes has nothing more to tell DAPR002, so its tree can be
// let go (release.ts).
import type { ValidateFunction } from 'ajv';
import * as generated from '../generated/dapr-validators.js';
import { isRecord, plainData } from '../engine/json-pointer.js';
import type { ResourceBase } from '../engine/resources.js';
import type { SchemaKey } from './dapr-schemas.js';

/** Every kind of the dapr.io group, with the versions Dapr serves; `null`: a real kind DAPR002 does not check. */
export const DAPR_KINDS: ReadonlyMap<string, ReadonlyMap<string, SchemaKey | null>> = new Map<string, ReadonlyMap<string, SchemaKey | null>>([
  ['Component', new Map([['v1alpha1', 'component']])],
  ['Configuration', new Map([['v1alpha1', 'configuration']])],
  [
    'Subscription',
    new Map<string, SchemaKey>([
      ['v1alpha1', 'subscription-v1alpha1'],
      ['v2alpha1', 'subscription-v2alpha1'],
    ]),
  ],
  ['Resiliency', new Map([['v1alpha1', 'resiliency']])],
  ['HTTPEndpoint', new Map([['v1alpha1', 'httpendpoint']])],
  ['MCPServer', new Map([['v1alpha1', null]])],
  ['WorkflowAccessPolicy', new Map([['v1alpha1', null]])],
]);

/** Validators compiled at build time (`npm run generate`): no schema is compiled at run time. */
const VALIDATORS: Record<SchemaKey, ValidateFunction> = {
  component: generated.validate_component,
  configuration: generated.validate_configuration,
  'subscription-v1alpha1': generated.validate_subscription_v1alpha1,
  'subscription-v2alpha1': generated.validate_subscription_v2alpha1,
  resiliency: generated.validate_resiliency,
  httpendpoint: generated.validate_httpendpoint,
};

export function validatorFor(key: SchemaKey): ValidateFunction {
  return VALIDATORS[key];
}

type Typed = Pick<ResourceBase, 'kind' | 'apiVersion'>;

/**
 * The schema of a resource's kind at its version: null for a version Dapr
 * serves that DAPR002 does not check, undefined for a kind Dapr does not have
 * or a version it does not serve.
 */
export function servedSchema(r: Typed): SchemaKey | null | undefined {
  const versions = DAPR_KINDS.get(r.kind);
  const version = r.apiVersion.slice(r.apiVersion.indexOf('/') + 1);
  return versions?.has(version) ? (versions.get(version) ?? null) : undefined;
}

/** The schema to judge a resource by: its version's, or for a version Dapr does not serve, the one the document most likely means. */
export function schemaKeyFor(r: Typed, data: unknown): SchemaKey | null {
  const served = servedSchema(r);
  if (served !== undefined) return served;
  if (r.kind === 'Subscription') {
    const spec = isRecord(data) ? data.spec : undefined;
    return isRecord(spec) && Object.hasOwn(spec, 'route') && !Object.hasOwn(spec, 'routes') ? 'subscription-v1alpha1' : 'subscription-v2alpha1';
  }
  const versions = DAPR_KINDS.get(r.kind);
  return versions ? ([...versions.values()][0] ?? null) : null;
}

const valid = new WeakSet<object>();

/**
 * Whether DAPR002 has nothing to report on a resource: its kind exists, Dapr
 * serves its version, and its data passes the schema. Reads the whole tree, so
 * it must run before the tree is let go; a yes is remembered (checkedValid).
 */
export function passesSchema(r: Typed & Pick<ResourceBase, 'pdoc'>): boolean {
  const key = servedSchema(r);
  if (key === undefined) return false;
  if (key !== null) {
    const read = plainData(r.pdoc);
    if (!read || !validatorFor(key)(read.data)) return false;
  }
  valid.add(r);
  return true;
}

/** Whether passesSchema said yes to this resource. */
export function checkedValid(r: object): boolean {
  return valid.has(r);
}
