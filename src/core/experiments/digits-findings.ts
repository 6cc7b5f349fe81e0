import type { ActionTerm, Report, ReportGrid } from '../report/schema';

/**
 * The numbers behind the digits experiment's findings (docs/EXPERIMENTS.md section 4), each computed
 * from a report with a grid: the fit in bits per pixel, how the pair couplings fall off with the
 * distance between pixels, how far apart the pixels of the strongest vertices lie.
 */

/**
 * Bits per dimension of the intensity levels from a continuous NLL (nats per row) of dequantized
 * data: a level's probability is P = width^d E_u[p(x + u width)] >= width^d exp(E_u ln p(x + u width))
 * (Jensen), so -log2 P <= (NLL - d ln width) / ln 2, divided by d. An upper bound on the discrete
 * model's bits per pixel; for the block means at 14 x 14 and 7 x 7 the levels are finer than bytes.
 */
export function bitsPerDim(nllNats: number, d: number, levelWidth: number): number {
  return (nllNats - d * Math.log(levelWidth)) / (d * Math.LN2);
}

/** Row and column of report column k on the grid. */
function place(grid: ReportGrid, k: number): [number, number] {
  const cell = grid.cells[k];
  return [Math.floor(cell / grid.width), cell % grid.width];
}

function distance(grid: ReportGrid, i: number, j: number): number {
  const [ri, ci] = place(grid, i);
  const [rj, cj] = place(grid, j);
  return Math.hypot(ri - rj, ci - cj);
}

/** A coefficient in units of its variables' spreads: c_m prod_{i in m} s_i (dimensionless). */
export function scaled(t: ActionTerm, spreads: readonly number[]): number {
  return t.monomial.reduce((v, i) => v * spreads[i], t.coefficient);
}

export interface DistanceBand {
  label: string;
  pairs: number;
  /** Mean |c_ij s_i s_j| over the band's pairs. */
  meanAbs: number;
  /** Share of the band's couplings that are positive in ln p (the two pixels tend to move together). */
  positive: number;
}

/** The pair couplings (scaled by the spreads) grouped by the distance between their pixels. */
export function couplingsByDistance(report: Report & { grid: ReportGrid }): DistanceBand[] {
  const spreads = report.model.standardization.std;
  const bands = [
    { label: 'neighbours (distance 1)', test: (r: number) => r < 1.01 },
    { label: 'diagonal (distance 1.4)', test: (r: number) => r > 1.4 && r < 1.42 },
    { label: 'distance 2 to 3', test: (r: number) => r > 1.99 && r < 3.01 },
    { label: 'farther than 3', test: (r: number) => r > 3.01 },
  ];
  const acc = bands.map(() => ({ n: 0, abs: 0, pos: 0 }));
  for (const t of report.action.terms) {
    if (t.monomial.length !== 2 || t.monomial[0] === t.monomial[1]) continue;
    const r = distance(report.grid, t.monomial[0], t.monomial[1]);
    const b = bands.findIndex((x) => x.test(r));
    if (b < 0) continue;
    const v = scaled(t, spreads);
    acc[b].n++;
    acc[b].abs += Math.abs(v);
    if (v > 0) acc[b].pos++;
  }
  return bands.map((b, i) => ({ label: b.label, pairs: acc[i].n, meanAbs: acc[i].n > 0 ? acc[i].abs / acc[i].n : Number.NaN, positive: acc[i].n > 0 ? acc[i].pos / acc[i].n : Number.NaN }));
}

export interface VertexSpread {
  order: number;
  /** How many of the strongest terms were looked at. */
  terms: number;
  /** Median over them of the largest distance between two of their distinct pixels (0: one pixel's own term). */
  medianSpan: number;
  /** Share of them whose pixels lie within distance 1.5 of each other (a pixel and its 8 neighbours). */
  local: number;
  /** The strongest: its monomial and its scaled coefficient. */
  strongest: { monomial: number[]; scaled: number } | null;
}

/** The strongest `top` terms of an order (by |c| times the spreads): how far apart their pixels lie. */
export function vertexSpread(report: Report & { grid: ReportGrid }, terms: readonly ActionTerm[], order: number, top: number): VertexSpread {
  const spreads = report.model.standardization.std;
  const strongest = terms
    .filter((t) => t.monomial.length === order)
    .map((t) => ({ monomial: t.monomial, scaled: scaled(t, spreads) }))
    .sort((a, b) => Math.abs(b.scaled) - Math.abs(a.scaled))
    .slice(0, top);
  const spans = strongest
    .map(({ monomial }) => {
      let span = 0;
      for (const i of monomial) for (const j of monomial) span = Math.max(span, distance(report.grid, i, j));
      return span;
    })
    .sort((a, b) => a - b);
  return {
    order,
    terms: strongest.length,
    medianSpan: spans.length > 0 ? spans[Math.floor(spans.length / 2)] : Number.NaN,
    local: spans.length > 0 ? spans.filter((s) => s <= 1.5).length / spans.length : Number.NaN,
    strongest: strongest[0] ?? null,
  };
}

/** Share of the values in rows (row-major) that lie outside [lo, hi]. */
export function shareOutside(rows: Float64Array, lo: number, hi: number): number {
  let out = 0;
  for (const v of rows) if (v < lo || v > hi) out++;
  return rows.length > 0 ? out / rows.length : Number.NaN;
}
