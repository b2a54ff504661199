// The JSON Schemas of Dapr's resources (schema/dapr/), written from the CRDs
// Dapr ships. DAPR002 validates with their precompiled form
// (src/generated/dapr-validators.js, from `npm run generate`).
import type { AnySchemaObject } from 'ajv';
import componentSchema from '../../schema/dapr/component.schema.json' with { type: 'json' };
import configurationSchema from '../../schema/dapr/configuration.schema.json' with { type: 'json' };
import httpEndpointSchema from '../../schema/dapr/httpendpoint.schema.json' with { type: 'json' };
import resiliencySchema from '../../schema/dapr/resiliency.schema.json' with { type: 'json' };
import subscriptionV1Schema from '../../schema/dapr/subscription-v1alpha1.schema.json' with { type: 'json' };
import subscriptionV2Schema from '../../schema/dapr/subscription-v2alpha1.schema.json' with { type: 'json' };

export type SchemaKey = 'component' | 'configuration' | 'subscription-v1alpha1' | 'subscription-v2alpha1' | 'resiliency' | 'httpendpoint';

export const DAPR_SCHEMAS: Record<SchemaKey, AnySchemaObject> = {
  component: componentSchema,
  configuration: configurationSchema,
  'subscription-v1alpha1': subscriptionV1Schema,
  'subscription-v2alpha1': subscriptionV2Schema,
  resiliency: resiliencySchema,
  httpendpoint: httpEndpointSchema,
};
