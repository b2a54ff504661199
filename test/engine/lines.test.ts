// Line starts are counted again from a file's text when asked (lines.ts),
// not kept from the parse: they must be exactly what yaml's parser counted,
// or every finding would point at another line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, Parser } from 'yaml';
import { lineStartsOf, NO_LINES, TextLines } from '../../src/engine/lines.js';
import { parseText } from '../../src/engine/parse.js';
import { lineBreaksAsLf } from '../../src/engine/yaml.js';
import { CORPUS, hasCorpus } from '../helpers.js';

/** What yaml's parser counts, on the text as the scan parses it (lone CRs as LFs). */
function parserStarts(text: string): number[] {
  const counter = new LineCounter();
  for (const _ of new Parser(counter.addNewLine).parse(lineBreaksAsLf(text))) void _;
  return counter.lineStarts;
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

const EDGES = [
  '',
  'a: 1',
  'a: 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: 1\rb: 2\r',
  'a: 1\r\r\nb: 2\n\r',
  '\ufeffa: 1\n',
  '# only a comment\n\n\n',
  'a: |\n  one\n  two\n\nb: >-\n  three\n',
  "a: 'multi\n  line'\nb: \"x\\\n  y\"\n",
  '---\na: 1\n...\n---\nb: [1,\n 2]\n',
  'a: [unclosed\nb: 2\n',
];

describe('TextLines', () => {
  it('counts the lines yaml counts, on edge texts (CRLF, lone CR, block and multi-line scalars, broken YAML)', () => {
    for (const text of EDGES) expect(lineStartsOf(text), JSON.stringify(text)).toEqual(parserStarts(text));
  });

  it('counts the lines yaml counts, on every fixture of the test suite', () => {
    const files = yamlFiles(path.join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(lineStartsOf(text), f).toEqual(parserStarts(text));
    }
  });

  it.skipIf(!hasCorpus)('counts the lines yaml counts, on every file of the shared corpus', () => {
    for (const f of yamlFiles(CORPUS)) {
      const text = fs.readFileSync(f, 'utf8');
      expect(lineStartsOf(text), f).toEqual(parserStarts(text));
    }
  });

  it('gives positions as the parse counted them, and the same again once forgotten', () => {
    const text = 'a: 1\r\nb:\r  c: 2\n';
    const parsed = parseText({ path: 'x.yaml', absPath: '/x.yaml', kind: 'yaml', size: text.length }, text);
    const counter = new LineCounter();
    for (const s of parserStarts(text)) counter.addNewLine(s);
    const offsets = Array.from({ length: text.length + 2 }, (_, i) => i - 1);
    const expected = offsets.map((o) => counter.linePos(o));
    expect(offsets.map((o) => parsed.lineCounter.linePos(o))).toEqual(expected);
    // Asking about many other files pushes this one out; counted again, it is the same.
    for (let i = 0; i < 300; i++) new TextLines(`x${i}\n`).linePos(1);
    expect(offsets.map((o) => parsed.lineCounter.linePos(o))).toEqual(expected);
  });

  it('gives a file that was not read no lines, as an empty LineCounter does', () => {
    const empty = new LineCounter();
    for (const o of [0, 1, 5]) expect(NO_LINES.linePos(o)).toEqual(empty.linePos(o));
    expect(NO_LINES.lineStarts).toEqual([]);
  });
});
