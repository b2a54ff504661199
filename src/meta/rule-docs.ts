// Rule documentation, generated from each rule's meta: docs/rules/<ID>.md and
// the help text of SARIF rules come from the same source, so they never drift.
import type { Example, RuleMeta } from '../rules/types.js';
import { formatSeverity, levelColumns } from './levels.js';

function fence(lang: string, body: string): string {
  const ticks = body.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${body.replace(/\n*$/, '\n')}${ticks}`;
}

function exampleBlock(ex: Example): string {
  const parts: string[] = [];
  if (ex.title) parts.push(`**${ex.title}**`);
  if (ex.base) {
    parts.push('Before, at the base revision:');
    for (const [file, content] of Object.entries(ex.base)) parts.push(`\`${file}\`:`, fence('yaml', content));
    parts.push('After, in the change:');
  }
  for (const [file, content] of Object.entries(ex.files)) {
    parts.push(`\`${file}\`:`, fence(file.endsWith('.json') ? 'json' : 'yaml', content));
  }
  if (ex.config) parts.push('With `rules.config.json`:', fence('json', JSON.stringify(ex.config, null, 2)));
  return parts.join('\n\n');
}

function optionsSection(meta: RuleMeta): string {
  const opts = meta.options ?? [];
  const general =
    `Set the level in \`rules.config.json\`: \`"${meta.id}": "warning"\`, or per environment: \`"${meta.id}": { "environments": { "production": "error", "non-production": "off" } }\`. The rule name \`${meta.name}\` works as the key too.`;
  if (opts.length === 0) return `This rule has no options.\n\n${general}`;
  const rows = opts.map((o) => `| \`${o.name}\` | \`${JSON.stringify(o.schema.type ?? o.schema)}\` | \`${JSON.stringify(o.default)}\` | ${o.description} |`);
  return ['| option | type | default | description |', '|---|---|---|---|', ...rows, '', `Example: \`"${meta.id}": { "options": { "${opts[0].name}": ${JSON.stringify(opts[0].default === false ? true : opts[0].default)} } }\``, '', general].join('\n');
}

/** The body shared by the docs page and SARIF help.markdown. */
export function ruleMarkdownBody(meta: RuleMeta): string {
  const c = levelColumns(meta.levels);
  const sections = [
    meta.shortDescription,
    ['| default level | production | non-production | security-severity |', '|---|---|---|---|', `| ${c.default} | ${c.production} | ${c.nonProduction} | ${formatSeverity(meta)} |`].join('\n'),
    `Tags: ${meta.tags.map((t) => `\`${t}\``).join(', ')}. Precision: ${meta.precision}.`,
    '## What it checks',
    meta.fullDescription,
    '## Why it matters',
    meta.docs.why,
    '## Incorrect',
    ...meta.docs.incorrect.map(exampleBlock),
    '## Correct',
    ...meta.docs.correct.map(exampleBlock),
    '## How to fix',
    meta.docs.fix,
    '## Options',
    optionsSection(meta),
  ];
  if (meta.docs.notes?.length) sections.push('## Notes', meta.docs.notes.map((n) => `- ${n}`).join('\n'));
  return sections.join('\n\n');
}

export function ruleDocPage(meta: RuleMeta, sourceFile: string): string {
  return `<!-- Generated from ${sourceFile} by \`npm run generate\`. Edit the rule's meta, not this file. -->\n# ${meta.id}: ${meta.name}\n\n${ruleMarkdownBody(meta)}\n`;
}

/** Plain-text help for SARIF `help.text`. */
export function ruleHelpText(meta: RuleMeta): string {
  return [meta.fullDescription, `Why it matters: ${meta.docs.why}`, `How to fix: ${meta.docs.fix}`].join('\n\n');
}
