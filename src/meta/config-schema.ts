// Generates schema/rules.config.schema.json from the rule metadata, so that
// every rule id and name, and every rule option, is validated and completed
// in editors.
import { DEFAULT_CONFIG } from '../engine/config-types.js';
import { MAX_GLOB_LENGTH } from '../engine/glob.js';
import type { RuleMeta } from '../rules/types.js';
import { describeLevels } from './levels.js';
import { REPOSITORY_URL } from './project.js';

type Schema = Record<string, unknown>;

const stringList = (description: string, items: Schema = { type: 'string', minLength: 1 }): Schema => ({ type: 'array', description, items, uniqueItems: true });
/** Globs are matched against paths and names from the scanned repository; their length bounds the cost of a match. */
const glob: Schema = { type: 'string', minLength: 1, maxLength: MAX_GLOB_LENGTH };
const globList = (description: string): Schema => stringList(description, glob);

function ruleEntrySchema(meta: RuleMeta): Schema {
  const options: Schema = { type: 'object', additionalProperties: false, properties: {} as Schema, description: `Options of ${meta.id}.` };
  for (const o of meta.options ?? []) (options.properties as Schema)[o.name] = { ...o.schema, description: o.description, default: o.default };
  return {
    description: `${meta.id} ${meta.name}: ${meta.shortDescription} Default levels: ${describeLevels(meta.levels)}.`,
    if: { type: 'string' },
    then: { $ref: '#/definitions/level' },
    else: {
      type: 'object',
      additionalProperties: false,
      properties: {
        $comment: { type: 'string' },
        level: { $ref: '#/definitions/level' },
        environments: {
          type: 'object',
          additionalProperties: false,
          description: 'Level per environment; wins over "level".',
          properties: { production: { $ref: '#/definitions/level' }, 'non-production': { $ref: '#/definitions/level' }, unclassified: { $ref: '#/definitions/level' } },
        },
        options,
      },
    },
  };
}

