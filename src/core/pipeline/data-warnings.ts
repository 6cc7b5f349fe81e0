import { LEVEL_LIMIT, type ColumnSummary } from '../data/column-summary';
import { columnsArgument } from '../data/csv-columns';
import type { Table } from '../data/csv';

/**
 * What makes a model of these data misleading without making it wrong: said in the report's
 * warnings, the run goes on (data-checks.ts runs these on the columns used).
 */

/** A column with few distinct values (levels) and many ties. */
export interface DiscreteColumn {
  /** Index among the columns used (selection order). */
  column: number;
  name: string;
  sourceColumn: number;
  levels: number;
  /** The smallest gap between two of its distinct values: one level's width. */
  width: number;
  integer: boolean;
  min: number;
  max: number;
}

/** Each level is seen this many times on average, at least, for a column to count as discrete. */
const TIES_PER_LEVEL = 4;
/** A value this many robust spreads (1.4826 median absolute deviations) from the median is a gross outlier... */
const OUTLIER_SPREADS = 1e3;
/** ...when it also inflates the standard deviation this many times over the robust spread. */
const OUTLIER_INFLATION = 10;
/** Repeated rows in continuous data are said when they are at least this share of the rows. */
const DUPLICATE_SHARE = 0.01;
/** Columns named in one warning before "and N more". */
const NAMED = 8;

/** The discrete columns: at most LEVEL_LIMIT levels, each seen TIES_PER_LEVEL times on average. */
export function describeDiscrete(table: Table, summaries: readonly ColumnSummary[]): DiscreteColumn[] {
  const out: DiscreteColumn[] = [];
  summaries.forEach((s, j) => {
    const levels = s.levels;
    if (levels === null || levels.length < 2 || levels.length * TIES_PER_LEVEL > table.rows) return;
    let width = Infinity;
    for (let k = 1; k < levels.length; k++) width = Math.min(width, levels[k] - levels[k - 1]);
    out.push({ column: j, name: table.columns[j], sourceColumn: table.sourceColumns[j], levels: levels.length, width, integer: s.integer, min: s.min, max: s.max });
  });
  return out;
}

/** "a" (5 levels, integers 0 to 4), ... cut after NAMED columns. */
export function namedDiscrete(columns: readonly DiscreteColumn[], detail: (c: DiscreteColumn) => string): string {
  const shown = columns.slice(0, NAMED).map((c) => `${JSON.stringify(c.name)} (${detail(c)})`);
  return shown.join(', ') + (columns.length > NAMED ? `, and ${columns.length - NAMED} more` : '');
}

/** The warning about discrete columns, before or after dequantization. */
export function discreteWarning(columns: readonly DiscreteColumn[], dequantized: boolean): string {
  const many = columns.length > 1;
  if (dequantized) {
    return (
      `Dequantized ${columns.length} discrete column${many ? 's' : ''}: seeded uniform noise of one level's width was added to the training and held-out rows of ` +
      `${namedDiscrete(columns, (c) => `width ${c.width}`)} (report: input.dequantized). The action and cumulants are those of the dequantized density.`
    );
  }
  const levels = (c: DiscreteColumn): string =>
    `${c.levels} levels${c.integer ? `, integers ${c.min} to ${c.max}` : `, ${c.min} to ${c.max}`}`;
  return (
    `Discrete column${many ? 's' : ''}: ${namedDiscrete(columns, levels)}, at most ${LEVEL_LIMIT} distinct values with many ties. ` +
    'A density learns such a column as spikes at its levels, and its held-out NLL rewards collapsing onto them rather than the shape between them; ' +
    '--dequantize spreads each level over its width (seeded uniform noise) and reports the held-out NLL in bits per dimension of the levels.'
  );
}

/** Columns that rise or fall by the same step on every row: a row number or a clock. */
export function indexColumnWarnings(table: Table, summaries: readonly ColumnSummary[]): string[] {
  const out: string[] = [];
  summaries.forEach((s, j) => {
    if (s.step === null) return;
    const others = summaries.map((_, k) => k).filter((k) => k !== j);
    const first = table.data[j];
    const advice = others.length > 0 ? ` Leave it out with --columns ${columnsArgument(others, { names: table.columns, sourceColumns: table.sourceColumns })}.` : '';
    out.push(
      `Column ${JSON.stringify(table.columns[j])} changes by ${s.step} on every row (${first}, ${first + s.step}, ${first + 2 * s.step}, ...): ` +
        `a row number or a clock, not a measured variable; its density is flat by construction and says nothing about the others.${advice}`,
    );
  });
  return out;
}

