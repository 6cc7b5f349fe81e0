// Writes the corpus of malformed and awkward CSV files (test/corpus/files/) from a seeded generator:
// `node test/corpus/generate.mjs`. The files are committed; their expected outcomes are in
// manifest.json, which corpus.test.ts checks. Rerunning this rewrites the same bytes.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), 'files');
mkdirSync(out, { recursive: true });

// Seeded generator (mulberry32) and standard normals (Box-Muller).
let state = 20261206;
function uniform() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
const gauss = (n) => Array.from({ length: n }, normal);
const fmt = (v) => v.toFixed(6);

/** Rows of columns (arrays of numbers) as lines, with a header when names are given. */
function table(columns, { names, delimiter = ',', format = fmt, end = '\n' } = {}) {
  const n = columns[0].length;
  const lines = names ? [names.join(delimiter)] : [];
  for (let r = 0; r < n; r++) lines.push(columns.map((c) => format(c[r])).join(delimiter));
  return lines.join(end) + end;
}
function write(name, content) {
  writeFileSync(join(out, name), content);
}
const N = 80;
const abc = () => [gauss(N), gauss(N), gauss(N)];
const named = (cols, names = ['a', 'b', 'c', 'd', 'e'].slice(0, cols.length)) => table(cols, { names });
/** A plain table with line `at` (1-based, the header is line 1) replaced. */
function withLine(at, line) {
  const lines = named(abc()).split('\n');
  lines[at - 1] = line;
  return lines.join('\n');
}

// The reader's refusals.
write('empty.csv', '');
write('bom-only.csv', '\ufeff');
write('blank-lines-only.csv', '\n\n  \n\n');
write('header-only.csv', 'a,b,c\n');
write('too-few-rows.csv', named(abc().map((c) => c.slice(0, 5))));
write('binary-nul.csv', Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0, 0, 7]), Buffer.from('\n')]));
write('unclosed-quote.csv', withLine(6, '0.1,"0.2,0.3'));
write('word-in-cell.csv', withLine(8, '0.1,abc,0.3'));
write('decimal-comma.csv', table(abc(), { names: ['a', 'b', 'c'], delimiter: ';', format: (v) => v.toFixed(3).replace('.', ',') }));
write('hex-cell.csv', withLine(5, '0x1F,0.2,0.3'));
write('inf-cell.csv', withLine(9, '0.1,inf,0.3'));
write('beyond-float64.csv', withLine(4, '0.1,0.2,1e999'));
write('percent-cell.csv', withLine(12, '0.1,5%,0.3'));
write('unicode-minus.csv', withLine(3, '\u22121.5,0.2,0.3'));
write('date-cell.csv', withLine(7, '2021-01-01,0.2,0.3'));
write('short-row.csv', withLine(10, '0.1,0.2'));
write('long-row.csv', withLine(10, '0.1,0.2,0.3,0.4'));
write('joined-files.csv', named(abc()) + named(abc()));
write('empty-trailing-column.csv', named(abc()).replace(/\n/g, ',\n'));
write('sep-line-pipe.csv', 'sep=|\n' + named(abc()));
write('wider-than-rows.csv', named(Array.from({ length: 80 }, () => gauss(20)), Array.from({ length: 80 }, (_, i) => `v${i}`)));
write('mostly-missing.csv', table(abc(), { names: ['a', 'b', 'c'], format: (v) => (v > -0.5 ? 'NA' : fmt(v)) }));

// Degenerate data the checks refuse.
{
  const [a, b, c] = abc();
  write('copied-column.csv', named([a, b, c, [...a]], ['a', 'b', 'c', 'a_again']));
  write('negated-copy.csv', named([a, a.map((v) => -v), c], ['a', 'minus_a', 'c']));
  write('rescaled-copy.csv', named([a, a.map((v) => 3 * v + 2), c], ['x', 'y', 'z']));
  write('linear-combination.csv', named([a, b, a.map((v, r) => 2 * v - 0.5 * b[r] + 3)]));
  const a3 = a.map((v) => Math.round(v * 1000) / 1000);
  const b3 = b.map((v) => Math.round(v * 1000) / 1000);
  write('sum-at-file-precision.csv', table([a3, b3, a3.map((v, r) => v + b3[r])], { names: ['p', 'q', 'total'], format: (v) => v.toFixed(3) }));
  write('copy-far-apart.csv', named([a, b, c, gauss(N), b.map((v) => v)], ['first', 'second', 'third', 'fourth', 'second_copy']));
  write('all-constant.csv', named([new Array(N).fill(1), new Array(N).fill(2.5)]));
  write('one-constant-column.csv', table([new Array(N).fill(7)], { names: ['only'] }));
  write('values-around-1e200.csv', table([a.map((v) => v * 1e200), b], { names: ['big', 'b'], format: (v) => v.toExponential(6) }));
  write('values-around-1e-200.csv', table([a.map((v) => v * 1e-200), b], { names: ['small', 'b'], format: (v) => v.toExponential(6) }));
  write('too-few-rows-for-columns.csv', named(Array.from({ length: 14 }, () => gauss(12)), Array.from({ length: 14 }, (_, i) => `c${i}`)));
  write('one-column-left-for-coupling.csv', named([a, new Array(N).fill(0)], ['a', 'zero']));
}

