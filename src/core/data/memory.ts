import { createHash } from 'node:crypto';
import type { Table } from './csv';

/** A table made in memory (experiments draw their data), shaped like one read from a CSV. */
export function tableFromRows(label: string, columns: string[], data: Float64Array, rows: number): Table {
  const d = columns.length;
  if (data.length !== rows * d) throw new RangeError(`expected ${rows * d} values for ${rows} rows of ${d} columns, got ${data.length}`);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return {
    path: label,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    columns,
    sourceColumns: columns.map((_, i) => i),
    rows,
    d,
    data,
    lines: Int32Array.from({ length: rows }, (_, r) => r + 2),
    skippedRows: [],
    header: true,
    delimiter: ',',
  };
}

/** CSV text of a table (header + rows, full float64 precision). */
export function tableToCsv(columns: string[], data: Float64Array, rows: number): string {
  const d = columns.length;
  const lines = [columns.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let i = 0; i < d; i++) cells.push(String(data[r * d + i]));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