export function configSchema(rules: readonly RuleMeta[]): Schema {
  const ruleProps: Schema = {};
  for (const meta of rules) {
    ruleProps[meta.id] = { $ref: `#/definitions/rule-${meta.id}` };
    ruleProps[meta.name] = { $ref: `#/definitions/rule-${meta.id}` };
  }
  const definitions: Schema = {
    level: {
      description: '"default" keeps the catalog levels (per environment); "off" removes the findings.',
      enum: ['error', 'warning', 'note', 'off', 'default'],
    },
    environmentMatcher: {
      type: 'object',
      additionalProperties: false,
      properties: {
        namespaces: globList('Namespace globs (picomatch syntax).'),
        paths: globList('Path globs relative to the repository root.'),
      },
    },
  };
  for (const meta of rules) definitions[`rule-${meta.id}`] = ruleEntrySchema(meta);
  const plainLevel = { enum: ['error', 'warning', 'note', 'off'] };
  definitions.customRule = {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'message', 'match', 'schema'],
    properties: {
      id: { type: 'string', pattern: '^(?![Dd][Aa][Pp][Rr])[A-Za-z][A-Za-z0-9_-]{1,63}$', description: 'Your rule id; any prefix but DAPR (e.g. ACME001).' },
      name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
      description: { type: 'string' },
      message: { type: 'string', minLength: 1, description: 'First sentence of every finding; the violated part of the schema is appended.' },
      level: { ...plainLevel, default: 'warning' },
      environments: { type: 'object', additionalProperties: false, properties: { production: plainLevel, 'non-production': plainLevel, unclassified: plainLevel } },
      securitySeverity: { type: 'number', minimum: 0, maximum: 10 },
      helpUri: { type: 'string', pattern: '^https?://' },
      match: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          kind: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
          apiVersion: { ...glob, description: 'Glob, e.g. dapr.io/*.' },
          type: { ...glob, description: "Glob on a Component's spec.type, e.g. state.*." },
          namespace: { ...glob, description: 'Glob on the namespace.' },
          environment: { enum: ['production', 'non-production', 'unclassified'] },
        },
      },
      schema: { type: ['object', 'boolean'], description: 'JSON Schema (draft-07) the whole resource must satisfy. Only local $ref.' },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${REPOSITORY_URL}/raw/main/schema/rules.config.schema.json`,
    title: 'dapr-policy rules.config.json',
    description: 'Configuration of dapr-policy. Every field is optional.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      include: globList('Globs of files to scan, relative to the repository root (default: YAML, JSON, .crt/.pem/.key and chart .tpl files).'),
      exclude: globList('Globs of files not to scan (default: vendor/, third_party/, bower_components/, .terraform/). .git and node_modules are never scanned.'),
      defaultNamespace: { type: 'string', minLength: 1, description: 'Namespace of resources that have none and that no kustomization sets.', default: 'default' },
      environments: {
        type: 'object',
        additionalProperties: false,
        description: 'Environment mapping, checked before the built-in heuristic.',
        properties: { production: { $ref: '#/definitions/environmentMatcher' }, 'non-production': { $ref: '#/definitions/environmentMatcher' } },
      },
      knownAppIds: stringList('App-ids that run outside this repository: "name" in every namespace, "namespace/name" in one (DAPR102).'),
      nonProductionAppIds: globList('Globs that replace the built-in list of non-production app-id tokens (DAPR106).'),
      allowedSidecarImages: globList('Globs of sidecar images that may be set with dapr.io/sidecar-image (DAPR312).'),
      certificateExpiryDays: { type: 'integer', minimum: 0, maximum: 3650, default: 30, description: 'Warn this many days before a certificate expires (DAPR403).' },
      accessPolicy: {
        type: 'object',
        description: 'The intended access matrix (DAPR107): namespace glob → app-id → names of the components it may load.',
        propertyNames: { maxLength: MAX_GLOB_LENGTH },
        additionalProperties: { type: 'object', additionalProperties: stringList('Component names.') },
      },
      precheck: {
        type: 'boolean',
        default: true,
        description: 'Skip, before parsing, YAML documents that contain nothing any rule reads (no Dapr marker, no Service, Ingress or Secret kind, no PEM block). Turned off automatically when customRules are configured. Off, every document is parsed and kept whole after extraction (no tree is released).',
      },
      maxFileSize: { type: 'integer', minimum: 1, default: DEFAULT_CONFIG.maxFileSize, description: 'Files larger than this many bytes are skipped and reported.' },
      maxDocumentsPerFile: { type: 'integer', minimum: 1, default: DEFAULT_CONFIG.maxDocumentsPerFile, description: 'Documents read from one file; the documents after them are reported, not checked.' },
      maxAliasCount: {
        type: 'integer',
        minimum: 0,
        default: DEFAULT_CONFIG.maxAliasCount,
        description: "How far a document's aliases may expand (yaml's maxAliasCount: uses of an anchor times the aliases inside it) before the document is reported as an alias bomb and not checked. 0 refuses every alias.",
      },
      maxDepth: {
        type: 'integer',
        minimum: 1,
        // yaml builds documents recursively: far past this the parser itself runs out of stack.
        maximum: 500,
        default: DEFAULT_CONFIG.maxDepth,
        description: 'Deepest nesting of maps and lists in one document; a deeper document is reported, not checked.',
      },
      maxTotalBytes: { type: 'integer', minimum: 1, default: DEFAULT_CONFIG.maxTotalBytes, description: 'Bytes read in one scan: files are read in path order, and from the one that would pass this total on, none is read; each is reported.' },
      render: {
        enum: ['auto', 'required', 'off'],
        default: 'auto',
        description:
          'Render Helm charts (helm template) and kustomization entry points (kustomize build / kubectl kustomize) and check their output: "auto" when a binary is found (else DAPR007 and a static reading), "required" makes DAPR007 an error, "off" reads everything statically. See docs/rendering.md.',
      },
      helm: {
        type: 'object',
        additionalProperties: false,
        description: 'How Helm charts are rendered (docs/rendering.md).',
        properties: {
          binary: { type: 'string', minLength: 1, description: 'Absolute path of helm, or a name looked up on PATH (default "helm"). A binary inside the scanned repository is never run.' },
          charts: {
            type: 'array',
            description: "Releases to render; a chart listed here is rendered only as listed (no automatic values-<env>.yaml variants). Charts not listed: one release per values-<env>.yaml beside Chart.yaml, else the chart's own values.",
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['path'],
              properties: {
                path: { type: 'string', minLength: 1, description: 'Chart folder (or its Chart.yaml), relative to the repository root.' },
                releaseName: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$', description: 'Release name (default: the chart name, lowercased).' },
                namespace: { type: 'string', minLength: 1, description: 'Release namespace (default: defaultNamespace).' },
                valuesFiles: stringList('Values files relative to the repository root, given to helm in order after the chart\'s values.yaml.'),
                environment: { enum: ['production', 'non-production', 'unclassified'], description: 'Environment of the release (default: from the last values file name, then the usual environment rules).' },
              },
            },
          },
        },
      },
      kustomize: {
        type: 'object',
        additionalProperties: false,
        description: 'How kustomizations are built (docs/rendering.md).',
        properties: {
          binary: { type: 'string', minLength: 1, description: 'Absolute path of kustomize or kubectl, or a name looked up on PATH (default: kustomize, else kubectl). A binary inside the scanned repository is never run.' },
        },
      },
      customRules: {
        type: 'array',
        description: 'Declarative rules of your own: resources matching `match` must satisfy the JSON Schema `schema`. See docs/custom-rules.md.',
        items: { $ref: '#/definitions/customRule' },
      },
      rules: {
        type: 'object',
        description: 'Rule levels and options, by rule id or name.',
        additionalProperties: false,
        properties: ruleProps,
      },
    },
    definitions,
  };
}
