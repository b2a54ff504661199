// The pre-check blanks documents no rule can read without moving anything:
// same length, same lines, same document count.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { alwaysRelevant, mayHoldPem, onlyDocumentsIn, precheck, relevantDocument } from '../../src/engine/precheck.js';

describe('precheck', () => {
  it('keeps documents with a Dapr marker, a routed or secret kind, or a PEM block, and blanks the rest in place', () => {
    const dash = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana\ndata:\n  panel.json: "{}"\n';
    const comp = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n';
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';
    const text = `---\n${dash}---\n${comp}...\n---\n${dash.replace('grafana', 'other')}--- # a comment\n${svc}`;
    const out = precheck(text);
    expect(out.empty).toBe(false);
    expect(out.text.length).toBe(text.length);
    expect(out.text.split('\n').length).toBe(text.split('\n').length);
    expect(out.text).toContain(comp);
    expect(out.text).toContain(svc);
    expect(out.text).not.toContain('grafana');
    expect(out.text).not.toContain('other');
    expect(out.text).toContain('--- # a comment');
    const before = parseAllDocuments(text);
    const after = parseAllDocuments(out.text);
    expect(Array.isArray(after) && after.length).toBe(Array.isArray(before) && before.length);
    expect(Array.isArray(after) && after.map((d) => d.range?.[0])).toEqual(Array.isArray(before) && before.map((d) => d.range?.[0]));
  });

  it('keeps only the documents overlapping a range, blanking the others in place (onlyDocumentsIn)', () => {
    const text = '# head\nkind: A\n---\nkind: B\nlist: [1, 2]\n...\n--- # c\nkind: C\n';
    const b = text.indexOf('kind: B');
    const out = onlyDocumentsIn(text, b, b + 'kind: B\nlist: [1, 2]\n'.length);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).toContain('---\nkind: B\nlist: [1, 2]\n');
    expect(out).not.toContain('kind: A');
    expect(out).not.toContain('head');
    expect(out).not.toContain('kind: C');
    expect(out).toContain('--- # c');
    // The document parses alone to the same data at the same place; the others are gone.
    const before = parseAllDocuments(text);
    const after = parseAllDocuments(out);
    if (!Array.isArray(before) || !Array.isArray(after)) throw new Error('not documents');
    expect(after.filter((d) => d.toJS() !== null).map((d) => [d.contents?.range, d.toJS() as unknown])).toEqual([[before[1].contents?.range, { kind: 'B', list: [1, 2] }]]);
  });

  it('blanks nothing in a file with directives: a %TAG line in a blanked chunk would change the document after it', () => {
    const text = 'kind: ConfigMap\ndata: {}\n...\n%TAG !! tag:example.com,2000:\n---\nkind: Service\nport: !!int "12"\n';
    expect(precheck(text)).toEqual({ text, empty: false });
  });

  it('says a file with nothing relevant is empty, and keeps a single relevant document untouched', () => {
    expect(precheck('kind: ClusterRole\nrules: []\n')).toEqual({ text: '', empty: true });
    const one = 'kind: Secret\ndata: {}\n';
    expect(precheck(one)).toEqual({ text: one, empty: false });
  });

  it('keeps a document whose PEM marker escapes or line wrapping hide from the text', () => {
    const cm = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
    expect(relevantDocument(cm('  k: "\\x2D----BEGIN EC PRIVATE KEY-----"\n'))).toBe(true);
    expect(relevantDocument(cm('  k: "\\u002D----BEGIN EC PRIVATE KEY-----"\n'))).toBe(true);
    expect(relevantDocument(cm('  k: "LS0t\\\n    LS1CRUdJTi"\n'))).toBe(true);
    expect(relevantDocument(cm('  k: |\n    IyBrZXkKLS0t\n    LS1CRUdJTiBF\n'))).toBe(true);
    expect(mayHoldPem(cm('  k: "a \\"quoted\\" \\n value"\n  j: |\n    one line\n    words, not base64\n'))).toBe(false);
    expect(relevantDocument(cm('  k: "a \\"quoted\\" \\n value"\n'))).toBe(false);
  });

  it('recognises kinds in any quoting and base64 PEM at every alignment, but not look-alike kinds', () => {
    expect(relevantDocument('"kind": "Secret"')).toBe(true);
    expect(relevantDocument("kind: 'Ingress'")).toBe(true);
    expect(relevantDocument('kind: ServiceAccount')).toBe(false);
    expect(relevantDocument('kind: ServiceMonitor')).toBe(false);
    for (const prefix of ['', 'x', 'xy']) {
      const b64 = Buffer.from(`${prefix}-----BEGIN EC PRIVATE KEY-----`).toString('base64');
      expect(relevantDocument(`data:\n  key: ${b64}\n`), prefix).toBe(true);
    }
    expect(alwaysRelevant('charts/shop/values-prod.yaml')).toBe(true);
    expect(alwaysRelevant('deploy/docker-compose.override.yml')).toBe(true);
    expect(alwaysRelevant('dashboards/panel.yaml')).toBe(false);
  });
});
