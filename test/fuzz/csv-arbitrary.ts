/**
 * fast-check arbitraries of awkward CSV files: structured tables whose columns are of the kinds that
 * break models (copies, combinations, constants, few levels, row numbers, extreme magnitudes,
 * outliers, heavy tails), rendered with every layout the reader accepts and many it refuses; the
 * same files with bytes inserted, deleted and replaced; and plain byte strings. The values come from
 * a seeded generator inside the spec, so a counterexample shrinks over the spec (rows, columns,
 * layout) and reproduces exactly.
 */
import fc from 'fast-check';
import { Rng } from '../../src/core/util/rng';

export const COLUMN_KINDS = [
  'gauss',
  'offset',
  'integer',
  'binary',
  'constant',
  'copy',
  'negated',
  'combo',
  'index',
  'nearConstant',
  'outlier',
  'cauchy',
  'tiny',
  'huge',
  'scaled',
  'rounded',
] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** Header names: ordinary, empty, repeated, hostile (quotes, delimiters, line breaks, markup, prototype keys). */
const NAMES = ['a', 'b', 'c', 'x', 'temp', 'p', '', ' a ', 'a', 'q"r', 'x,y', 'sep=', '__proto__', 'constructor', 'é', '1', '2.5', 'NA', 'x\ny', '=cmd()', '<b>', 'a;b', 't\tu', '∑', 'toString'];
const MISSING = ['', 'NA', 'NaN', 'null', 'n/a', ' '];
const JUNK = ['x', '1,5', 'inf', '-Infinity', '1e999', '0x1F', '1 2', '2021-01-01', '"', '""', '1.2.3', '--1', '5%', '$3', '\u2212' + '1', '1e-999'];

export interface TableSpec {
  seed: number;
  rows: number;
  kinds: ColumnKind[];
  names: number[];
  header: boolean;
  delimiter: ',' | ';' | '\t';
  lineEnd: '\n' | '\r\n' | '\r';
  bom: boolean;
  sepLine: boolean;
  /** Number style: shortest, fixed (k decimals), exponential (k digits), precision (k digits). */
  style: 'shortest' | 'fixed' | 'exponential' | 'precision';
  digits: number;
  /** Decimal exponent of the 'scaled' kind. */
  scale: number;
  /** Chance per cell of a missing marker, of junk, of quotes. */
  missing: number;
  junk: number;
  quote: number;
  blankLines: number;
  trailingDelimiter: boolean;
  ragged: number;
  finalNewline: boolean;
}

/** Column kinds, ordinary ones more often than degenerate ones. */
function columnKind(): fc.Arbitrary<ColumnKind> {
  const often: ColumnKind[] = ['gauss', 'gauss', 'gauss', 'offset', 'integer', 'rounded', 'scaled'];
  return fc.oneof({ arbitrary: fc.constantFrom(...often), weight: 3 }, { arbitrary: fc.constantFrom(...COLUMN_KINDS), weight: 1 });
}

export function tableSpec(options: { maxRows?: number; maxColumns?: number } = {}): fc.Arbitrary<TableSpec> {
  const maxColumns = options.maxColumns ?? 5;
  return fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    rows: fc.oneof({ arbitrary: fc.integer({ min: 12, max: options.maxRows ?? 60 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 15 }), weight: 1 }),
    kinds: fc.array(columnKind(), { minLength: 1, maxLength: maxColumns }),
    names: fc.array(fc.integer({ min: 0, max: NAMES.length - 1 }), { minLength: maxColumns, maxLength: maxColumns }),
    header: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t'),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    sepLine: fc.boolean(),
    style: fc.constantFrom('shortest', 'fixed', 'exponential', 'precision'),
    digits: fc.integer({ min: 0, max: 17 }),
    scale: fc.oneof({ arbitrary: fc.integer({ min: -40, max: 40 }), weight: 4 }, { arbitrary: fc.integer({ min: -330, max: 330 }), weight: 1 }),
    missing: fc.constantFrom(0, 0, 0, 0.02, 0.1),
    junk: fc.constantFrom(0, 0, 0, 0.01),
    quote: fc.constantFrom(0, 0, 0.2),
    blankLines: fc.constantFrom(0, 0, 2),
    trailingDelimiter: fc.constantFrom(false, false, false, false, true),
    ragged: fc.constantFrom(0, 0, 0, 0.02),
    finalNewline: fc.constantFrom(true, true, false),
  });
}

