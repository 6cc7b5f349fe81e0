/** Number formatting for the panel (plain text; LaTeX numbers are in src/panel/latex.ts). */

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, digits - 1)).replace('e', 'e');
  return String(Number(v.toPrecision(digits)));
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