/** A value so far from the rest that the column's standard deviation, and so the standardization, is its. */
export function outlierWarnings(table: Table, summaries: readonly ColumnSummary[]): string[] {
  const out: string[] = [];
  summaries.forEach((s, j) => {
    const robust = 1.4826 * s.mad;
    if (!(robust > 0)) return;
    const far = Math.abs(s.max - s.median) >= Math.abs(s.min - s.median) ? s.max : s.min;
    const spreads = Math.abs(far - s.median) / robust;
    if (spreads < OUTLIER_SPREADS || s.std < OUTLIER_INFLATION * robust) return;
    let row = 0;
    while (row < table.rows - 1 && table.data[row * table.d + j] !== far) row++;
    out.push(
      `Column ${JSON.stringify(table.columns[j])}: the value ${far} on line ${table.lines[row]} lies ${spreads.toPrecision(2)} robust spreads ` +
        `(1.4826 median absolute deviations) from the median ${s.median.toPrecision(4)}, and the column's standard deviation ${s.std.toPrecision(3)} is ` +
        `${(s.std / robust).toPrecision(2)} times its robust spread: a typo or a unit error? The standardized rows squeeze the others together.`,
    );
  });
  return out;
}

/**
 * Rows that repeat an earlier row exactly, said when some column is continuous (where repeats are
 * copies, not chance). A row equal to the one just before it is not counted: a Markov chain that
 * rejects a move repeats its state, and those repeats are its correct weights (the bundled example
 * has 92 in 4,000 rows).
 */
export function duplicateRowsWarning(table: Table, discrete: readonly DiscreteColumn[]): string | null {
  // Continuous: not discrete (a column of 80 distinct values in 160 rows has few levels, yet no ties to speak of).
  const continuous = table.columns.findIndex((_, j) => !discrete.some((c) => c.column === j));
  if (continuous < 0 || table.rows < 2) return null;
  const { rows, d, data } = table;
  const firstOf = new Map<number, number[]>();
  let repeats = 0;
  let example: [number, number] | null = null;
  for (let r = 0; r < rows; r++) {
    if (r > 0 && sameRow(data, r - 1, r, d)) continue;
    const h = rowHash(data, r, d);
    const earlier = firstOf.get(h);
    const same = earlier?.find((e) => sameRow(data, e, r, d));
    if (same !== undefined) {
      repeats++;
      example ??= [same, r];
    } else if (earlier) earlier.push(r);
    else firstOf.set(h, [r]);
  }
  if (example === null || repeats < Math.max(1, DUPLICATE_SHARE * rows)) return null;
  return (
    `${repeats} of ${rows} rows repeat an earlier row exactly (line ${table.lines[example[1]]} repeats line ${table.lines[example[0]]}), ` +
    `although column ${JSON.stringify(table.columns[continuous])} is continuous: a file joined with itself, or copied rows? ` +
    'Held-out rows with a copy among the training rows make the held-out NLL look better than it is.'
  );
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function rowHash(data: Float64Array, r: number, d: number): number {
  let h = 0x811c9dc5;
  for (let i = r * d; i < r * d + d; i++) {
    bits[0] = data[i] === 0 ? 0 : data[i]; // -0 and 0 are the same value
    h = Math.imul(h ^ words[0], 0x01000193);
    h = Math.imul(h ^ words[1], 0x01000193);
  }
  return h >>> 0;
}

function sameRow(data: Float64Array, a: number, b: number, d: number): boolean {
  for (let i = 0; i < d; i++) if (data[a * d + i] !== data[b * d + i]) return false;
  return true;
}

/** Said when the network has more parameters than the training rows have values. */
export function parameterWarning(parameters: number, nTrain: number, d: number): string | null {
  if (parameters <= nTrain * d) return null;
  return (
    `The network has ${parameters.toLocaleString('en-US')} parameters for ${nTrain} training rows x ${d} columns = ${(nTrain * d).toLocaleString('en-US')} values: ` +
    'it can fit the training rows by heart. Early stopping on the held-out rows guards the fit, but expect large standard errors; more rows, or fewer layers, help.'
  );
}
