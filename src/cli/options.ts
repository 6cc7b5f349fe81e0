import type { ExpansionRequest } from '../core/action/expansion';
import { SETTING_LIMITS, type IntegerSetting } from '../core/pipeline/limits';
import { InputError } from '../core/util/errors';

/** Option parsers for commander that turn bad values into InputErrors naming the option (exit 2). */
export function integerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const v = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new InputError(`${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${value}"`);
    }
    return v;
  };
}

export function numberOption(name: string, check: (v: number) => boolean, expected: string): (value: string) => number {
  return (value: string) => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v) || !check(v)) throw new InputError(`${name} must be ${expected}, got "${value}"`);
    return v;
  };
}

export function choiceOption<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) throw new InputError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** "a", "a or b", "a, b or c": choices in words, for --help. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** An integer option whose range is the setting's in the one table of limits (core/pipeline/limits.ts). */
export function limitedInteger(name: string, setting: IntegerSetting): (value: string) => number {
  const { min, max } = SETTING_LIMITS[setting];
  return integerOption(name, min, max);
}

/** --expand-at: auto, zero, mean, or one finite number per column. */
export function expansionOption(value: string): ExpansionRequest {
  const v = value.trim();
  if (v === 'auto' || v === 'zero' || v === 'mean') return v;
  const parts = v.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length === 0 || parts.some((p) => p === '') || numbers.some((x) => !Number.isFinite(x))) {
    throw new InputError(`--expand-at must be auto, zero, mean or one number per column separated by commas, got "${value}"`);
  }
  return numbers;
}
