/**
 * Numbers for people to read, shared by the panel and the hover (pure: no DOM, no vscode). A plain
 * value gets a few significant digits; a coefficient with a standard error gets the digits its error
 * allows (two significant digits of the error, the value rounded to the same decimal place), so a
 * reader never sees digits that mean nothing. Very large or small magnitudes take the exponent form
 * (`1.2e5`, `3.4e-7`): no 19-digit integers, no rows of leading zeros. The minus sign is ASCII, so a
 * copied number reads back as one.
 */

/** Fixed notation between these magnitudes, exponent form outside. */
const FIXED_MIN = 1e-3;
const FIXED_MAX = 1e5;

/** Digits of the error shown: two tell its size to about 5 %, enough to judge the value's last digit. */
const ERROR_DIGITS = 2;
/** With an error, fixed notation down to this decimal place (0.000012 ± 0.0000051 is hard to read). */
const FIXED_MIN_PLACE = -6;

function special(v: number): string | null {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  return null;
}

/** `1.500e-7` -> `1.5e-7`, `1.0e+5` -> `1e5`: no trailing zeros in the mantissa, no plus sign. */
function tidyExponent(s: string): string {
  const [mantissa, exponent] = s.split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return `${m}e${Number(exponent)}`;
}

/** `-0`, `-0.000`, `-0.0e-6` (a negative that rounds to zero) lose the sign. */
function unsignedZero(s: string): string {
  return /^-[0.]+(e-?\d+)?$/.test(s) ? s.slice(1) : s;
}

/** A plain number with `digits` significant digits (trailing zeros dropped); -0 is 0. */
export function formatValue(v: number, digits = 4): string {
  const sp = special(v);
  if (sp !== null) return sp;
  if (v === 0) return '0';
  const p = Math.max(1, Math.min(21, Math.round(digits)));
  // Decided on the rounded value: 99999.99 is 1e5 once rounded and takes the exponent form.
  const rounded = Number(v.toPrecision(p));
  const a = Math.abs(rounded);
  if (a >= FIXED_MAX || a < FIXED_MIN) return tidyExponent(v.toExponential(p - 1));
  return String(rounded);
}

/** The decimal exponent of |x| as written with `digits` significant digits (rounding may carry: 9.96 -> 1.0e1). */
function writtenExponent(x: number, digits: number): number {
  return Number(Math.abs(x).toExponential(digits - 1).split('e')[1]);
}

/**
 * A coefficient for display. Without a standard error: `formatValue` with 4 digits. With one: the
 * error to two significant digits and the value to the same decimal place (`-0.1234 ± 0.0051`), in
 * exponent form for very large magnitudes, for places below 10^-6, or when that place is above the
 * units (`1.23e3 ± 4.1e2`), where fixed notation would need zeros that are not digits. A
 * zero error keeps the plain value (`± 0`); a non-finite one is shown as such; a negative one (not a
 * standard error) counts by its size.
 */
export function formatCoefficient(value: number, stdErr?: number | null): string {
  if (stdErr === undefined || stdErr === null) return formatValue(value);
  const err = Math.abs(stdErr);
  if (!Number.isFinite(err) || err === 0 || !Number.isFinite(value)) {
    const e = Number.isFinite(err) && err !== 0 ? formatValue(err, ERROR_DIGITS) : formatValue(err);
    return `${formatValue(value)} ± ${e}`;
  }
  const errExp = writtenExponent(err, ERROR_DIGITS);
  // The decimal place of the error's last shown digit: the value is rounded to it too.
  const place = errExp - (ERROR_DIGITS - 1);
  if (place <= 0 && place >= FIXED_MIN_PLACE && Math.max(Math.abs(value), err) < FIXED_MAX) {
    const decimals = -place;
    return `${unsignedZero(value.toFixed(decimals))} ± ${err.toFixed(decimals)}`;
  }
  const errText = `${err.toExponential(ERROR_DIGITS - 1).split('e')[0]}e${errExp}`;
  return `${exponentAtPlace(value, place, errExp)} ± ${errText}`;
}

/** `value` in exponent form with its last digit at 10^place; a value below the error's size is written at the error's exponent. */
function exponentAtPlace(value: number, place: number, errExp: number): string {
  const exp = value === 0 ? -Infinity : Math.floor(Math.log10(Math.abs(value)));
  if (exp >= errExp) {
    // At most 17 significant digits: a float64 holds no more, an error below its resolution adds none.
    const [mantissa, e] = value.toExponential(Math.min(16, exp - place)).split('e');
    const written = Number(e);
    // Rounding carried into the next power of ten (9.9996e5 at place 0): the value is ±10^written,
    // and its last digit must stay at 10^place, one decimal more than toExponential gave.
    if (written !== exp) return `${value < 0 ? '-' : ''}1.${'0'.repeat(Math.min(16, written - place))}e${written}`;
    return unsignedZero(`${mantissa}e${exp}`);
  }
  // |value| < 10^errExp: as a multiple of the error's power of ten (`0.3e-6 ± 4.1e-6`), the digits at the same place.
  const scaled = value / 10 ** errExp;
  return unsignedZero(`${scaled.toFixed(errExp - place)}e${errExp}`);
}

/**
 * The significant digits of `value` that its standard error leaves meaningful: down to the decimal
 * place of the error's second significant digit (as formatCoefficient writes it), at least 1 (a value
 * below its error keeps one digit: its sign and size) and at most `max`. Without an error, `fallback`.
 */
export function significantDigits(value: number, stdErr: number | null | undefined, fallback = 4, max = 6): number {
  if (stdErr === undefined || stdErr === null || !Number.isFinite(stdErr) || stdErr === 0 || !Number.isFinite(value) || value === 0) return fallback;
  const place = writtenExponent(stdErr, ERROR_DIGITS) - (ERROR_DIGITS - 1);
  const valueExp = writtenExponent(value, max);
  return Math.max(1, Math.min(max, valueExp - place + 1));
}
