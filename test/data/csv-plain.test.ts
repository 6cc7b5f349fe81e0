import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvTuned, DEFAULT_TUNING } from '../../src/core/data/csv-reader';
import type { ReadCsvOptions, Table } from '../../src/core/data/csv';
import { InputError } from '../../src/core/util/errors';
import { Rng } from '../../src/core/util/rng';

// The fast path (csv-plain.ts) against csv-parse alone, on the same bytes: the same table, to the
// bit, or the same error at the same line and column. Files are generated with everything the
// plain grammar has to get right (line endings, blank lines, BOM, ragged rows, missing and
// non-numeric cells, non-ASCII text, a trailing delimiter, no final line break) and with what makes
// it hand over to csv-parse (quotes, lone CRs) at random places; chunk sizes from 1 byte up split
// lines, CRLFs, BOMs and multi-byte characters across reads.

const root = mkdtempSync(join(tmpdir(), 'action-lens-csv-plain-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let files = 0;

type Outcome = { table: Omit<Table, 'path' | 'data' | 'lines' | 'columnCell'> & { data: number[]; lines: number[]; cells: unknown[] } } | { error: string; line?: number; column?: number; length?: number };

async function outcome(path: string, options: ReadCsvOptions, plainSplit: boolean, chunkBytes: number): Promise<Outcome> {
  try {
    const t = await readCsvTuned(path, options, { ...DEFAULT_TUNING, chunkBytes, headLines: 3, plainSplit });
    const { path: _path, data, lines, columnCell, ...rest } = t;
    void _path;
    // Bits, not numbers: -0 and NaN payloads would hide behind ===. The header cells' positions too.
    const cells = t.columns.map((_, j) => columnCell?.(j));
    return { table: { ...rest, data: Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length * 2)), lines: Array.from(lines), cells } };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { error: err.message, line: err.line, column: err.column, length: err.length };
  }
}

const words = ['NA', 'NaN', '', 'null', 'abc', 'x y', 'é', '1e5', '-0', '+.5', '0x10', ' 3', 'Ω≈ç', '∞'];

/** One generated file: mostly numbers, with the awkward cases sprinkled in. */
function generate(rng: Rng, awkward: number, breaks: boolean): Buffer {
  const delimiter = [',', ';', '\t'][rng.int(3)];
  const cols = 1 + rng.int(4);
  const eols = ['\n', '\r\n'];
  if (breaks) eols.push('\r');
  const eol = (): string => (rng.uniform() < 0.8 ? eols[0] : eols[rng.int(eols.length)]);
  const parts: string[] = [];
  if (rng.uniform() < 0.2) parts.push('\ufeff');
  if (rng.uniform() < 0.5) parts.push(Array.from({ length: cols }, (_, c) => (rng.uniform() < 0.1 ? `"c${c}"` : `c${c}`)).join(delimiter) + eol());
  const rows = 12 + rng.int(30);
  for (let r = 0; r < rows; r++) {
    if (rng.uniform() < 0.05) parts.push(eol());
    let n = cols;
    if (rng.uniform() < awkward * 0.2) n += rng.uniform() < 0.5 ? -1 : 1;
    const cells: string[] = [];
    for (let c = 0; c < Math.max(1, n); c++) {
      const u = rng.uniform();
      if (u < awkward * 0.3) cells.push(words[rng.int(words.length)]);
      else if (u < awkward * 0.35) cells.push(`"${rng.normal().toFixed(3)}"`);
      else cells.push(String(Math.round(rng.normal() * 1e4) / 100 + r));
    }
    let text = cells.join(delimiter);
    if (rng.uniform() < 0.03) text += delimiter;
    parts.push(text + (r === rows - 1 && rng.uniform() < 0.4 ? '' : eol()));
  }
  return Buffer.from(parts.join(''), 'utf8');
}