/** The spec's table as the text of a file. */
export function renderTable(spec: TableSpec): Buffer {
  const rng = new Rng(spec.seed);
  const d = spec.kinds.length;
  const values: number[][] = [];
  for (let j = 0; j < d; j++) values.push(columnValues(spec, j, values, rng));
  const lines: string[] = [];
  if (spec.sepLine) lines.push(`sep=${spec.delimiter}`);
  const cell = (text: string): string => (/[",;\t\r\n]/.test(text) || rng.uniform() < spec.quote ? `"${text.replace(/"/g, '""')}"` : text);
  const end = spec.trailingDelimiter ? spec.delimiter : '';
  if (spec.header) lines.push(spec.kinds.map((_, j) => cell(NAMES[spec.names[j % spec.names.length]])).join(spec.delimiter) + end);
  for (let r = 0; r < spec.rows; r++) {
    const cells: string[] = [];
    for (let j = 0; j < d; j++) {
      const u = rng.uniform();
      let text: string;
      if (u < spec.missing) text = MISSING[rng.int(MISSING.length)];
      else if (u < spec.missing + spec.junk) text = JUNK[rng.int(JUNK.length)];
      else text = formatNumber(values[j][r], spec);
      cells.push(/[",;\t\r\n]/.test(text) ? cell(text) : rng.uniform() < spec.quote ? `"${text}"` : text);
    }
    if (rng.uniform() < spec.ragged) cells.pop();
    lines.push(cells.join(spec.delimiter) + end);
    if (spec.blankLines > 0 && rng.uniform() < 0.1) lines.push('');
  }
  const text = (spec.bom ? '\ufeff' : '') + lines.join(spec.lineEnd) + (spec.finalNewline ? spec.lineEnd : '');
  return Buffer.from(text, 'utf8');
}

function columnValues(spec: TableSpec, j: number, earlier: readonly number[][], rng: Rng): number[] {
  const n = spec.rows;
  const gauss = (): number[] => Array.from({ length: n }, () => rng.normal());
  const other = (k: number): number[] => (earlier.length > 0 ? earlier[(j + k) % earlier.length] : gauss());
  switch (spec.kinds[j]) {
    case 'gauss':
      return gauss();
    case 'offset':
      return gauss().map((v) => 300 + 0.5 * v);
    case 'integer':
      return gauss().map((v) => Math.floor(2 * v));
    case 'binary':
      return gauss().map((v) => (v > 0.8 ? 1 : 0));
    case 'constant':
      return new Array<number>(n).fill(spec.scale % 7);
    case 'copy':
      return [...other(0)];
    case 'negated':
      return other(0).map((v) => -v);
    case 'combo': {
      const a = other(0);
      const b = other(1);
      return a.map((v, r) => 2 * v - 0.5 * b[r] + 3);
    }
    case 'index':
      return Array.from({ length: n }, (_, r) => r);
    case 'nearConstant':
      return gauss().map((v) => 1e6 + 1e-9 * v);
    case 'outlier':
      return gauss().map((v, r) => (r === n >> 1 ? 1e9 : v));
    case 'cauchy':
      return gauss().map((v) => v / (rng.normal() || 1));
    case 'tiny':
      return gauss().map((v) => v * 1e-300);
    case 'huge':
      return gauss().map((v) => v * 1e300);
    case 'scaled':
      return gauss().map((v) => v * 10 ** spec.scale);
    case 'rounded':
      return gauss().map((v) => Math.round(v * 100) / 100);
  }
}

function formatNumber(v: number, spec: TableSpec): string {
  if (!Number.isFinite(v)) return String(v);
  switch (spec.style) {
    case 'shortest':
      return String(v);
    case 'fixed':
      return Math.abs(v) < 1e21 ? v.toFixed(Math.min(spec.digits, 12)) : String(v);
    case 'exponential':
      return v.toExponential(Math.min(spec.digits, 16));
    case 'precision':
      return v.toPrecision(Math.max(1, Math.min(spec.digits, 17)));
  }
}

/** A rendered table with bytes inserted, deleted or replaced. */
export function mutatedTable(options: { maxRows?: number; maxColumns?: number } = {}): fc.Arbitrary<Buffer> {
  const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), op: fc.constantFrom('insert', 'delete', 'replace'), byte: fc.constantFrom(0x00, 0x0a, 0x0d, 0x22, 0x2c, 0x3b, 0x09, 0x2e, 0x2d, 0x65, 0x41, 0x20, 0xff, 0xc3, 0xef, 0xbb, 0xbf) });
  return fc.tuple(tableSpec(options), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([spec, edits]) => {
    const bytes = [...renderTable(spec)];
    for (const e of edits) {
      const i = Math.min(bytes.length, Math.floor(e.at * (bytes.length + 1)));
      if (e.op === 'insert') bytes.splice(i, 0, e.byte);
      else if (e.op === 'delete') bytes.splice(i, 1);
      else if (i < bytes.length) bytes[i] = e.byte;
    }
    return Buffer.from(bytes);
  });
}

/** Short strings over the characters CSV files are made of, and arbitrary bytes. */
export function csvishBytes(): fc.Arbitrary<Buffer> {
  const chars = fc.constantFrom(...'0123456789.,;\t\n\r" -+eE_aNAsep=\ufeff'.split(''));
  return fc.oneof(
    fc.array(chars, { maxLength: 160 }).map((cs) => Buffer.from(cs.join(''), 'utf8')),
    fc.uint8Array({ maxLength: 160 }).map((u) => Buffer.from(u)),
  );
}

/** Any of the above, weighted towards tables that get past the reader. */
export function anyCsv(options: { maxRows?: number; maxColumns?: number } = {}): fc.Arbitrary<Buffer> {
  return fc.oneof({ arbitrary: tableSpec(options).map(renderTable), weight: 6 }, { arbitrary: mutatedTable(options), weight: 2 }, { arbitrary: csvishBytes(), weight: 1 });
}
