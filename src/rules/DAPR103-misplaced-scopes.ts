// DAPR103 misplaced-scopes: `scopes` under spec or metadata is ignored by Dapr.
import { isMap, isScalar, isSeq } from 'yaml';
import { afterNode, dataAt, type Edit, eolAt, lineStart, nodeRange, ownLineIndent, restIsComment, verifiedFix } from '../engine/edits.js';
import type { DaprResourceBase } from '../engine/resources.js';
import { keyString } from '../engine/yaml.js';
import { component, redisMetadata } from './examples.js';
import { describe } from './helpers.js';
import type { Fix, Rule } from './types.js';

type Misplaced = DaprResourceBase['misplacedScopes'][number];

/** The string items of a list written in place, or undefined when any item is something else. */
function stringItems(node: unknown): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

/**
 * `--fix`: the misplaced block's lines, from its key to the end of its last
 * line (a trailing comment goes with it), are removed. With no top-level
 * scopes, the same lines, re-indented to the top level, are inserted after
 * spec's block (else at the end of the document). With a top-level list that
 * already names every app-id of the misplaced one, removing it changes
 * nothing Dapr reads, so that is the fix; any other merge would grant or take
 * away access, which is a decision, so there is no fix. Only the first
 * misplaced list of a resource is moved: a second one is judged against it
 * on the next run.
 */
function scopesFix(r: DaprResourceBase, m: Misplaced, index: number): Fix | undefined {
  const { pdoc, root } = r;
  const text = pdoc.text;
  if (root.flow || pdoc.doc.contents !== root) return undefined;
  const parent = root.items.find((p) => keyString(p) === m.where)?.value;
  // The parent keeps another key: an emptied spec or metadata would read as null.
  if (!isMap(parent) || parent.flow || !parent.items.includes(m.pair) || parent.items.length < 2) return undefined;
  const items = stringItems(m.pair.value);
  const key = nodeRange(m.pair.key);
  const value = nodeRange(m.pair.value);
  if (!items || items.length === 0 || !key || !value) return undefined;
  const keyIndent = ownLineIndent(text, key[0]);
  if (keyIndent === undefined || (!/[\r\n]/.test(text[value[1] - 1] ?? '') && !restIsComment(text, value[1]))) return undefined;
  const from = lineStart(text, key[0]);
  const to = afterNode(text, value[1]);
  const removal: Edit = { start: from, end: to, text: '' };
  const dropMisplaced = (data: unknown): boolean => {
    const holder = dataAt(data, [m.where]);
    if (!holder || Array.isArray(holder) || !('scopes' in holder)) return false;
    delete holder.scopes;
    return true;
  };

  if (r.scopes) {
    const top = stringItems(r.scopes.pair.value);
    if (!top || !items.every((i) => top.includes(i))) return undefined;
    return verifiedFix(pdoc, `Remove the scopes under ${m.where}: the top-level scopes already list every app-id in it`, [removal], dropMisplaced);
  }
  if (index > 0) return undefined;

  const first = nodeRange(root.items[0]?.key);
  const rootIndent = first ? ownLineIndent(text, first[0]) : undefined;
  if (rootIndent === undefined || rootIndent.length >= keyIndent.length) return undefined;
  const spec = root.items.find((p) => keyString(p) === 'spec');
  const end = nodeRange(spec?.value) ?? nodeRange(spec?.key) ?? nodeRange(root);
  if (!end) return undefined;
  const at = afterNode(text, end[1]);
  // Re-indent the block from the key's column to the top level; any line left of the key's column means it is not one block.
  const lines: string[] = [];
  // Lines end at LF, CRLF or a lone CR (yaml.ts lineBreaksAsLf).
  for (const line of text.slice(from, to).split(/(?<=\n|\r(?!\n))/)) {
    if (/^[ \t]*\r?\n?$/.test(line)) lines.push(line.replace(/^[ \t]+/, ''));
    else if (line.startsWith(keyIndent)) lines.push(rootIndent + line.slice(keyIndent.length));
    else return undefined;
  }
  const block = lines.join('');
  const eol = eolAt(text, from);
  const noFinalEol = at === text.length && !/[\r\n]$/.test(text);
  // A file that ends without a newline keeps ending without one.
  const insert = !noFinalEol ? (/[\r\n]$/.test(block) ? block : block + eol) : at === to ? block : eol + block.replace(/\r?\n$|\r$/, '');
  return verifiedFix(pdoc, `Move scopes from ${m.where} to the top level`, [removal, { start: at, end: at, text: insert }], (data) => {
    if (!dropMisplaced(data) || typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    (data as Record<string, unknown>).scopes = items;
    return true;
  });
}

export const rule: Rule = {
  meta: {
    id: 'DAPR103',
    name: 'misplaced-scopes',
    shortDescription: '`scopes` is under `spec` or `metadata`, where Dapr ignores it: the resource is unscoped.',
    fullDescription:
      'Reports a `scopes` key written under `spec` or under `metadata` of a Dapr resource (Component, Subscription, Resiliency, HTTPEndpoint, …). Dapr only reads top-level `scopes`, a sibling of `spec`; anywhere else the list is pruned or ignored, and the resource applies to every app in the namespace while its author believes it is scoped.',
    levels: { default: 'error' },
    securitySeverity: 7.0,
    tags: ['security', 'least-privilege', 'scopes'],
    precision: 'very-high',
    docs: {
      why: 'This is worse than no scopes at all: the manifest reads as least-privilege in review while granting every app access. The API server prunes unknown fields of the CRD without an error, so nothing fails at deploy time.',
      fix: 'Move `scopes` to the top level of the document, beside `spec`. `--fix` does this for you.',
      incorrect: [
        {
          files: {
            'components/statestore.yaml': component('statestore', 'state.redis', { metadata: [...redisMetadata()] }).replace('  version: v1\n', '  version: v1\n  scopes:\n    - task-api\n'),
          },
        },
      ],
      correct: [
        {
          files: { 'components/statestore.yaml': component('statestore', 'state.redis', { metadata: redisMetadata(), tail: ['scopes:', '  - task-api'] }) },
        },
      ],
      notes: [
        '`--fix` moves the list: it removes the misplaced `scopes` lines (from the key to the end of its last item, with the comments on those lines) and writes them, re-indented, as top-level `scopes` after the `spec` block (at the end of the document when there is no `spec`). When a top-level `scopes` already exists, the misplaced list is only removed if the top-level one names every app-id in it (nothing Dapr reads changes); otherwise merging would grant or take away access, so it is left to you. Lists with anything but plain app-id strings, flow-style parents, and a `spec` or `metadata` that would be left empty are not fixed.',
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.instances) {
      const r = inst.resource;
      if (!('misplacedScopes' in r)) continue;
      // With a non-empty top-level list beside it, the resource is scoped after all: saying it applies to every app would be false.
      const scopedAnyway = r.scopes !== undefined && r.scopes.items.length > 0;
      for (const [index, m] of r.misplacedScopes.entries()) {
        report({
          message: scopedAnyway
            ? `"scopes" under ${m.where} is ignored by Dapr: only the top-level scopes of ${describe(inst)} apply. Merge it into the top-level scopes, beside spec, or remove it.`
            : `"scopes" under ${m.where} is ignored by Dapr, so ${describe(inst)} applies to every app in its namespace. Move scopes to the top level, beside spec.`,
          at: { pdoc: r.pdoc, node: m.pair.key },
          on: inst,
          path: `${m.where}.scopes`,
          fix: () => scopesFix(r, m, index),
        });
      }
    }
  },
};
