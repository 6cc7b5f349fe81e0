/**
 * True file line numbers for parsed records. csv-parse's own `info.lines` counts a CRLF inside a
 * quoted field twice, so lines are counted here from each record's raw text instead. The raw text
 * of a record holds everything the parser consumed since the previous record: the blank lines
 * before it, the record itself and the first character of its line ending.
 */
export class LineTracker {
  /** Line breaks in all raw text seen so far. */
  private consumed: number;
  /** csv-parse's line minus the true line, at the last record (to correct its error positions). */
  private skew: number;

  /** `linesBefore`: line breaks before the text csv-parse sees (the fast path split those lines). */
  constructor(linesBefore = 0) {
    this.consumed = linesBefore;
    this.skew = -linesBefore;
  }

  /** Registers a record's raw text; returns the 1-based line the record starts on. */
  advance(raw: string, parserLine: number): number {
    const lead = leadingBreaks(raw);
    const start = this.consumed + 1 + lead;
    const total = countBreaks(raw);
    const end = this.consumed + 1 + total - (endsWithBreak(raw) ? 1 : 0);
    this.skew = parserLine - end;
    this.consumed += total;
    return start;
  }

  /** The first line after the last record (where a record the parser choked on begins, or a blank line before it). */
  get nextLine(): number {
    return this.consumed + 1;
  }

  /** A line reported by csv-parse (in an error), corrected by the drift seen so far. */
  fromParser(parserLine: number): number {
    return Math.max(this.nextLine, parserLine - this.skew);
  }
}

/** Line breaks as an editor counts them: CRLF, a lone CR and a lone LF are one each. */
export function countBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) n++;
    else if (c === 0x0d) {
      n++;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  return n;
}

// Blank lines before a record reach its raw text as bare line-break characters: a record cannot
// start with an unquoted line break, so every leading CR/LF belongs to a skipped blank line.
function leadingBreaks(raw: string): number {
  let i = 0;
  while (i < raw.length && (raw.charCodeAt(i) === 0x0a || raw.charCodeAt(i) === 0x0d)) i++;
  return countBreaks(raw.slice(0, i));
}

function endsWithBreak(raw: string): boolean {
  const c = raw.charCodeAt(raw.length - 1);
  return c === 0x0a || c === 0x0d;
}
