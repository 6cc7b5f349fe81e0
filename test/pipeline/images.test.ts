import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromRows } from '../../src/core/data/memory';
import { DEFAULT_LEARN_SETTINGS, learn, type LearnSettings } from '../../src/core/pipeline/learn';
import { couplingModes, IMAGE_ROWS, MODES_PER_END } from '../../src/core/pipeline/images';
import { validateReport } from '../../src/core/report/validate';
import type { Action } from '../../src/core/report/schema';
import { InputError } from '../../src/core/util/errors';
import { Rng } from '../../src/core/util/rng';

/**
 * A 3 x 3 image whose pixels are smoothed noise (each pixel the mean of its own and its neighbours'
 * draws), with its columns in a scrambled order in the file, so report order, canonical order and
 * grid order all differ.
 */
function pixelTable(n: number) {
  const names: string[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) names.push(`r${r}c${c}`);
  const fileOrder = [4, 8, 0, 6, 2, 7, 1, 5, 3];
  const rng = new Rng(21);
  const data = new Float64Array(n * 9);
  for (let k = 0; k < n; k++) {
    const e = Array.from({ length: 9 }, () => rng.normal());
    const img = names.map((_, p) => {
      const r = Math.floor(p / 3);
      const c = p % 3;
      let s = e[p];
      for (const [dr, dc] of [[0, 1], [1, 0], [0, -1], [-1, 0]]) if (r + dr >= 0 && r + dr < 3 && c + dc >= 0 && c + dc < 3) s += 0.5 * e[(r + dr) * 3 + c + dc];
      return 10 + 3 * s;
    });
    fileOrder.forEach((p, j) => (data[k * 9 + j] = img[p]));
  }
  return { table: tableFromRows('pixels', fileOrder.map((p) => names[p]), data, n), fileOrder };
}

const quick: LearnSettings = { ...DEFAULT_LEARN_SETTINGS, seed: 4, order: 2, steps: 150, modelSamples: 400, layers: 2, identify: 'off' };

/** B_ij of the order-2 terms in units of the spreads, built here from the report's terms. */
function scaledMatrix(action: Action, std: readonly number[]): number[][] {
  const d = std.length;
  const b = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const t of action.terms) {
    if (t.monomial.length !== 2) continue;
    const [i, j] = t.monomial;
    const v = t.coefficient * std[i] * std[j] * (i === j ? 1 : 0.5);
    b[i][j] += v;
    if (i !== j) b[j][i] += v;
  }
  return b;
}

test('a table of pixels gets its grid, held-out rows and exact model samples in the report\'s column order', async () => {
  const { table, fileOrder } = pixelTable(600);
  const { report, flow } = await learn(table, quick);
  assert.ok(report.grid && report.images);
  assert.equal(report.grid.source, 'names');
  assert.deepEqual([report.grid.height, report.grid.width], [3, 3]);
  // Report column k is the file's column k, which holds pixel fileOrder[k].
  assert.deepEqual(report.grid.cells, fileOrder);
  const d = 9;
  const { dataRows, modelSamples } = report.images;
  assert.equal(dataRows.length, IMAGE_ROWS);
  assert.equal(modelSamples.length, IMAGE_ROWS);
  // Each data row is a row of the table, as the file has it.
  for (const row of dataRows) {
    let found = false;
    for (let k = 0; k < table.rows && !found; k++) found = row.every((v, j) => v === table.data[k * d + j]);
    assert.ok(found, 'a data row that is not in the table');
  }
  // Model samples are x = f^-1(z): put back in the model's order (sorted names), f(x) is a normal draw
  // whose log-density plus the log-det is ln p(x); checked against the flow's own ln p.
  const sorted = [...table.columns].map((name, k) => ({ name, k })).sort((a, b) => (a.name < b.name ? -1 : 1)).map((x) => x.k);
  const canonicalRows = Float64Array.from(modelSamples.flatMap((row) => sorted.map((k) => row[k])));
  const { z, logDet } = flow.forwardAll(canonicalRows, IMAGE_ROWS);
  const logp = flow.logProb(canonicalRows, IMAGE_ROWS);
  for (let r = 0; r < IMAGE_ROWS; r++) {
    let normal = -0.5 * d * Math.log(2 * Math.PI);
    for (let j = 0; j < d; j++) normal -= 0.5 * z[r * d + j] ** 2;
    assert.ok(Math.abs(normal + logDet[r] - logp[r]) < 1e-9 * Math.max(1, Math.abs(logp[r])));
  }
  // The samples are the draw the pipeline makes: the first normals of its seeded stream.
  const rng = new Rng(quick.seed ^ 0xc0ffee);
  const expected = Array.from({ length: IMAGE_ROWS * d }, () => rng.normal());
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(z[i] - expected[i]) < 1e-8, `z[${i}]`);
  // Nearby pixels of smoothed noise vary together: the samples' rows do not all coincide.
  assert.ok(new Set(modelSamples.map((r) => r[0])).size === IMAGE_ROWS);

  // The coupling modes are eigenpairs of the order-2 form in units of the spreads, ascending.
  const std = report.model.standardization.std;
  const b = scaledMatrix(report.action, std);
  const modes = report.images.couplingModes ?? [];
  assert.equal(modes.length, 2 * MODES_PER_END);
  for (let m = 0; m < modes.length; m++) {
    const { eigenvalue, vector } = modes[m];
    if (m > 0) assert.ok(eigenvalue >= modes[m - 1].eigenvalue);
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-12);
    for (let i = 0; i < d; i++) {
      const bv = b[i].reduce((s, v, j) => s + v * vector[j], 0);
      assert.ok(Math.abs(bv - eigenvalue * vector[i]) < 1e-9, `mode ${m} row ${i}`);
    }
    assert.ok(Math.max(...vector) >= -Math.min(...vector), 'the largest entry is positive');
  }
  // All nine: they sum to the trace, and the extreme ones bound the Rayleigh quotient of random directions.
  const all = couplingModes(report.action, std, 5);
  assert.equal(all.length, d);
  const trace = b.reduce((s, row, i) => s + row[i], 0);
  assert.ok(Math.abs(all.reduce((s, m) => s + m.eigenvalue, 0) - trace) < 1e-9 * Math.max(1, Math.abs(trace)));
  const g = new Rng(5);
  for (let t = 0; t < 50; t++) {
    const v = Array.from({ length: d }, () => g.normal());
    const q = b.reduce((s, row, i) => s + v[i] * row.reduce((a, x, j) => a + x * v[j], 0), 0) / v.reduce((s, x) => s + x * x, 0);
    assert.ok(q >= all[0].eigenvalue - 1e-9 && q <= all[d - 1].eigenvalue + 1e-9);
  }
  // ln p falls in every direction of a fitted Gaussian-like model: the order-2 form is negative definite.
  assert.ok(all[d - 1].eigenvalue < 0);

  const checked = validateReport(JSON.parse(JSON.stringify(report)));
  assert.ok(checked.ok, checked.ok ? '' : checked.errors.join('; '));
});

