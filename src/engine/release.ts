// release: a scan keeps every relevant document of the repository at once,
// and their trees are most of its memory. Once extraction has read a file
// (as soon as it is parsed, run.ts), the resources whose facts are all that
// later stages need let go of their trees: only the nodes the model holds
// (annotation pairs, names, ports: what findings point at) stay. Rendering
// asks resourceBase() about them and gets the extracted resource. A reader that still asks for a
// released tree gets one, parsed again from the document's text, so nothing
// can read wrong; it only costs a parse (counted, for tests and benchmarks).
import { passesSchema } from '../rules/schema-check.js';
import { contentsAgain, type ParseOptions } from './parse.js';
import { documentMayHoldPem } from './precheck.js';
import type { Resource } from './resources.js';
import { isMap, YAMLMap } from 'yaml';
import { standIn } from './lean-yaml.js';
import { child, type ParsedDoc } from './yaml.js';

/**
 * Resource types whose trees nothing reads after extraction: their rules
 * read the facts extraction took (see resources.ts). Dapr resources are
 * validated whole (DAPR002), and rules read Configurations everywhere; but a
 * Component that passes its schema is released too (run.ts,
 * releasableComponent). Secrets and ConfigMaps are searched for PEM
 * values; compose files, Multi-App Run templates, kustomizations and plain
 * documents are not resources. Documents whose text may hold a PEM value
 * keep their trees whatever their type (documentMayHoldPem).
 */
export const RELEASED_TYPES: ReadonlySet<Resource['type']> = new Set(['workload', 'service', 'ingress', 'sealedsecret', 'externalsecret', 'namespace', 'other']);

/** Released documents, with the resource each was extracted as (none for a kustomization). */
const released = new WeakMap<ParsedDoc, Resource | undefined>();

/** Whether a document's tree was let go: its nodes may be new ones, parsed again, and not those the model holds. */
export function isReleased(pdoc: ParsedDoc): boolean {
  return released.has(pdoc);
}

/** The resource a released document was extracted as: what it is can be told without its tree (rendering asks). */
export function releasedResource(pdoc: ParsedDoc): Resource | undefined {
  return released.get(pdoc);
}

/** How often a released tree was read and had to be parsed again. */
export const releaseStats = { reparsed: 0 };

/**
 * Files whose released trees were read again (by a fix): they were seen
 * beyond their facts, so the result cache judges them by their bytes
 * (observe.ts). Cleared by whoever counts (scan).
 */
export const reparsedFiles = new Set<string>();

let strict = false;
let allowed = 0;

/**
 * Tests: make reading a released tree throw instead of parsing it again, to
 * prove that no stage reads one outside `readingReleased`.
 */
export function strictRelease(on: boolean): void {
  strict = on;
}

/**
 * Runs `read`, which may read released trees: the fix helpers (edits.ts)
 * verify an edit against the document's data, and find a node's path in it.
 * Only fixes pay for a parse again.
 */
export function readingReleased<T>(read: () => T): T {
  allowed++;
  try {
    return read();
  } finally {
    allowed--;
  }
}

/** Which map of its document a ReleasedMap stands for. */
const enum Part {
  Root,
  Metadata,
  Spec,
}

/**
 * Stands for a released map (a resource's root, metadata or spec): the same
 * range and node type, and items that come from the document parsed again,
 * the first time anything reads them. There is one per map of each released
 * resource (tens of thousands in a large repository), so it holds only its
 * range and its document's Reparse: no closure, no label string. The
 * resource and its document point at it with plain assignments, so their
 * objects keep their shapes.
 */
