/** One HMC chain (hmc.ts): leapfrog trajectories with a Metropolis correction, unit mass. */
import type { Theory } from '../theories/theory';
import type { Rng } from '../util/rng';

const DIVERGENCE = 1000;

/** One chain's state, with the energy and gradient at its current point kept to save an evaluation. */
export class Chain {
  readonly x: Float64Array;
  readonly g: Float64Array;
  e: number;
  private readonly xNew: Float64Array;
  private readonly gNew: Float64Array;
  private readonly p: Float64Array;

  constructor(
    private readonly theory: Theory,
    start: Float64Array,
    readonly rng: Rng,
  ) {
    const d = theory.d;
    this.x = Float64Array.from(start);
    this.g = new Float64Array(d);
    this.xNew = new Float64Array(d);
    this.gNew = new Float64Array(d);
    this.p = new Float64Array(d);
    this.e = theory.energyAndGradient(this.x, this.g);
  }

  /** One HMC transition; returns the acceptance probability and whether it diverged. */
  step(eps: number, steps: number): { accept: number; divergent: boolean } {
    const { theory, x, g, xNew, gNew, p, rng } = this;
    const d = theory.d;
    let kinetic0 = 0;
    for (let i = 0; i < d; i++) {
      p[i] = rng.normal();
      kinetic0 += p[i] * p[i];
      xNew[i] = x[i];
      gNew[i] = g[i];
    }
    let eNew = this.e;
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < d; i++) {
        p[i] -= 0.5 * eps * gNew[i];
        xNew[i] += eps * p[i];
      }
      eNew = theory.energyAndGradient(xNew, gNew);
      for (let i = 0; i < d; i++) p[i] -= 0.5 * eps * gNew[i];
      if (!Number.isFinite(eNew)) break;
    }
    let kinetic1 = 0;
    for (let i = 0; i < d; i++) kinetic1 += p[i] * p[i];
    const dH = eNew + 0.5 * kinetic1 - (this.e + 0.5 * kinetic0);
    const divergent = !Number.isFinite(dH) || dH > DIVERGENCE;
    const accept = divergent ? 0 : Math.min(1, Math.exp(-dH));
    // Draw the uniform whatever happens, so the random stream does not depend on the outcome.
    const u = rng.uniform();
    if (u < accept) {
      this.x.set(xNew);
      this.g.set(gNew);
      this.e = eNew;
    }
    return { accept, divergent };
  }
}

export interface Counters {
  /** Leapfrog steps, one gradient evaluation each. */
  gradients: number;
  transitions: number;
}

/** Leapfrog steps for a trajectory of jittered length (uniform in [0.5, 1.5] times `length`), to avoid periodic orbits. */
export function jitteredSteps(rng: Rng, length: number, eps: number, maxLeapfrog: number): number {
  const t = length * (0.5 + rng.uniform());
  return Math.max(1, Math.min(maxLeapfrog, Math.round(t / eps)));
}

/** One transition of a chain, counted. */
export function run(chain: Chain, eps: number, steps: number, counters: Counters): { accept: number; divergent: boolean } {
  counters.gradients += steps;
  counters.transitions++;
  return chain.step(eps, steps);
}
