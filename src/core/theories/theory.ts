import type { Action } from '../report/schema';
import { InputError } from '../util/errors';

/**
 * A synthetic theory with a known action: the source of data whose true coefficients are exact,
 * so learned coefficients can be scored (docs/METHOD.md section 7).
 */
export interface Theory {
  readonly name: string;
  readonly d: number;
  readonly params: Readonly<Record<string, number>>;
  /** E(x) = -S(x) up to a constant (S = ln p). */
  energy(x: Float64Array): number;
  /** E(x), with grad E written into `grad` (length d). */
  energyAndGradient(x: Float64Array, grad: Float64Array): number;
  /** The exact S = -E in monomial form, orders 1..4, only nonzero coefficients, raw units. */
  trueAction(): Action;
  /** Whether exp(-E) is unimodal by the theory's stated criterion (see each factory). */
  readonly unimodal: boolean;
  /** A sentence for the user when the set is not unimodal (null when it is). */
  readonly warning: string | null;
  /**
   * For sets that are not unimodal: which well (0 or 1) a configuration sits in, so a sampler can
   * report how often chains cross between wells. Absent for unimodal sets.
   */
  wellOf?(x: Float64Array): 0 | 1;
}

/**
 * A rejected parameter. `param` is the parameter's name (the CLI's option name without dashes), so a
 * face can point at the option at fault; `reason` is the explanation without the name.
 */
export class ParameterError extends InputError {
  readonly param: string;
  readonly reason: string;

  constructor(param: string, reason: string) {
    super(`${param}: ${reason}`);
    this.name = 'ParameterError';
    this.param = param;
    this.reason = reason;
  }
}

/** Rejects NaN and infinities early: they would otherwise surface as a silent NaN energy. */
export function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new ParameterError(name, `must be a finite number (got ${value})`);
}

export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ParameterError(name, `must be an integer >= 1 (got ${value})`);
}
