import { parse, CsvError, type InfoRecord } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../util/errors';
import type { ReadCsvOptions, Table } from './csv-table';
import type { SkippedRow } from '../report/schema';
import { TableBuilder, type Layout } from './csv-builder';
import { checkTable } from './csv-checks';
import { asUtf8, detectEncoding, headAsUtf8, type TextEncoding } from './csv-encoding';
import { checkTableSize } from './csv-budget';
import { sepDirective, unsupportedSepMessage } from './csv-directive';
import { countBreaks, LineTracker } from './csv-lines';
import { RecordText } from './csv-position';
import { splitPlainLines } from './csv-plain';
import type { RowStore } from './csv-rows';
import type { Delimiter } from './csv-cells';
import { sniffDelimiter } from './csv-sniff';
import { openSource, type CsvSource, type SourceTuning } from './csv-source';

export interface ReaderTuning extends SourceTuning {
  /** Split quote-free lines in csv-plain.ts (csv-parse takes over at the first line it cannot); false: csv-parse for everything (tests compare the two). */
  plainSplit: boolean;
}

export const DEFAULT_TUNING: ReaderTuning = { chunkBytes: 256 << 10, headLines: 64, headMaxBytes: 4 << 20, plainSplit: true };

/**
 * A record longer than this is taken for a runaway quoted field (an unclosed quote swallows the
 * rest of the file into one field) and stopped, which keeps memory bounded on such files.
 */
const MAX_RECORD_CHARS = 64 << 20;

/** readCsv with its I/O sizes exposed (tests use tiny chunks to split records across reads). */
export async function readCsvTuned(path: string, options: ReadCsvOptions, tuning: ReaderTuning): Promise<Table> {
  const minRows = options.minRows ?? 10;
  if (!Number.isInteger(minRows) || minRows < 0) throw new RangeError(`minRows must be a non-negative integer, got ${minRows}`);
  const source = await openSource(path, tuning, options.signal);
  try {
    const encoding = detectEncoding(source.head);
    assertHasText(source, encoding, path);
    const headText = headAsUtf8(source.head, encoding);
    // Excel's `sep=;` line names the delimiter and is skipped; otherwise the head decides.
    const directive = sepDirective(headText.toString('utf8', 0, Math.min(headText.length, 16)));
    if (directive !== null && 'unsupported' in directive) {
      throw new InputError(unsupportedSepMessage(directive.unsupported), { file: path, line: 1, column: directive.column, length: 1 });
    }
    const delimiter = directive?.delimiter ?? (await sniffDelimiter(headText, source.headIsAll));
    const sample = { size: source.size, headBytes: source.head.length, headBreaks: countLineBreaks(source.head), headIsAll: source.headIsAll };
    const builder = new TableBuilder(path, delimiter, {
      columns: options.columns,
      skipInvalid: options.skipInvalid ?? false,
      ...(directive !== null ? { skipLine: 1 } : {}),
      onLayout: (layout) => checkTableSize(path, layout, sample, options),
    });
    // UTF-8 chunks are the source's own buffers, which the fast path hands back for the next reads.
    const reuse = encoding === 'utf-8' ? (chunk: Buffer): void => source.reuse(chunk) : undefined;
    await parseAll(asUtf8(source.chunks(), encoding), delimiter, builder, path, tuning.plainSplit ? { reuse } : null, options.signal);
    const { layout, store } = checkTable(path, builder.layout, builder.store, builder.skippedRows, builder.missingByColumn, { minRows });
    return assemble(path, source.sha256(), delimiter, layout, store, builder.skippedRows);
  } finally {
    await source.close();
  }
}

function assemble(
  path: string,
  sha256: string,
  delimiter: Delimiter,
  layout: Layout,
  store: RowStore,
  skippedRows: SkippedRow[],
): Table {
  const { data, lines } = store.finish();
  const { names, sourceColumns } = layout.selection;
  return {
    path,
    sha256,
    columns: names,
    sourceColumns,
    rows: store.rows,
    d: store.d,
    data,
    lines,
    skippedRows,
    header: layout.header,
    delimiter,
    columnCell: layout.cellOf,
  };
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// The cheap cases that would otherwise surface as confusing parse results.
function assertHasText(source: CsvSource, encoding: TextEncoding, path: string): void {
  const { head } = source;
  const bomOnly = head.equals(UTF8_BOM) || (encoding !== 'utf-8' && head.length === 2);
  if (source.headIsAll && (head.length === 0 || bomOnly)) throw new InputError('is empty', { file: path, line: 1, column: 1 });
  // UTF-16 text is full of NUL bytes; UTF-8 text has none.
  const nul = encoding === 'utf-8' ? head.indexOf(0) : -1;
  if (nul !== -1) {
    throw new InputError('looks like a binary file (it contains NUL bytes), not a CSV text file', { file: path, ...bytePosition(head, nul) });
  }
}

/** Line and character column of byte `at` of the head (UTF-8), as an editor counts them. */
function bytePosition(head: Buffer, at: number): { line: number; column: number } {
  const before = head.toString('utf8', 0, at);
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  const skipBom = lastBreak === -1 && before.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line: countBreaks(before) + 1, column: before.length - lastBreak - skipBom };
}