test('no images without a grid; a grid too small for the file stops before training', async () => {
  const { table } = pixelTable(200);
  const off = await learn(table, { ...quick, steps: 20, grid: 'off' });
  assert.equal(off.report.grid, undefined);
  assert.equal(off.report.images, undefined);
  const option = await learn(table, { ...quick, steps: 20, grid: { height: 1, width: 9 } });
  assert.deepEqual(option.report.grid, { height: 1, width: 9, cells: [0, 1, 2, 3, 4, 5, 6, 7, 8], source: 'option' });
  let phases = 0;
  await assert.rejects(
    learn(table, { ...quick, grid: { height: 2, width: 4 } }, { onPhase: () => phases++ }),
    (e: unknown) => e instanceof InputError && /--grid 2x4 has 8 pixels/.test(e.message),
  );
  assert.equal(phases, 0);
});

test('the report check refuses grids and images that do not fit the columns', async () => {
  const { table } = pixelTable(200);
  const { report } = await learn(table, { ...quick, steps: 20 });
  // The report as JSON gives it back, loosely typed so that a test can break it.
  type Loose = { grid: { cells: unknown[]; source: string; omitted?: unknown[] }; images: { dataRows: unknown[][]; modelSamples: unknown[][]; couplingModes: Array<{ vector: unknown[] }> } };
  const bad = (edit: (r: Loose) => void, pattern: RegExp): void => {
    const copy = JSON.parse(JSON.stringify(report)) as Loose;
    edit(copy);
    const v = validateReport(copy);
    assert.ok(!v.ok);
    assert.ok(v.errors.some((e) => pattern.test(e)), v.errors.join('; '));
  };
  bad((r) => (r.grid.cells[1] = r.grid.cells[0]), /grid\.cells\[1\]: cell \d+ used twice/);
  bad((r) => (r.grid.cells[2] = 9), /grid\.cells\[2\]: expected a cell 0\.\.8/);
  bad((r) => r.grid.cells.pop(), /grid\.cells: has 8 entries for 9 columns/);
  bad((r) => (r.grid.source = 'guess'), /grid\.source/);
  bad((r) => (r.grid.omitted = [{ cell: r.grid.cells[0], name: 'r0c0', value: 0 }]), /grid\.omitted\[0\]\.cell: cell \d+ used twice/);
  bad((r) => r.images.dataRows[3].push(1), /images\.dataRows\[3\]: has 10 entries/);
  bad((r) => (r.images.modelSamples[0][4] = 'x'), /images\.modelSamples\[0\]/);
  bad((r) => r.images.couplingModes[0].vector.pop(), /images\.couplingModes\[0\]\.vector: has 8 entries/);
});
