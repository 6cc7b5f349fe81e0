// The shared number formatter (src/panel/numbers.ts): plain values to a few significant digits,
// coefficients to the digits their standard error allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCoefficient, formatValue, significantDigits } from '../../src/panel/numbers';

test('formatValue: four significant digits, trailing zeros dropped, exponent form outside [1e-3, 1e5)', () => {
  const cases: Array<[number, string]> = [
    [0.123456, '0.1235'],
    [-0.123456, '-0.1235'],
    [123.4, '123.4'],
    [1.5, '1.5'],
    [0.1 + 0.2, '0.3'],
    [1, '1'],
    [-2, '-2'],
    [12345, '12350'],
    [99999.4, '1e5'],
    [0.001, '0.001'],
    [0.0009999996, '0.001'],
    [0.00012346, '1.235e-4'],
    [1.5e-7, '1.5e-7'],
    [123456, '1.235e5'],
    [1234567890123456800, '1.235e18'],
    [-1e-300, '-1e-300'],
    [Number.MAX_VALUE, '1.798e308'],
    [5e-324, '4.941e-324'],
  ];
  for (const [v, want] of cases) assert.equal(formatValue(v), want, String(v));
  assert.equal(formatValue(2 / 3, 3), '0.667');
  assert.equal(formatValue(1234.5, 2), '1200');
  assert.equal(formatValue(123456, 3), '1.23e5');
});

test('formatValue: zero, negative zero, NaN and infinities', () => {
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(-0), '0');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '∞');
  assert.equal(formatValue(-Infinity), '-∞');
});

test('formatCoefficient without an error is formatValue', () => {
  assert.equal(formatCoefficient(-0.123456), '-0.1235');
  assert.equal(formatCoefficient(1.5e-7), '1.5e-7');
  assert.equal(formatCoefficient(0), '0');
  assert.equal(formatCoefficient(3, null), '3');
});

test('formatCoefficient: two significant digits of the error, the value to the same decimal place', () => {
  const cases: Array<[number, number, string]> = [
    [-0.123456, 0.00512, '-0.1235 ± 0.0051'],
    [-0.123456, 0.0051, '-0.1235 ± 0.0051'],
    [0.5, 0.1, '0.50 ± 0.10'],
    [1.23456, 0.5, '1.23 ± 0.50'],
    [1234.5, 41, '1235 ± 41'],
    [12.345, 1.2, '12.3 ± 1.2'],
    [2.5, 0.0103, '2.500 ± 0.010'],
    // The error rounds up into the next decade: the place follows the rounded error.
    [0.12345, 0.00996, '0.123 ± 0.010'],
    [1, 0.0995, '1.00 ± 0.10'],
    [1, 0.0994, '1.000 ± 0.099'],
    // Rounding of the value itself, at the error's place.
    [0.99996, 0.0012, '1.0000 ± 0.0012'],
    [-0.00004, 0.0012, '0.0000 ± 0.0012'],
    [0.12345, 0.000051, '0.123450 ± 0.000051'],
  ];
  for (const [v, e, want] of cases) assert.equal(formatCoefficient(v, e), want, `${v} ± ${e}`);
});

test('formatCoefficient: exponent form for large and small magnitudes and for places above the units; never long integers', () => {
  const cases: Array<[number, number, string]> = [
    [1234, 410, '1.23e3 ± 4.1e2'],
    [123456, 41, '1.23456e5 ± 4.1e1'],
    [1234567890123456800, 4.1e15, '1.2346e18 ± 4.1e15'],
    [1.234e-5, 5.1e-7, '1.234e-5 ± 5.1e-7'],
    [0.5, 1e-12, '5.000000000000e-1 ± 1.0e-12'],
    [-3.21e-9, 1.06e-10, '-3.21e-9 ± 1.1e-10'],
    // Carry into the next power of ten keeps the last digit at the error's place.
    [999999.6, 41, '1.000000e6 ± 4.1e1'],
  ];
  for (const [v, e, want] of cases) assert.equal(formatCoefficient(v, e), want, `${v} ± ${e}`);
  // An error below the float64's resolution: at most the 17 digits a float64 holds, never a long integer.
  assert.equal(formatCoefficient(1234567890123456800, 3), '1.2345678901234568e18 ± 3.0e0');
  for (const [v, e] of [[-9.87e20, 1e3], [4.2e30, 1e28], [98765432.1, 0.02]]) {
    const text = formatCoefficient(v, e);
    assert.ok(!/(^|[^.\d])\d{6,}/.test(text), `no long integer in ${text}`);
  }
});

test('formatCoefficient: errors larger than the value', () => {
  assert.equal(formatCoefficient(0.003, 0.05), '0.003 ± 0.050');
  assert.equal(formatCoefficient(-0.0003, 0.05), '0.000 ± 0.050');
  assert.equal(formatCoefficient(12, 410), '0.1e2 ± 4.1e2');
  assert.equal(formatCoefficient(1e-9, 4.1e-6), '0.0e-6 ± 4.1e-6');
  assert.equal(formatCoefficient(-3e-7, 4.1e-6), '-0.3e-6 ± 4.1e-6');
  assert.equal(formatCoefficient(0, 4.1e-6), '0.0e-6 ± 4.1e-6');
  assert.equal(formatCoefficient(0, 0.25), '0.00 ± 0.25');
});

test('formatCoefficient: negative zero, zero error, NaN and infinities', () => {
  assert.equal(formatCoefficient(-0, 0.0051), '0.0000 ± 0.0051');
  assert.equal(formatCoefficient(-0, 0), '0 ± 0');
  assert.equal(formatCoefficient(1.23456, 0), '1.235 ± 0');
  assert.equal(formatCoefficient(1.23456, -0.05), '1.235 ± 0.050', 'a negative error counts by its size');
  assert.equal(formatCoefficient(1, NaN), '1 ± NaN');
  assert.equal(formatCoefficient(1, Infinity), '1 ± ∞');
  assert.equal(formatCoefficient(NaN, 0.1), 'NaN ± 0.1');
  assert.equal(formatCoefficient(-Infinity, 0.123), '-∞ ± 0.12');
});

test('significantDigits: the digits a standard error leaves meaningful (as formatCoefficient writes them), for the typeset action', () => {
  // -0.1234 ± 0.0051: the error's second digit is at 1e-4, so four digits of the value.
  assert.equal(significantDigits(-0.123456, 0.0051), 4);
  assert.equal(formatCoefficient(-0.123456, 0.0051), '-0.1235 ± 0.0051');
  // -111458 ± 12000: down to the thousands, three digits.
  assert.equal(significantDigits(-111457.96, 12000), 3);
  // A value below its error keeps one digit; a huge error-free precision is capped.
  assert.equal(significantDigits(0.003, 0.04), 1);
  assert.equal(significantDigits(1.234567891, 1e-12), 6);
  // No error (or a zero value): the fallback.
  assert.equal(significantDigits(2.5, undefined), 4);
  assert.equal(significantDigits(2.5, 0), 4);
  assert.equal(significantDigits(0, 0.1, 3), 3);
});
