import { ParameterError, type Theory } from './theory';
import { doubleWell, phi4Lattice } from './phi4';
import { InputError } from '../util/errors';

export interface TheoryParameter {
  name: string;
  defaultValue: number;
  integer?: boolean;
  description: string;
  /** An extension of the theory that is absent at its default: the theory's params (and truth files) leave it out then. */
  omittedAtDefault?: boolean;
}

/** A named theory a face can offer: its parameters with defaults and a factory. */
export interface TheoryDefinition {
  name: string;
  summary: string;
  parameters: TheoryParameter[];
  /** Said when a parameter the theory lacks is given (e.g. why the double well has no g3). */
  missingParameterHint?: string;
  /** Builds the theory; `params` holds every parameter of `parameters` (defaults filled in). */
  create(params: Record<string, number>): Theory;
}

const D: TheoryParameter = { name: 'd', defaultValue: 4, integer: true, description: 'number of lattice sites (columns)' };

/*
 * Defaults: phi4 is unimodal (g3^2 = 0.25 < 8/3) and measurably interacting (site skewness about
 * -0.12, excess kurtosis about -0.22); the double well has a site barrier of (3/2) m2^2 / g4 = 1.5,
 * low enough that HMC chains cross between the wells of the 4-site lattice thousands of times in a
 * default run.
 */
export const THEORIES: readonly TheoryDefinition[] = [
  {
    name: 'phi4',
    summary: 'phi^3 + phi^4 on a periodic 1-D lattice: E = 1/2 x^T Delta x + g3/3! sum x^3 + g4/4! sum x^4',
    parameters: [
      D,
      { name: 'm2', defaultValue: 1, description: 'mass term (on-site quadratic)' },
      { name: 'kappa', defaultValue: 0.3, description: 'nearest-neighbour coupling' },
      { name: 'g3', defaultValue: 0.5, description: 'cubic coupling' },
      { name: 'g4', defaultValue: 1, description: 'quartic coupling (> 0, or 0 with g3 = 0 for a Gaussian)' },
      { name: 'h', defaultValue: 0, description: 'external field: E gains -h sum_i x_i (linear terms h x_i in S)', omittedAtDefault: true },
    ],
    create: (p) => phi4Lattice({ d: p.d, m2: p.m2, kappa: p.kappa, g3: p.g3, g4: p.g4, h: p.h }),
  },
  {
    name: 'doublewell',
    summary: 'the phi^4 lattice with m2 < 0 and g3 = 0: two wells at x = +-sqrt(-6 m2 / g4)',
    parameters: [
      D,
      { name: 'm2', defaultValue: -1, description: 'mass term, < 0' },
      { name: 'kappa', defaultValue: 0.3, description: 'nearest-neighbour coupling' },
      { name: 'g4', defaultValue: 1, description: 'quartic coupling, > 0' },
    ],
    missingParameterHint: 'its g3 is 0 by definition; for a tilted double well use phi4 with m2 < 0 and g3 != 0',
    create: (p) => doubleWell({ d: p.d, m2: p.m2, kappa: p.kappa, g4: p.g4 }),
  },
];

export function findTheory(name: string): TheoryDefinition {
  const def = THEORIES.find((t) => t.name === name);
  if (def === undefined) {
    throw new InputError(`unknown theory '${name}'; known theories: ${THEORIES.map((t) => t.name).join(', ')}`);
  }
  return def;
}

/**
 * Builds a theory by name from the given parameters, defaults filling the rest. A parameter the
 * theory does not have is an error, not silently ignored (e.g. g3 for the symmetric double well).
 */
export function createTheory(name: string, given: Record<string, number> = {}): Theory {
  const def = findTheory(name);
  const params: Record<string, number> = {};
  for (const p of def.parameters) params[p.name] = p.defaultValue;
  for (const [key, value] of Object.entries(given)) {
    const spec = def.parameters.find((p) => p.name === key);
    if (spec === undefined) {
      const hint = def.missingParameterHint === undefined ? '' : `; ${def.missingParameterHint}`;
      throw new ParameterError(key, `is not a parameter of ${name} (its parameters: ${def.parameters.map((p) => p.name).join(', ')})${hint}`);
    }
    params[key] = value;
  }
  return def.create(params);
}
