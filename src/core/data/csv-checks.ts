import type { SkippedRow } from '../report/schema';
import { InputError } from '../util/errors';
import type { Layout } from './csv-builder';
import type { RowStore } from './csv-rows';

/**
 * Whole-file checks, run once every row is read, in the order that explains the most: a file
 * that lost most rows to missing values is told so before it is told it has too few rows, and a
 * column is only called constant once there are enough rows for that to mean something.
 */
export function checkTable(
  file: string,
  layout: Layout | undefined,
  store: RowStore | undefined,
  skipped: readonly SkippedRow[],
  missingByColumn: ReadonlyMap<number, number>,
  limits: { minRows: number; allowConstant: boolean },
): { layout: Layout; store: RowStore } {
  if (layout === undefined || store === undefined) throw new InputError('contains only blank lines, no data', { file });
  const kept = store.rows;
  const total = kept + skipped.length;
  if (total === 0) {
    throw new InputError(
      layout.header ? `has a header (line ${layout.firstLine}) but no data rows` : 'has no data rows',
      { file },
    );
  }
  if (skipped.length * 2 > total) {
    throw new InputError(
      `${skipped.length} of ${total} data rows were skipped, more than half` +
        `${mostlyMissingHint(layout, missingByColumn, total)}; for example ${examples(skipped)}`,
      { file },
    );
  }
  if (kept < limits.minRows) {
    const why = skipped.length > 0 ? ` (${skipped.length} more were skipped)` : '';
    throw new InputError(
      `too few data rows: ${kept} kept${why}, at least ${limits.minRows} are needed`,
      { file },
    );
  }
  if (!limits.allowConstant) checkNotConstant(file, layout, store);
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
  const advice = others.length > 0 ? `; leave it out with --columns ${columnsArgument(others, layout)}` : '';
  return ` (${where} has no value in ${count} of the ${total} rows${advice})`;
}

/** A column with one value has no fluctuations to learn from (and a zero standard deviation). */
function checkNotConstant(file: string, layout: Layout, store: RowStore): void {
  const { names, sourceColumns } = layout.selection;
  const constant: number[] = [];
  for (let j = 0; j < store.d; j++) {
    const first = store.at(0, j);
    let same = true;
    for (let r = 1; r < store.rows && same; r++) same = store.at(r, j) === first;
    if (same) constant.push(j);
  }
  if (constant.length === 0) return;
  const described = constant.map(
    (j) => `column ${JSON.stringify(names[j])} (field ${sourceColumns[j] + 1}) has the same value ${store.at(0, j)} in every kept row`,
  );
  const others = names.map((_, j) => j).filter((j) => !constant.includes(j));
  const advice =
    others.length > 0
      ? `leave ${constant.length === 1 ? 'it' : 'them'} out with --columns ${columnsArgument(others, layout)}`
      : 'every selected column is constant, so there is nothing to learn';
  // No column in the position: without a line it would print like one (file:2:).
  throw new InputError(`${described.join('; ')}: a constant column carries no information; ${advice}`, { file });
}

/** The --columns value selecting these columns: names when they survive a comma split, else indices. */
function columnsArgument(selected: readonly number[], layout: Layout): string {
  const { names, sourceColumns } = layout.selection;
  const plain = selected.every((j) => /^[^,\s"']+$/.test(names[j]));
  return selected.map((j) => (plain ? names[j] : String(sourceColumns[j]))).join(',');
}
