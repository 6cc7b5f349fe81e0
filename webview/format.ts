/** Number formatting for the panel (plain text; LaTeX numbers are in src/panel/latex.ts). */

import { formatValue } from '../src/panel/numbers';

/** A plain number with `digits` significant digits (the hover and the panel share src/panel/numbers.ts); '—' for none. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  return formatValue(v, digits);
}

/** Full precision (shortest round-trip). */
export function exact(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return String(v);
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** z-score class: ok (|z| < 2), warn (2..3), bad (> 3). */
export function zClass(z: number | null | undefined): 'ok' | 'warn' | 'bad' | 'na' {
  if (z === null || z === undefined || !Number.isFinite(z)) return 'na';
  const a = Math.abs(z);
  return a < 2 ? 'ok' : a <= 3 ? 'warn' : 'bad';
}
