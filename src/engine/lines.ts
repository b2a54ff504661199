// lines: a scan keeps every relevant file of the repository at once, and
// yaml's LineCounter keeps an array of line starts (and two closures) for
// each: about 10 MB on a repository of 20,000 files, for positions that are
// asked about a few files at a time (findings, suppressions, the result
// cache's digest). TextLines computes a file's line starts from its text
// when asked, and keeps them only while the file is among the last few asked
// about.

/** What positions are read through: the read side of yaml's LineCounter. */
export interface LineIndex {
  readonly lineStarts: readonly number[];
  /** The 1-based line and column of an offset, exactly as yaml's LineCounter gives them. */
  linePos(offset: number): { line: number; col: number };
}

/**
 * The offsets at which the lines of `text` start, as yaml's parser reports
 * them for the text with its lone CRs made LFs (lineBreaksAsLf): 0, and the
 * offset after each LF, CRLF or lone CR.
 */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** yaml's LineCounter.linePos over `starts` (a binary search; line 0 before the first start). */
export function linePosIn(starts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low + 1, col: 1 };
  if (low === 0) return { line: 0, col: offset };
  return { line: low, col: offset - starts[low - 1] + 1 };
}

/** Files whose line starts are kept, most recent last. */
const recent: TextLines[] = [];
/** Enough that findings, which come file after file within each rule, rarely count a file's lines twice. */
const RECENT_MAX = 256;

/** The lines of a file's text, counted when first asked about, and forgotten again once the file is no longer recent. */
export class TextLines implements LineIndex {
  private starts: number[] | undefined = undefined;
  constructor(private readonly text: string) {}

  get lineStarts(): readonly number[] {
    if (this.starts === undefined) {
      this.starts = lineStartsOf(this.text);
      recent.push(this);
      if (recent.length > RECENT_MAX) recent.shift()?.forget();
    }
    return this.starts;
  }

  linePos(offset: number): { line: number; col: number } {
    return linePosIn(this.lineStarts, offset);
  }

  private forget(): void {
    this.starts = undefined;
  }
}

/** A file that was not read (skipped by the pre-check): no lines, as an empty LineCounter. */
export const NO_LINES: LineIndex = {
  lineStarts: [],
  linePos: (offset) => linePosIn([], offset),
};
