/**
 * The fast path of the CSV ingest: files (or their first part) with no quote character are split
 * here, a line at a time, instead of by csv-parse's character-by-character state machine (which took
 * about 60 % of reading a 112 MB table). Without quotes the CSV grammar under the reader's options
 * is plain: a record is a line, fields are separated by the delimiter byte, lines end at LF or CRLF,
 * empty lines are skipped, a UTF-8 BOM at the start is dropped. Fields are decoded from their bytes
 * as UTF-8, as csv-parse decodes them.
 *
 * At the first line this grammar does not cover (a quote, a lone CR, a line over 1 MiB) the splitter
 * stops and hands the rest of the bytes, from the start of that line, to csv-parse, so the file is
 * still read once and every quoted or odd file is parsed exactly as before.
 * test/data/csv-plain.test.ts compares both paths on generated files, chunk sizes and errors.
 */

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
/**
 * Lines longer than this go to csv-parse too: joining the pieces of a line that spans many chunks
 * would cost quadratic time, and csv-parse enforces its own record limit on such lines.
 */
const PLAIN_LINE_BYTES = 1 << 20;

export interface PlainSplit {
  /** The bytes not split here, from the start of the first line the splitter does not cover; null when it split everything. */
  rest: AsyncGenerator<Buffer> | null;
  /** Line breaks before `rest` (the 1-based line it starts on is this plus one). */
  linesBefore: number;
  /** `rest` starts at the start of the file (a BOM there is still to be dropped). */
  atFileStart: boolean;
}

/**
 * Splits the quote-free lines at the start of `chunks` (UTF-8 bytes) and hands each record, with the
 * 1-based line it starts on, to `onRecord`. Returns where it stopped.
 */
export async function splitPlainLines(
  chunks: AsyncIterable<Buffer>,
  delimiter: string,
  onRecord: (fields: string[], line: number) => void,
  options: { signal?: AbortSignal; reuse?: (chunk: Buffer) => void } = {},
): Promise<PlainSplit> {
  const { signal, reuse } = options;
  const it = chunks[Symbol.asyncIterator]();
  /** The start of a line that the chunks so far have not finished (copied: chunks are not kept). */
  let carry: Buffer | null = null;
  let line = 1;
  let started = false;
  /** One line without its break: a record unless empty; false when it is csv-parse's to read. */
  const take = (buf: Buffer, start: number, stop: number): boolean => {
    if (stop - start > PLAIN_LINE_BYTES || buf.subarray(start, stop).includes(CR)) return false;
    if (stop > start) onRecord(buf.toString('utf8', start, stop).split(delimiter), line);
    line++;
    return true;
  };
  while (true) {
    signal?.throwIfAborted();
    const next = await it.next();
    if (next.done) break;
    const chunk = next.value;
    let buf = chunk;
    if (!started) {
      // csv-parse's `bom: true`: a UTF-8 BOM at the very start is not part of the first field (the
      // first bytes may come in pieces when chunks are tiny).
      buf = carry ? Buffer.concat([carry, buf]) : buf;
      carry = null;
      if (buf.length < 3) {
        carry = Buffer.from(buf);
        reuse?.(chunk);
        continue;
      }
      started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let pos = 0;
    if (carry) {
      // Finish the line carried over: only that line is joined, not the whole chunk.
      const lf = buf.indexOf(LF);
      if (lf === -1) {
        carry = Buffer.concat([carry, buf]);
        if (carry.length > PLAIN_LINE_BYTES || carry.includes(QUOTE)) return handOff(carry, it, line - 1, false);
        reuse?.(chunk);
        continue;
      }
      const joined = Buffer.concat([carry, buf.subarray(0, lf + 1)]);
      const stop = joined.length >= 2 && joined[joined.length - 2] === CR ? joined.length - 2 : joined.length - 1;
      if (joined.includes(QUOTE) || !take(joined, 0, stop)) return handOff(Buffer.concat([carry, buf]), it, line - 1, false);
      carry = null;
      pos = lf + 1;
    }
    // Everything from the line holding the first quote on goes to csv-parse.
    const quote = buf.indexOf(QUOTE, pos);
    const end = quote === -1 ? buf.length : lineStart(buf, quote, pos);
    while (pos < end) {
      const lf = buf.indexOf(LF, pos);
      if (lf === -1 || lf >= end) break;
      if (!take(buf, pos, lf > pos && buf[lf - 1] === CR ? lf - 1 : lf)) return handOff(buf.subarray(pos), it, line - 1, false);
      pos = lf + 1;
    }
    if (quote !== -1 || buf.length - pos > PLAIN_LINE_BYTES) return handOff(buf.subarray(pos), it, line - 1, false);
    // The unfinished last line waits for the next chunk (a CR at its end may be half of a CRLF).
    if (pos < buf.length) carry = Buffer.from(buf.subarray(pos));
    // Nothing refers to the chunk any more (the carry is a copy): its memory can take the next read.
    reuse?.(chunk);
  }
  if (carry) {
    // The last line has no line break: a record, unless it holds a CR or is a short start of the file
    // that the BOM check held back (csv-parse's business, both).
    if (!started || carry.includes(CR)) return handOff(carry, it, line - 1, !started);
    take(carry, 0, carry.length);
  }
  return { rest: null, linesBefore: line - 1, atFileStart: false };
}

/** Start of the line holding byte `at` (not before `from`): just after the LF or CR before it. */
function lineStart(buf: Buffer, at: number, from: number): number {
  let i = at;
  while (i > from && buf[i - 1] !== LF && buf[i - 1] !== CR) i--;
  return i;
}

function handOff(head: Buffer, it: AsyncIterator<Buffer>, linesBefore: number, atFileStart: boolean): PlainSplit {
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    while (true) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { rest: rest(), linesBefore, atFileStart };
}