export class ReleasedMap {
  declare schema: unknown;
  declare items: unknown[];
  constructor(
    public r0: number,
    public r1: number,
    public r2: number,
    private readonly owner: Reparse,
    private readonly part: Part,
    schema: unknown,
  ) {
    Object.defineProperty(this, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  }

  /** The map this one stands for, in the document parsed again (parsed now if it is not recent). */
  loadedMap(): unknown {
    if (strict && allowed === 0) throw new Error(`released tree read: ${this.owner.where()}`);
    const tree = this.owner.tree();
    if (this.part === Part.Root) return tree;
    return child(tree, this.part === Part.Metadata ? 'metadata' : 'spec', this.owner.pdoc);
  }
}
standIn(ReleasedMap, YAMLMap, new YAMLMap());
Object.defineProperty(ReleasedMap.prototype, 'items', {
  get(this: ReleasedMap): unknown[] {
    const map = this.loadedMap();
    return isMap(map) ? (map.items as unknown[]) : [];
  },
  set(this: ReleasedMap, items: unknown[]) {
    const map = this.loadedMap();
    if (isMap(map)) map.items = items as typeof map.items;
  },
  configurable: true,
});

/** Lets go of a resource's tree; `reparse` gives it back when something reads it after all. */
export function releaseTree(resource: Resource, reparse: (pdoc: ParsedDoc) => unknown): void {
  const { pdoc } = resource;
  const again = new Reparse(pdoc, reparse);
  const root = again.stub(resource.root, Part.Root);
  released.set(pdoc, resource);
  pdoc.doc.contents = root as unknown as typeof pdoc.doc.contents;
  resource.root = root;
  if (resource.metadata) resource.metadata = again.stub(resource.metadata, Part.Metadata);
  if ('spec' in resource && resource.spec) resource.spec = again.stub(resource.spec, Part.Spec);
}

/** Lets go of the tree of a document that is not a resource (a kustomization, once rendering has read it). */
export function releaseDocument(pdoc: ParsedDoc, reparse: (pdoc: ParsedDoc) => unknown): void {
  const root = pdoc.doc.contents;
  if (!isMap(root) || released.has(pdoc)) return;
  released.set(pdoc, undefined);
  pdoc.doc.contents = new Reparse(pdoc, reparse).stub(root, Part.Root) as unknown as typeof pdoc.doc.contents;
}

/**
 * Documents parsed again lately, oldest first. A fix reads its document a few
 * times in a row (its path, then its data), so the tree is kept for the next
 * read, but only for the last few documents, not until the scan ends.
 */
const recent: Reparse[] = [];
const RECENT_MAX = 8;

/** A released document's tree, parsed again when read, and forgotten again once it is no longer recent. */
class Reparse {
  private again: unknown = undefined;
  constructor(
    readonly pdoc: ParsedDoc,
    private readonly reparse: (pdoc: ParsedDoc) => unknown,
  ) {}

  stub(node: YAMLMap, part: Part): YAMLMap {
    const [r0, r1, r2] = node.range ?? [0, 0, 0];
    return new ReleasedMap(r0, r1, r2, this, part, node.schema) as unknown as YAMLMap;
  }

  /** Which document, for the error in strict mode. */
  where(): string {
    return `${this.pdoc.file.path} document ${this.pdoc.index + 1}`;
  }

  tree(): unknown {
    if (this.again === undefined) {
      this.again = this.reparse(this.pdoc);
      releaseStats.reparsed++;
      reparsedFiles.add(this.pdoc.file.path);
      recent.push(this);
      if (recent.length > RECENT_MAX) recent.shift()?.forget();
    }
    return this.again;
  }

  private forget(): void {
    this.again = undefined;
  }
}

/** Lets go of the trees no later stage reads; a late reader gets the document parsed again. */
export function releaseTrees(resources: readonly Resource[], opts: ParseOptions, keep?: (r: Resource) => boolean): void {
  for (const r of resources) {
    if (r.pdoc.origin || documentMayHoldPem(r.pdoc) || keep?.(r)) continue;
    if (RELEASED_TYPES.has(r.type) || releasableComponent(r)) releaseTree(r, (pdoc) => contentsAgain(pdoc, opts));
  }
}

/**
 * A Component that passes its schema has nothing more to tell DAPR002, and
 * its other rules read what extraction took; DAPR103 works in the tree
 * around scopes written in the wrong place.
 */
function releasableComponent(r: Resource): boolean {
  return r.type === 'component' && r.misplacedScopes.length === 0 && passesSchema(r);
}
