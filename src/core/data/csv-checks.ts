import type { SkippedRow } from '../report/schema';
import { InputError } from '../util/errors';
import type { Layout } from './csv-builder';
import { columnsArgument } from './csv-columns';
import type { RowStore } from './csv-rows';

/**
 * Whole-file checks, run once every row is read, in the order that explains the most: a file
 * that lost most rows to missing values is told so before it is told it has too few rows. Every
 * error has a line and a column (file:line:column), as an editor can jump there: the first skipped
 * row, else the start of the table (its header, or its first row). What the values themselves say
 * (constant, duplicated or dependent columns, extreme magnitudes) is judged later, on the numbers
 * (src/core/pipeline/data-checks.ts).
 */
export function checkTable(
  file: string,
  layout: Layout | undefined,
  store: RowStore | undefined,
  skipped: readonly SkippedRow[],
  missingByColumn: ReadonlyMap<number, number>,
  limits: { minRows: number },
): { layout: Layout; store: RowStore } {
  if (layout === undefined || store === undefined) throw new InputError('contains only blank lines, no data', { file, line: 1, column: 1 });
  const start = { file, line: layout.firstLine, column: 1 };
  const kept = store.rows;
  const total = kept + skipped.length;
  if (total === 0) {
    throw new InputError(layout.header ? `has a header (line ${layout.firstLine}) but no data rows` : 'has no data rows', start);
  }
  if (skipped.length * 2 > total) {
    throw new InputError(
      `${skipped.length} of ${total} data rows were skipped, more than half` +
        `${mostlyMissingHint(layout, missingByColumn, total)}; for example ${examples(skipped)}`,
      { file, line: skipped[0].line, column: 1 },
    );
  }
  if (kept < limits.minRows) {
    const why = skipped.length > 0 ? ` (${skipped.length} more were skipped)` : '';
    throw new InputError(`too few data rows: ${kept} kept${why}, at least ${limits.minRows} are needed`, start);
  }
  return { layout, store };
}

function examples(skipped: readonly SkippedRow[], max = 3): string {
  const shown = skipped.slice(0, max).map((s) => `line ${s.line}: ${s.reason}`);
  return shown.join('; ') + (skipped.length > max ? '; ...' : '');
}

/**
 * When one column accounts for most of the skipped rows (typically an empty column made by a
 * trailing delimiter on every line), says so and how to leave it out.
 */
function mostlyMissingHint(layout: Layout, missingByColumn: ReadonlyMap<number, number>, total: number): string {
  let worst = -1;
  let count = 0;
  for (const [j, n] of missingByColumn) {
    if (n > count) [worst, count] = [j, n];
  }
  if (worst === -1 || count * 2 <= total) return '';
  const { names, sourceColumns } = layout.selection;
  const others = names.map((_, j) => j).filter((j) => j !== worst);
  const where = `column ${JSON.stringify(names[worst])} (field ${sourceColumns[worst] + 1})`;
  const advice = others.length > 0 ? `; leave it out with --columns ${columnsArgument(others, layout.selection)}` : '';
  return ` (${where} has no value in ${count} of the ${total} rows${advice})`;
}
