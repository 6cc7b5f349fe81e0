import type { MonomialBasis } from '../../src/core/poly/basis';
import { axpy, mulAdd, zeroJet, type Jet } from '../../src/core/poly/jet';

/** Composition by plain polynomial evaluation: sum_m c_m prod_{i in m} g_i(u), truncated at the basis order. */
export function compose(basis: MonomialBasis, action: Jet, g: Jet[]): Jet {
  const out = zeroJet(basis);
  for (let m = 0; m < basis.size; m++) {
    if (action[m] === 0) continue;
    let prod = zeroJet(basis);
    prod[0] = 1;
    for (const i of basis.monomial(m)) {
      const next = zeroJet(basis);
      mulAdd(basis, next, prod, g[i]);
      prod = next;
    }
    axpy(out, action[m], prod);
  }
  return out;
}