test('the plain splitter gives csv-parse\'s tables and errors, to the bit, on 400 generated files and chunk sizes from 1 byte', async () => {
  const rng = new Rng(2026);
  let tables = 0;
  let errors = 0;
  let handedOver = 0;
  for (let k = 0; k < 400; k++) {
    const awkward = [0, 0.02, 0.1][k % 3];
    const bytes = generate(rng, awkward, k % 5 === 4);
    const path = join(root, `g${files++}.csv`);
    writeFileSync(path, bytes);
    if (bytes.includes(0x22) || bytes.includes(Buffer.from('\r'))) handedOver++;
    const options: ReadCsvOptions = { minRows: 5, skipInvalid: k % 2 === 1 };
    // The chunk size also sets how much of the file the delimiter is sniffed from, so each size is
    // compared with csv-parse at the same size.
    // Byte-sized reads (slow through csv-parse) for every sixteenth file, larger ones for all.
    for (const chunkBytes of k % 16 === 0 ? [1, 2, 3, 7, 13, 64, 1 << 16] : [29, 1 << 16]) {
      const want = await outcome(path, options, false, chunkBytes);
      const got = await outcome(path, options, true, chunkBytes);
      assert.deepEqual(got, want, `file ${k} (${JSON.stringify(bytes.toString('utf8').slice(0, 200))}...), chunks of ${chunkBytes}`);
      if (chunkBytes === 1 << 16) {
        if ('table' in want) tables++;
        else errors++;
      }
    }
  }
  // The generator must exercise both outcomes and the hand-over, or the comparison proves little.
  assert.ok(tables > 100 && errors > 50, `tables ${tables}, errors ${errors}`);
  assert.ok(handedOver > 40, `files with a quote or a CR: ${handedOver}`);
});

test('hand-over in the middle of a file: a quoted cell after many plain lines, and a BOM-like character on a later line', async () => {
  const plainRows = Array.from({ length: 300 }, (_, r) => `${r},${r * 2 + 0.5}`).join('\n');
  const cases = [
    `a,b\n${plainRows}\n"300",600.5\n301,602.5\n`,
    `a,b\r\n${plainRows.replaceAll('\n', '\r\n')}\r\n301,"1,5"\r\n`,
    // U+FEFF at the start of a later line is not a BOM: both paths must keep it (a non-numeric cell).
    `a,b\n${plainRows}\n\ufeff301,5\n"302",6\n`,
    `a,b\n${plainRows}\n301,5\r302,6\n`,
    `a,b\n${plainRows}\n"never closed,5\n302,6\n`,
  ];
  for (const [i, text] of cases.entries()) {
    const path = join(root, `h${files++}.csv`);
    writeFileSync(path, text);
    for (const chunkBytes of [5, 333, 1 << 16]) {
      assert.deepEqual(await outcome(path, {}, true, chunkBytes), await outcome(path, {}, false, chunkBytes), `case ${i}, chunks of ${chunkBytes}`);
    }
  }
});

test('a UTF-16 file goes through the plain splitter too (decoded to UTF-8 first) with the same result', async () => {
  const text = `\ufeffa;b\n${Array.from({ length: 40 }, (_, r) => `${r};${r / 4}`).join('\r\n')}\n`;
  const le = Buffer.from(text, 'utf16le');
  const path = join(root, `u${files++}.csv`);
  writeFileSync(path, le);
  for (const chunkBytes of [3, 64, 1 << 16]) {
    const want = await outcome(path, {}, false, chunkBytes);
    assert.ok('table' in want, JSON.stringify(want));
    assert.deepEqual(await outcome(path, {}, true, chunkBytes), want, `chunks of ${chunkBytes}`);
  }
});

test('read buffers handed back for reuse: a long plain stretch, then a quoted line, parse as csv-parse alone does', async () => {
  // Reads of 8 KiB and more get buffers of their own, which the splitter hands back for the next
  // read (csv-source's reuse): anything it keeps across reads (the unfinished line) must be a copy,
  // or the next read overwrites it (checked: keeping a view fails this test).
  const plain = Array.from({ length: 6000 }, (_, r) => `${r},${(r * 1.25).toFixed(2)},${r % 7}`).join('\n');
  for (const tail of ['\n"6000",1,2\n6001,2,3\n', '\n6000,"1\n2",3\n6001,2,3\n', '\r\n6000,1,2\r6001,2,3\n']) {
    const path = join(root, `r${files++}.csv`);
    writeFileSync(path, `a,b,c\n${plain}${tail}`);
    for (const chunkBytes of [8192, 20000]) {
      const want = await outcome(path, {}, false, chunkBytes);
      assert.deepEqual(await outcome(path, {}, true, chunkBytes), want, `tail ${JSON.stringify(tail)}, chunks of ${chunkBytes}`);
    }
  }
});