function countLineBreaks(head: Buffer): number {
  let n = 0;
  for (let i = head.indexOf(0x0a); i !== -1; i = head.indexOf(0x0a, i + 1)) n++;
  return n > 0 ? n : countBreaks(head.toString('latin1'));
}

async function parseAll(
  chunks: AsyncIterable<Buffer>,
  delimiter: Delimiter,
  builder: TableBuilder,
  path: string,
  plain: { reuse?: (chunk: Buffer) => void } | null,
  signal?: AbortSignal,
): Promise<void> {
  let rest: AsyncIterable<Buffer> = chunks;
  let linesBefore = 0;
  let atFileStart = true;
  if (plain) {
    const split = await splitPlainLines(chunks, delimiter, (fields, line) => builder.add(fields, line), { signal, reuse: plain.reuse });
    if (split.rest === null) return;
    ({ rest, linesBefore, atFileStart } = split);
  }
  const lines = new LineTracker(linesBefore);
  const parser = parse({
    bom: atFileStart,
    delimiter,
    // Explicit, so that a file mixing line endings still splits at every one of them.
    record_delimiter: ['\r\n', '\n', '\r'],
    raw: true,
    // Ragged rows and stray quotes reach the builder, which reports them with line and column.
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: unknown, info: InfoRecord) => {
      const line = lines.advance(info.raw ?? '', info.lines);
      builder.add(fieldsOf(record), line, info.raw);
      return undefined; // nothing is pushed downstream: the builder has taken the record
    },
  });
  try {
    // One chunk in flight: Readable.from would otherwise read up to 16 chunks ahead of the parser.
    await pipeline(Readable.from(rest, { highWaterMark: 1 }), parser, drain, { signal });
  } catch (err) {
    throw err instanceof CsvError ? parserError(err, lines, path, delimiter) : err;
  }
}

// With `raw: true` csv-parse hands on_record `{ record, raw }` instead of the bare field array.
function fieldsOf(record: unknown): string[] {
  if (Array.isArray(record)) return record as string[];
  return (record as { record: string[] }).record;
}

// on_record returns nothing, so nothing arrives here; a sink is still needed to end the pipeline.
async function drain(records: AsyncIterable<unknown>): Promise<void> {
  const it = records[Symbol.asyncIterator]();
  while (!(await it.next()).done);
}

/**
 * A csv-parse failure as an InputError at the best position known: with the raw text of the record it
 * failed in, the cell where it failed (an unclosed quote: the opening quote), else the line.
 */
function parserError(err: CsvError, lines: LineTracker, path: string, delimiter: Delimiter): InputError {
  const raw = (err as CsvError & { raw?: unknown }).raw;
  const field = typeof err.column === 'number' ? err.column : undefined;
  const cell = typeof raw === 'string' && field !== undefined ? new RecordText(delimiter, lines.nextLine, undefined, raw).cell(field) : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputError(
        cell?.column !== undefined
          ? 'a quoted field that starts here is never closed (a " without its closing ")'
          : 'a quoted field that starts on or after this line is never closed (a " without its closing ")',
        { file: path, line: lines.nextLine, ...cell, length: cell?.column !== undefined ? 1 : undefined },
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new InputError(
        `a record starting on or after this line is longer than ${MAX_RECORD_CHARS >> 20} Mi characters; ` +
          'most likely a " that is never closed',
        { file: path, line: lines.nextLine },
      );
    default: {
      const line = typeof err.lines === 'number' ? lines.fromParser(err.lines) : lines.nextLine;
      return new InputError(`cannot parse the CSV: ${err.message}`, { file: path, line, ...cell });
    }
  }
}
