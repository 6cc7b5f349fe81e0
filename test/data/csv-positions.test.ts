// Where a CSV error points: the 1-based character column where the cell at fault starts, as an
// editor shows the line (UTF-16 code units like VS Code's Position, after a BOM on line 1, a tab
// is one, a quoted cell starts at its quote), and the cell's length. Every file is read by both
// paths (the quote-free fast path and csv-parse alone): they must point at the same place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvTuned, DEFAULT_TUNING } from '../../src/core/data/csv-reader';
import type { ReadCsvOptions } from '../../src/core/data/csv';
import { fieldSpans, RecordText } from '../../src/core/data/csv-position';
import { InputError } from '../../src/core/util/errors';

const root = mkdtempSync(join(tmpdir(), 'action-lens-csv-pos-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let count = 0;

interface At {
  line: number;
  column: number;
  length: number;
  /** The text the position selects, read back from the line as an editor holds it. */
  selects: string;
}

/** The error of reading `content`, the same through both paths and several chunk sizes. */
async function errorAt(content: string | Buffer, options: ReadCsvOptions = { minRows: 1 }): Promise<InputError> {
  const path = join(root, `p${count++}.csv`);
  writeFileSync(path, content);
  const seen: InputError[] = [];
  for (const plainSplit of [true, false]) {
    for (const chunkBytes of [3, 1 << 16]) {
      try {
        await readCsvTuned(path, options, { ...DEFAULT_TUNING, chunkBytes, plainSplit });
        assert.fail(`no error reading ${JSON.stringify(content)}`);
      } catch (err) {
        assert.ok(err instanceof InputError, String(err));
        seen.push(err);
      }
    }
  }
  for (const e of seen.slice(1)) assert.deepEqual([e.message, e.line, e.column, e.length], [seen[0].message, seen[0].line, seen[0].column, seen[0].length]);
  return seen[0];
}

/** Line `line` (1-based) as VS Code shows it: split at CRLF, CR or LF, a leading BOM dropped. */
function editorLine(text: string, line: number): string {
  return text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)[line - 1] ?? '';
}

function assertAt(err: InputError, text: string, want: At): void {
  assert.deepEqual({ line: err.line, column: err.column, length: err.length }, { line: want.line, column: want.column, length: want.length }, err.message);
  const shown = editorLine(text, want.line).slice(want.column - 1, want.column - 1 + want.length);
  assert.equal(shown, want.selects, `the selection in ${JSON.stringify(editorLine(text, want.line))}`);
  assert.ok(err.message.includes(`:${want.line}:${want.column}: `), err.message);
}

test('a plain cell: the column where it starts and its length; the message names the column and the field', async () => {
  const text = 'a,b,c\n1,2,3\n10,20,abc\n';
  const err = await errorAt(text);
  assertAt(err, text, { line: 3, column: 7, length: 3, selects: 'abc' });
  assert.match(err.message, /non-numeric value "abc" in column "c" \(field 3\)$/);
});

test('quoted cells start at the quote; their length includes the quotes and "" inside', async () => {
  const text = 'a,b,c\n"1,5",2,3\n"4","x""y",6\n';
  const err = await errorAt(text, { minRows: 1, columns: ['b'] });
  assertAt(err, text, { line: 3, column: 5, length: 6, selects: '"x""y"' });
  // A quoted cell before the one at fault holds the delimiter: the column still counts its characters.
  const after = 'a,b\n"1,5,7",2\n"2,5",q\n';
  assertAt(await errorAt(after, { minRows: 1, columns: ['b'] }), after, { line: 3, column: 7, length: 1, selects: 'q' });
});

test('a cell after a quoted cell that spans lines: the line and column where it is shown', async () => {
  for (const eol of ['\n', '\r\n']) {
    const text = `a,b,c${eol}1,"two${eol}lines",x${eol}`;
    assertAt(await errorAt(text, { minRows: 1, columns: ['a', 'c'] }), text, { line: 3, column: 8, length: 1, selects: 'x' });
  }
  // A quoted cell that is itself multi-line selects its part on its first line.
  const text = 'a,b\n1,"x\ny"\n';
  assertAt(await errorAt(text), text, { line: 2, column: 3, length: 2, selects: '"x' });
});

test('multi-byte characters count as VS Code counts them (UTF-16 code units: é is 1, 😀 is 2)', async () => {
  const text = 'é,b,c\n1,2,3\nΩ≈,😀,z\n';
  const err = await errorAt(text, { minRows: 1, columns: ['c'] });
  assertAt(err, text, { line: 3, column: 7, length: 1, selects: 'z' });
  const emoji = 'a,b\n1,2\n3,😀x\n';
  assertAt(await errorAt(emoji), emoji, { line: 3, column: 3, length: 3, selects: '😀x' });
});

test('semicolon and tab delimiters (a tab is one column)', async () => {
  const semi = 'a;b;c\n1;2;3\n4;5,5;6\n';
  assertAt(await errorAt(semi), semi, { line: 3, column: 3, length: 3, selects: '5,5' });
  const tab = 'a\tb\tc\n1\t2\t3\n4\t\t5\tx\n';
  // Too many fields: from the delimiter that starts the extra ones to the end of the line.
  assertAt(await errorAt(tab), tab, { line: 3, column: 5, length: 2, selects: '\tx' });
  const tabCell = 'a\tb\n1\t2\n3\t  q \n';
  assertAt(await errorAt(tabCell), tabCell, { line: 3, column: 3, length: 4, selects: '  q ' });
});

test('a BOM on line 1 is not counted; CRLF lines are counted like LF lines', async () => {
  const text = '\ufeffa,b\r\n1,2\r\n\r\n3,x\r\n';
  assertAt(await errorAt(text), text, { line: 4, column: 3, length: 1, selects: 'x' });
  // An error in the header itself (a name selected twice): line 1, after the BOM.
  const header = '\ufeffa,bb,c\r\n1,2,3\r\n';
  const err = await errorAt(header, { minRows: 1, columns: ['bb', '1'] });
  assertAt(err, header, { line: 1, column: 3, length: 2, selects: 'bb' });
  assert.match(err.message, /column "bb" \(field 2\) is selected twice/);
  // With a quote on line 1, csv-parse drops the BOM itself.
  const quoted = '\ufeff"a",b\r\n1,2\r\n3,"y"\r\n';
  assertAt(await errorAt(quoted), quoted, { line: 3, column: 3, length: 3, selects: '"y"' });
});

test('UTF-16 files: the column is of the decoded line (no BOM)', async () => {
  const text = 'a\tb\r\n1\t2\r\n3\t\u00e9x\r\n';
  const err = await errorAt(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  assertAt(err, text, { line: 3, column: 3, length: 2, selects: 'éx' });
});

test('wrong field counts: the end of a short line, the extra fields of a long one', async () => {
  const few = 'a,b,c\n1,2,3\n4,55\n';
  assertAt(await errorAt(few), few, { line: 3, column: 5, length: 0, selects: '' });
  const trailing = 'a,b\n1,2\n3,4,\n';
  assertAt(await errorAt(trailing), trailing, { line: 3, column: 4, length: 1, selects: ',' });
});

test('duplicate header names point at the second one', async () => {
  const text = 'a,"b",b\n1,2,3\n';
  const err = await errorAt(text);
  assertAt(err, text, { line: 1, column: 7, length: 1, selects: 'b' });
  assert.match(err.message, /duplicate column name "b" in fields 2 and 3/);
});

test('a quote that is never closed points at the quote', async () => {
  const text = 'a,b\n1,2\n\n3,"4\n5,6\n';
  const err = await errorAt(text);
  assertAt(err, text, { line: 4, column: 3, length: 1, selects: '"' });
  assert.match(err.message, /a quoted field that starts here is never closed/);
});

test('fieldSpans splits as csv-parse does with relax_quotes; RecordText maps offsets to lines', () => {
  const spans = (t: string, d = ','): string[] => fieldSpans(t, d).map((s) => t.slice(s.start, s.end));
  assert.deepEqual(spans('1,"a,b",3'), ['1', '"a,b"', '3']);
  assert.deepEqual(spans('"x""y",2'), ['"x""y"', '2']);
  assert.deepEqual(spans('"ab"cd,2'), ['"ab"cd', '2'], 'text after a closing quote stays in the cell');
  assert.deepEqual(spans(' "a",b'), [' "a"', 'b'], 'a quote after a space is a plain character');
  assert.deepEqual(spans('1,2,'), ['1', '2', '']);
  assert.deepEqual(spans('1;2\r', ';'), ['1', '2']);
  assert.deepEqual(spans(''), ['']);
  const rec = new RecordText(',', 5, ['1', 'a\r\nb', 'c'], '\r\r1,"a\r\nb",c\r');
  assert.deepEqual(rec.cell(2), { line: 6, column: 4, length: 1 });
  assert.deepEqual(rec.cell(0), { line: 5, column: 1, length: 1 });
  // A scan that disagrees with the parser's fields gives the line only.
  assert.deepEqual(new RecordText(',', 2, ['1', '2'], '1,2,3').cell(1), { line: 2 });
  // A parser error's raw text: its leading blank lines move the line.
  assert.deepEqual(new RecordText(',', 3, undefined, '\n\n7,"8').cell(1), { line: 5, column: 3, length: 2 });
});
