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

export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