// Awkward files that learn, some with warnings or notes.
{
  const [a, b, c] = abc();
  write('excel-sep-semicolon.csv', 'sep=;\n' + table([a, b], { names: ['a', 'b'], delimiter: ';' }));
  write('excel-sep-quoted-comma.csv', '"sep=,"\r\n' + table([a, b], { names: ['a', 'b'], end: '\r\n' }));
  write('excel-sep-tab.csv', 'sep=\t\n' + table([a, b], { names: ['a', 'b'], delimiter: '\t' }));
  write('excel-sep-with-bom.csv', '\ufeffsep=;\n' + table([a, b], { names: ['a', 'b'], delimiter: ';' }));
  write('constant-column.csv', named([a, b, new Array(N).fill(3)]));
  write('near-constant-column.csv', table([a, b, c.map((v) => 1e6 + 1e-9 * v)], { names: ['a', 'b', 'flat'], format: (v) => String(v) }));
  write('constant-columns-around.csv', named([new Array(N).fill(0), a, new Array(N).fill(-1), b, new Array(N).fill(0)], ['edge0', 'a', 'edge1', 'b', 'edge2']));
  const counts = Array.from({ length: 200 }, () => Math.floor(2 + 1.2 * normal()));
  const counts2 = Array.from({ length: 200 }, () => Math.floor(1 + 1.5 * normal()));
  write('integer-levels.csv', table([counts, counts2], { names: ['n1', 'n2'], format: String }));
  write('half-levels.csv', table([counts.map((v) => v / 2), gauss(200)], { names: ['half', 'x'], format: String }));
  write('binary-column.csv', table([gauss(120).map((v) => (v > 0.3 ? 1 : 0)), gauss(120)], { names: ['flag', 'x'], format: String }));
  write('row-number-column.csv', table([Array.from({ length: N }, (_, r) => r + 1), a, b], { names: ['row', 'a', 'b'], format: String }));
  write('gross-outlier.csv', named([a.map((v, r) => (r === 17 ? 1e9 : v)), b]));
  write('rows-repeated.csv', named([a, b]) + table([a, b]));
  write('near-combination.csv', named([a, b, a.map((v, r) => v + b[r] + 1e-4 * c[r])]));
  write('large-offset.csv', table([a.map((v) => 1e6 + v), b], { names: ['a', 'b'], format: (v) => v.toFixed(6) }));
  write('values-around-1e30.csv', table([a.map((v) => v * 1e30), b], { names: ['big', 'b'], format: (v) => v.toExponential(8) }));
  write('some-missing.csv', table([a, b], { names: ['a', 'b'], format: (v) => (v > 2 ? 'NA' : fmt(v)) }));
  write('crlf.csv', table([a, b], { names: ['a', 'b'], end: '\r\n' }));
  write('cr-only.csv', table([a, b], { names: ['a', 'b'], end: '\r' }));
  write('bom-header.csv', '\ufeff' + named([a, b]));
  write('quoted-header.csv', table([a, b], { names: ['"x, first"', '"y ""second"""'] }));
  write('semicolon.csv', table([a, b], { names: ['a', 'b'], delimiter: ';' }));
  write('tab.csv', table([a, b], { names: ['a', 'b'], delimiter: '\t' }));
  write('no-header.csv', table([a, b, c]));
  write('numeric-header.csv', table([a, b], { names: ['1', '2'] }));
  write('blank-lines-between.csv', named([a, b]).replace(/\n(?=-?\d\.\d+,-?\d\.\d+\n.*\n.*\n)/, '\n\n\n'));
  write('no-final-newline.csv', named([a, b]).trimEnd());
  write('spaces-around-values.csv', table([a, b], { names: [' a ', ' b '], format: (v) => ` ${fmt(v)} ` }));
  write('exponent-notation.csv', table([a, b], { names: ['a', 'b'], format: (v) => v.toExponential(4).toUpperCase() }));
  write('heavy-tails.csv', table([a.map((v) => v / (normal() || 1)), b], { names: ['cauchy', 'b'], format: (v) => v.toPrecision(8) }));
  write('copy-left-out-by-columns.csv', named([a, b, [...a]], ['a', 'b', 'a_copy']));
  write('word-in-cell-skipped.csv', withLine(8, '0.1,abc,0.3'));
  write('utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(named([a, b]), 'utf16le')]));
  write('many-decimals.csv', table([a, b], { names: ['a', 'b'], format: (v) => v.toPrecision(17) }));
  write('few-decimals.csv', table([gauss(300), gauss(300)], { names: ['a', 'b'], format: (v) => v.toFixed(1) }));
}

// Wider than any report can take even with the orders above 2 computed on demand (1,093 columns at
// K = 4). Values without the generator, so that the files above keep their bytes.
const wide = Array.from({ length: 1100 }, (_, j) => Array.from({ length: 12 }, (_, r) => Math.sin(1 + r * 1100 + j)));
write('too-wide.csv', named(wide, wide.map((_, j) => `v${j}`)));
