import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOfName, gridFor, gridFromNames, gridFromOption, parseGridOption } from '../../src/core/data/grid';
import { pixelName } from '../../src/core/data/mnist';
import { InputError } from '../../src/core/util/errors';

test('pixel names in the usual spellings give row and column; other names give none', () => {
  assert.deepEqual(cellOfName('r07c13'), { row: 7, col: 13 });
  assert.deepEqual(cellOfName('R7_C13'), { row: 7, col: 13 });
  assert.deepEqual(cellOfName(' px_r0-c2 '), { row: 0, col: 2 });
  for (const name of ['x7', 'r07', 'c13', 'r07c13x', 'row7col13', '', 'r-1c2']) assert.equal(cellOfName(name), null, name);
});

test('--grid HxW: sizes read, bad ones refused with what is expected', () => {
  assert.deepEqual(parseGridOption('28x28'), { height: 28, width: 28 });
  assert.deepEqual(parseGridOption(' 3 X 5 '), { height: 3, width: 5 });
  assert.deepEqual(parseGridOption('2*4'), { height: 2, width: 4 });
  for (const bad of ['28', '0x5', '1x1', '2000x2', 'axb', '3x']) assert.throws(() => parseGridOption(bad), (e: unknown) => e instanceof InputError && e.message.includes('HEIGHTxWIDTH'), bad);
});

test('a grid from the names: every column placed in its cell, whatever the columns\' order', () => {
  // A 3 x 4 image with its columns shuffled: cells[k] must be row * 4 + col of column k.
  const names: string[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) names.push(pixelName(r, c));
  const shuffled = [5, 0, 11, 3, 7, 1, 9, 2, 10, 4, 8, 6].map((i) => names[i]);
  const g = gridFromNames(shuffled);
  assert.ok(g);
  assert.equal(g.height, 3);
  assert.equal(g.width, 4);
  assert.equal(g.source, 'names');
  shuffled.forEach((name, k) => {
    const cell = cellOfName(name);
    assert.ok(cell);
    assert.equal(g.cells[k], cell.row * 4 + cell.col);
  });
});

test('names that start at 1 and leave pixels out: the bounding box; constant pixels drawn with their value', () => {
  const cols = ['r1c1', 'r1c2', 'r2c1', 'r3c3'];
  const g = gridFromNames(cols, [{ name: 'r2c2', sourceColumn: 7, value: 0 }, { name: 'r3c1', sourceColumn: 8, value: 4.5 }]);
  assert.ok(g);
  assert.deepEqual([g.height, g.width], [3, 3]);
  assert.deepEqual(g.cells, [0, 1, 3, 8]);
  assert.deepEqual(g.omitted, [{ cell: 4, name: 'r2c2', value: 0 }, { cell: 6, name: 'r3c1', value: 4.5 }]);
});

test('no grid from names that are not all pixels, that repeat a pixel, or that are too few', () => {
  assert.equal(gridFromNames(['r0c0', 'r0c1', 'r1c0', 'temp']), null);
  assert.equal(gridFromNames(['r0c0', 'r0c1', 'r1c0', 'R1_C0']), null);
  assert.equal(gridFromNames(['r0c0', 'r0c1', 'r1c0']), null);
  // One row is a line, not an image.
  assert.equal(gridFromNames(['r0c0', 'r0c1', 'r0c2', 'r0c3']), null);
  assert.equal(gridFromNames(['r0c0', 'r0c1', 'r1c0', 'r1c1'], [{ name: 'flag', sourceColumn: 4, value: 1 }]), null);
});

test('--grid places the file\'s columns row by row, by their place in the file, and refuses a file too wide for it', () => {
  const g = gridFromOption({ height: 2, width: 3 }, ['a', 'c', 'e'], [0, 2, 4], [{ name: 'b', sourceColumn: 1, value: 7 }]);
  assert.deepEqual(g, { height: 2, width: 3, cells: [0, 2, 4], source: 'option', omitted: [{ cell: 1, name: 'b', value: 7 }] });
  assert.throws(
    () => gridFromOption({ height: 2, width: 2 }, ['a', 'b', 'c', 'd', 'e'], [0, 1, 2, 3, 4]),
    (e: unknown) => e instanceof InputError && e.message.includes('"e"') && e.message.includes('column 5'),
  );
});

test('gridFor: off never, auto from the names, a size from the option', () => {
  const cols = ['r0c0', 'r0c1', 'r1c0', 'r1c1'];
  assert.equal(gridFor('off', cols, [0, 1, 2, 3]), null);
  assert.equal(gridFor('auto', cols, [0, 1, 2, 3])?.source, 'names');
  assert.equal(gridFor('auto', ['a', 'b', 'c', 'd'], [0, 1, 2, 3]), null);
  assert.deepEqual(gridFor({ height: 2, width: 2 }, ['a', 'b', 'c', 'd'], [3, 2, 1, 0])?.cells, [3, 2, 1, 0]);
});
