// Component type aliases that daprd registers under more than one name
// (dapr/dapr cmd/daprd/components/*.go; dapr-security-facts.md §4.1). Rules
// match on the canonical name so that an alias is judged like the original.

const ALIASES: Readonly<Record<string, string>> = {
  'state.postgres': 'state.postgresql',
  'state.yugabytedb': 'state.postgresql',
  'state.yugabyte': 'state.postgresql',
  'pubsub.mqtt': 'pubsub.mqtt3',
  'bindings.mqtt': 'bindings.mqtt3',
  'pubsub.azure.servicebus': 'pubsub.azure.servicebus.topics',
  'pubsub.azure.servicebusqueues': 'pubsub.azure.servicebus.queues',
  'pubsub.snssqs': 'pubsub.aws.snssqs',
  'state.consul': 'state.hashicorp.consul',
  'nameresolution.consul': 'nameresolution.hashicorp.consul',
  'state.sqlite3': 'state.sqlite',
  'configuration.postgres': 'configuration.postgresql',
  'bindings.postgresql': 'bindings.postgres',
  'bindings.azure.servicebusqueues': 'bindings.azure.servicebus.queues',
};

export function canonicalComponentType(type: string): string {
  const t = type.trim().toLowerCase();
  return ALIASES[t] ?? t;
}

/** The building block: `state`, `pubsub`, `secretstores`, … */
export function componentCategory(type: string): string {
  const t = canonicalComponentType(type);
  const dot = t.indexOf('.');
  return dot === -1 ? t : t.slice(0, dot);
}

export function isSecretStoreType(type: string | undefined): boolean {
  return type !== undefined && componentCategory(type) === 'secretstores';
}

export function isPubSubType(type: string | undefined): boolean {
  return type !== undefined && componentCategory(type) === 'pubsub';
}
