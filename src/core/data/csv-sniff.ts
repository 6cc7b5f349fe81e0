import { parse } from 'csv-parse';
import { DELIMITERS, isBlankRecord, isMissing, looksLikeHeader, parseNumber, type Delimiter } from './csv-cells';

/** How many non-blank records of the head decide the delimiter. */
export const SNIFF_RECORDS = 20;

interface Candidate {
  delimiter: Delimiter;
  /** Every sampled record has the first record's field count. */
  consistent: boolean;
  /** Every data cell of the sample is a number or a missing value. */
  clean: boolean;
}

/**
 * Chooses the delimiter among comma, semicolon and tab from the first records of the file, parsed
 * by the real parser so that delimiters inside quotes do not count. A candidate qualifies when it
 * splits the first record into more than one field and at least half the others into as many (a
 * ragged row early in the file should be reported as ragged, not turn the file into one column).
 * Fully consistent beats mostly consistent, all-numeric data beats not, then the order of
 * preference decides (csv-cells.ts, DELIMITERS: the rarer delimiter wins). Without a qualifying
 * candidate the file has a single column, read with ','.
 */
export async function sniffDelimiter(head: Buffer, headIsAll: boolean): Promise<Delimiter> {
  const candidates: Candidate[] = [];
  for (const delimiter of DELIMITERS) {
    const records = await sampleRecords(head, delimiter, headIsAll);
    const candidate = judge(delimiter, records);
    if (candidate !== undefined) candidates.push(candidate);
  }
  candidates.sort((a, b) => rank(b) - rank(a) || DELIMITERS.indexOf(a.delimiter) - DELIMITERS.indexOf(b.delimiter));
  return candidates[0]?.delimiter ?? ',';
}

function rank(c: Candidate): number {
  return (c.consistent ? 2 : 0) + (c.clean ? 1 : 0);
}

function judge(delimiter: Delimiter, records: string[][]): Candidate | undefined {
  if (records.length === 0) return undefined;
  const fields = records[0].length;
  if (fields < 2) return undefined;
  const rest = records.slice(1);
  const agreeing = rest.filter((r) => r.length === fields).length;
  if (agreeing * 2 < rest.length) return undefined;
  const data = looksLikeHeader(records[0]) ? rest : records;
  const clean = data.every((r) => r.every((cell) => isMissing(cell) || parseNumber(cell) !== undefined));
  return { delimiter, consistent: agreeing === rest.length, clean };
}

/**
 * The first non-blank records of the head under one delimiter. Parse errors end the sample
 * silently: a wrong delimiter may well produce them, and the real pass reports the right ones.
 * When the head is not the whole file its last record may be cut short, so it is dropped.
 */
async function sampleRecords(head: Buffer, delimiter: Delimiter, headIsAll: boolean): Promise<string[][]> {
  const records: string[][] = [];
  const parser = parse({
    bom: true,
    delimiter,
    // As in the real pass (csv-reader.ts): left to itself, csv-parse guesses one record delimiter
    // and, in a file mixing LF and CRLF lines, may pick CRLF and read LF lines as one record.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    on_record: (record: string[]) => {
      if (!isBlankRecord(record, delimiter) && records.length <= SNIFF_RECORDS) records.push(record);
      return undefined;
    },
  });
  await new Promise<void>((resolve) => {
    parser.on('error', () => resolve());
    parser.on('end', () => resolve());
    parser.resume();
    parser.end(head);
  });
  if (!headIsAll && records.length > 1) records.pop();
  return records.slice(0, SNIFF_RECORDS);
}
