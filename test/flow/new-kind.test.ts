// A new layer kind is one file plus its tests. This file is both: it defines a kind that nothing else
// in the repository knows, an odd monotone cubic y = u + c u^3 per unit, registers it through the
// registry's API (src/core/flow/kinds.ts), and runs it through the generic code paths with no other
// file changed: the whole learn pipeline (training, exact extraction, diagrams, convergence radius,
// cumulants, the report and its check), saving and loading, and ln p.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionJet } from '../../src/core/action/extract';
import { convergenceRadius } from '../../src/core/action/convergence';
import { tableFromRows } from '../../src/core/data/memory';
import { layerKindNames, registerLayerKind } from '../../src/core/flow/kinds';
import type { Layer } from '../../src/core/flow/layer';
import type { NonlinearKind } from '../../src/core/flow/layer-kind';
import { loadModel, saveModel } from '../../src/core/flow/serialize';
import { DEFAULT_LEARN_SETTINGS, learn } from '../../src/core/pipeline/learn';
import { MonomialBasis } from '../../src/core/poly/basis';
import { axpy, constantJet, evaluateJet, logJet, mul, type Jet } from '../../src/core/poly/jet';
import { validateReport } from '../../src/core/report/validate';
import { Rng } from '../../src/core/util/rng';

const C_FLOOR = 1e-4;
const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));

/** y_i = u_i + c_i u_i^3, c_i = softplus(gamma_i) + C_FLOOR > 0: a bijection of R with y' = 1 + 3 c u^2. */
class OddCubic implements Layer {
  readonly kind = 'odd-cubic';
  readonly dim: number;
  readonly paramCount: number;
  params: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.paramCount = dim;
    this.params = new Float64Array(dim);
  }

  c(i: number): number {
    return softplus(this.params[i]) + C_FLOOR;
  }

  forward(x: Float64Array, n: number, y: Float64Array, logDet: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const c = this.c(i);
      for (let r = 0; r < n; r++) {
        const u = x[r * d + i];
        y[r * d + i] = u + c * u * u * u;
        logDet[r] += Math.log(1 + 3 * c * u * u);
      }
    }
  }

  inverse(y: Float64Array, n: number, x: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const c = this.c(i);
      for (let r = 0; r < n; r++) {
        // Newton from the cube-root asymptote or y; monotone and convex on each side of 0, so it converges.
        const t = y[r * d + i];
        let u = Math.abs(t) > 1 ? Math.cbrt(t / c) : t;
        for (let it = 0; it < 100; it++) {
          const step = (u + c * u * u * u - t) / (1 + 3 * c * u * u);
          u -= step;
          if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(u))) break;
        }
        x[r * d + i] = u;
      }
    }
  }

  backward(x: Float64Array, n: number, gy: Float64Array, w: number, gParams: Float64Array, gx: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const c = this.c(i);
      let gc = 0;
      for (let r = 0; r < n; r++) {
        const o = r * d + i;
        const u = x[o];
        const jac = 1 + 3 * c * u * u;
        gc += gy[o] * u * u * u + (w * 3 * u * u) / jac;
        if (gx.length > 0) gx[o] = gy[o] * jac + (w * 6 * c * u) / jac;
      }
      gParams[i] += gc / (1 + Math.exp(-this.params[i]));
    }
  }

  jet(basis: MonomialBasis, input: Jet[]): { output: Jet[]; logDet: Jet | null } {
    const output: Jet[] = [];
    const logDet = constantJet(basis, 0);
    for (let i = 0; i < this.dim; i++) {
      const u = input[i];
      const u2 = mul(basis, u, u);
      const v = Float64Array.from(u);
      axpy(v, this.c(i), mul(basis, u2, u));
      output.push(v);
      const jac = constantJet(basis, 1);
      axpy(jac, 3 * this.c(i), u2);
      axpy(logDet, 1, logJet(basis, jac));
    }
    return { output, logDet };
  }
}

const oddCubicKind: NonlinearKind<OddCubic> = {
  name: 'odd-cubic',
  description: 'Odd monotone cubic u + c u^3 per unit after an affine layer.',
  summary: 'odd monotone cubic',
  pickDescription: 'odd monotone cubic per unit',
  minDim: 1,
  create(d, _index, _hidden, rng) {
    const layer = new OddCubic(d);
    for (let i = 0; i < d; i++) layer.params[i] = Math.log(Math.expm1(0.05)) + 0.01 * rng.normal();
    return layer;
  },
  toStructure: () => ({ kind: 'odd-cubic' }),
  fromStructure: (d) => new OddCubic(d),
  // ln(1 + 3 c u^2) is singular at u* = +-i / sqrt(3c).
  singularities: { term: 'ln(1 + 3cu^2)', distance: (layer, i, u0) => Math.sqrt(u0 * u0 + 1 / (3 * layer.c(i))) },
};

