/**
 * Refusals before the rows are read: a table wider than the run can take, and a file whose rows
 * would not fit in memory. Both are decided when the first record has fixed the layout, from the
 * column count and the file's size, so that a few-GB file is refused in a moment with the reason
 * instead of after minutes of reading (README.md, "Bad input").
 */

import { totalmem } from 'node:os';
import { InputError } from '../util/errors';
import type { Layout } from './csv-builder';

/**
 * Peak resident memory of `learn` per value of the table (rows x columns), measured end to end on
 * tables of 10^6-10^7 values (README.md, "Bad input"): the rows as read, the training and
 * held-out copies in canonical order, the training engine's buffers and the model's samples.
 */
export const LEARN_BYTES_PER_VALUE = 40;

/** Fixed memory of a run beside the table (Node, the bundles, the kernels), bytes. */
export const BASE_BYTES = 150 << 20;

export interface TableLimits {
  /** The most columns the run can take, and why (said in the refusal). */
  maxColumns?: { count: number; why: string };
  /** Memory a run may use, bytes; default: the machine's physical memory. */
  memoryBytes?: number;
}

/** What the head tells about the file's size in rows. */
export interface HeadSample {
  /** The file's size in bytes. */
  size: number;
  /** Bytes and line breaks in the head (the first lines of the file). */
  headBytes: number;
  headBreaks: number;
  headIsAll: boolean;
}

/** Rows the file holds, roughly: its size over the head's bytes per line (exact enough to refuse by). */
export function estimateRows(sample: HeadSample): number {
  if (sample.headIsAll) return Math.max(0, sample.headBreaks);
  return Math.ceil(sample.size / Math.max(1, sample.headBytes / Math.max(1, sample.headBreaks)));
}

/** Throws an InputError at the header when the table is too wide, or too large for the memory. */
export function checkTableSize(file: string, layout: Layout, sample: HeadSample, limits: TableLimits): void {
  const d = layout.selection.sourceColumns.length;
  const wide = limits.maxColumns;
  if (wide !== undefined && d > wide.count) {
    throw new InputError(
      `${d} columns selected, more than the ${wide.count} the run can take: ${wide.why}; select at most ${wide.count} with --columns`,
      { file, ...layout.cellOf(wide.count) },
    );
  }
  const rows = estimateRows(sample);
  const needed = BASE_BYTES + rows * d * LEARN_BYTES_PER_VALUE;
  const budget = limits.memoryBytes ?? totalmem();
  if (needed <= budget) return;
  throw new InputError(
    `about ${formatCount(rows)} rows x ${d} columns (from the file's ${formatBytes(sample.size)} and its first lines) ` +
      `would need about ${formatBytes(needed)} of memory to learn from (${LEARN_BYTES_PER_VALUE} bytes per value), ` +
      `more than the ${formatBytes(budget)} available; select fewer columns (--columns) or learn from a part of the rows`,
    { file, line: layout.firstLine, column: 1 },
  );
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  return `${n} bytes`;
}

function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} million` : n.toLocaleString('en-US');
}
