import { InputError, type InputErrorWhere } from '../util/errors';
import type { CellPosition } from './csv-position';

export interface Selection {
  /** 0-based positions in the file, in the order the user asked for them. */
  sourceColumns: number[];
  names: string[];
}

interface Where {
  file: string;
  /** The line of the header (or of the first record), where the names come from. */
  line: number;
  /** Where field i (0-based) of that record is, for errors about one column. */
  cell?: (i: number) => CellPosition;
}

/** The error position of the whole record, or of field i in it. */
function at(where: Where, i?: number): InputErrorWhere {
  // Not about one cell (an unknown name, an index out of range): the start of the header line.
  if (i === undefined || where.cell === undefined) return { file: where.file, line: where.line, column: 1 };
  return { file: where.file, ...where.cell(i) };
}

/**
 * The names of the file's columns: the trimmed header cells, or x<i> (i the 0-based position)
 * without a header. An empty header cell (pandas writes one above its index column) also gets
 * x<i>, so that it can still be named in --columns.
 */
export function columnNames(first: readonly string[], header: boolean): string[] {
  return first.map((cell, i) => (header && cell.trim() !== '' ? cell.trim() : `x${i}`));
}

/**
 * Resolves the user's column tokens against the file's names. A token equal to a name is that
 * name, else a run of digits is a 0-based index. Without tokens every column is selected.
 *
 * Duplicate names are an error only where they matter: when two *selected* columns share a name
 * (the report identifies variables by name), or when a token names a duplicated name (ambiguous).
 * A duplicate among columns left out is harmless and allowed, so a stray repeated name elsewhere
 * in the file can be worked around with --columns.
 */
export function selectColumns(names: readonly string[], tokens: readonly string[] | undefined, where: Where): Selection {
  const sourceColumns = tokens === undefined ? names.map((_, i) => i) : tokens.map((t) => resolveToken(t.trim(), names, where));
  if (tokens !== undefined && tokens.length === 0) {
    throw new InputError(`no columns selected; available columns: ${listColumns(names)}`, at(where));
  }
  assertNoRepeats(sourceColumns, names, where);
  assertUniqueNames(sourceColumns, names, where);
  return { sourceColumns, names: sourceColumns.map((i) => names[i]) };
}

function resolveToken(token: string, names: readonly string[], where: Where): number {
  const byName = names.indexOf(token);
  if (byName !== -1) {
    const again = names.indexOf(token, byName + 1);
    if (again !== -1) {
      throw new InputError(
        `column name ${JSON.stringify(token)} is ambiguous: fields ${byName + 1} and ${again + 1} both have it; ` +
          `select by 0-based index instead (${byName} or ${again})`,
        at(where, again),
      );
    }
    return byName;
  }
  if (/^\d+$/.test(token)) {
    const index = Number(token);
    if (index < names.length) return index;
    throw new InputError(
      `column index ${token} is out of range: the file has ${names.length} column${names.length === 1 ? '' : 's'} ` +
        `(indices 0 to ${names.length - 1}): ${listColumns(names)}`,
      at(where),
    );
  }
  throw new InputError(`unknown column ${JSON.stringify(token)}; available columns: ${listColumns(names)}`, at(where));
}

function assertNoRepeats(sourceColumns: readonly number[], names: readonly string[], where: Where): void {
  const seen = new Set<number>();
  for (const i of sourceColumns) {
    if (seen.has(i)) {
      throw new InputError(`column ${JSON.stringify(names[i])} (field ${i + 1}) is selected twice`, at(where, i));
    }
    seen.add(i);
  }
}

function assertUniqueNames(sourceColumns: readonly number[], names: readonly string[], where: Where): void {
  const firstAt = new Map<string, number>();
  for (const i of [...sourceColumns].sort((a, b) => a - b)) {
    const earlier = firstAt.get(names[i]);
    if (earlier !== undefined) {
      throw new InputError(
        `duplicate column name ${JSON.stringify(names[i])} in fields ${earlier + 1} and ${i + 1}; ` +
          'rename one in the header, or leave one out with --columns',
        at(where, i),
      );
    }
    firstAt.set(names[i], i);
  }
}

/** `a (0), b (1), ...`: names with the 0-based index --columns also accepts; cut when very wide. */
export function listColumns(names: readonly string[], max = 30): string {
  const shown = names.slice(0, max).map((n, i) => `${JSON.stringify(n)} (${i})`);
  if (names.length > max) shown.push(`... (${names.length - max} more)`);
  return shown.join(', ');
}

/**
 * The --columns value selecting these columns of a selection: names when they survive a comma split
 * (and the shell) as they are, else the columns' 0-based indices in the file.
 */
export function columnsArgument(selected: readonly number[], selection: Selection): string {
  const { names, sourceColumns } = selection;
  const plain = selected.every((j) => /^[^,\s"'$`\\;&|<>()*?!#~{}[\]]+$/.test(names[j]));
  return selected.map((j) => (plain ? names[j] : String(sourceColumns[j]))).join(',');
}