registerLayerKind(oddCubicKind);

/** Two variables with a quartic, skewed joint density: x1 = z1 + 0.3 z1^3 / (1 + z1^2), x2 = 0.8 z2 + 0.4 x1. */
function skewedTable(rows: number) {
  const rng = new Rng(17);
  const data = new Float64Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    const z1 = rng.normal();
    const x1 = z1 + (0.3 * z1 ** 3) / (1 + z1 * z1);
    data[2 * r] = 3 + x1;
    data[2 * r + 1] = 0.8 * rng.normal() + 0.4 * x1;
  }
  return tableFromRows('skewed', ['a', 'b'], data, rows);
}

test('a kind registered from one file is chosen by name and runs through learn: report, diagrams, convergence', async () => {
  assert.ok(layerKindNames().includes('odd-cubic'));
  const settings = { ...DEFAULT_LEARN_SETTINGS, layerKind: 'odd-cubic', seed: 2, steps: 400, restarts: 1, modelSamples: 2000, engine: 'float64' as const };
  const { report, flow } = await learn(skewedTable(2000), settings);
  assert.equal(report.model.layerKind, 'odd-cubic');
  const nonlinear = report.layers.filter((l) => l.kind === 'odd-cubic');
  assert.equal(nonlinear.length, settings.layers);
  assert.ok(nonlinear.every((l) => l.diagrams.length > 0));
  assert.ok(report.action.terms.some((t) => t.monomial.length === 4 && t.coefficient !== 0));
  assert.ok(report.convergence.radius !== null && report.convergence.radius > 0);
  assert.match(report.convergence.method, /ln\(1 \+ 3cu\^2\)/);
  const again = convergenceRadius(flow, report.action.expansionPoint);
  assert.deepEqual([again.radius, again.limitingLayer, again.limitingUnit], [report.convergence.radius, report.convergence.limitingLayer, report.convergence.limitingUnit]);
  const checked = validateReport(JSON.parse(JSON.stringify(report)), { layerKinds: layerKindNames() });
  assert.ok(checked.ok, checked.ok ? '' : checked.errors.join('; '));
});

test('the new kind: gradient against finite differences, extraction against ln p, save and load to the bit', async () => {
  const { flow, model } = await learn(skewedTable(800), { ...DEFAULT_LEARN_SETTINGS, layerKind: 'odd-cubic', seed: 3, steps: 100, restarts: 1, modelSamples: 500, engine: 'float64', stdErrBudgetSeconds: 0 });
  const rows = Float64Array.from([3.2, 0.1, 2.5, -0.7, 3.9, 1.2]);
  const grad = new Float64Array(flow.paramCount);
  flow.lossAndGradient(rows, 3, grad);
  for (let k = 0; k < flow.paramCount; k++) {
    const keep = flow.params[k];
    const h = 1e-6;
    flow.params[k] = keep + h;
    const up = flow.meanNll(rows, 3);
    flow.params[k] = keep - h;
    const down = flow.meanNll(rows, 3);
    flow.params[k] = keep;
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - grad[k]) < 1e-6 * (1 + Math.abs(fd)), `parameter ${k}: ${grad[k]} vs ${fd}`);
  }

  // The order-4 action around x0 against ln p: the remainder shrinks like |delta|^5.
  const basis = new MonomialBasis(2, 4);
  const x0 = [3, 0.2];
  const jet = actionJet(flow, basis, 0, x0);
  const error = (h: number): number => {
    const delta = [0.6 * h, -0.8 * h];
    const lp = flow.logProb(Float64Array.from([x0[0] + delta[0], x0[1] + delta[1]]), 1)[0];
    return Math.abs(evaluateJet(basis, jet, delta) - lp);
  };
  assert.ok(error(0.01) < 1e-8, `error ${error(0.01)}`);
  assert.ok(error(0.05) / error(0.1) < 1 / 8, `${error(0.05)} vs ${error(0.1)}`);

  const loaded = loadModel(JSON.parse(JSON.stringify(model)), 'model.json').flow;
  assert.deepEqual(loaded.layers.map((l) => l.kind), flow.layers.map((l) => l.kind));
  assert.deepEqual(Array.from(loaded.logProb(rows, 3)), Array.from(flow.logProb(rows, 3)));
  const z = loaded.forwardAll(rows, 3).z;
  const back = loaded.inverse(z, 3);
  for (let i = 0; i < rows.length; i++) assert.ok(Math.abs(back[i] - rows[i]) < 1e-10, `inverse: ${back[i]} vs ${rows[i]}`);
  assert.deepEqual(saveModel(loaded, model), model);
});
