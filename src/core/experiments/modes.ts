import type { Flow } from '../flow/flow';

/**
 * Local maxima of the model's ln p, by gradient ascent (central differences, backtracking) from the
 * given starting rows; ends closer than `mergeRadius` are one mode. A unimodal model gives one mode
 * from every start.
 */
export function findModes(flow: Flow, starts: Float64Array, nStarts: number, mergeRadius = 1e-2): Array<{ x: number[]; logP: number; basin: number }> {
  const d = flow.dim;
  const f = (x: Float64Array): number => flow.logProb(x, 1)[0];
  const modes: Array<{ x: number[]; logP: number; basin: number }> = [];
  for (let s = 0; s < nStarts; s++) {
    const x = Float64Array.from(starts.subarray(s * d, s * d + d));
    let fx = f(x);
    let step = 0.1;
    const g = new Float64Array(d);
    for (let it = 0; it < 2000 && step > 1e-10; it++) {
      const h = 1e-6;
      let gn = 0;
      for (let i = 0; i < d; i++) {
        const keep = x[i];
        x[i] = keep + h;
        const up = f(x);
        x[i] = keep - h;
        const down = f(x);
        x[i] = keep;
        g[i] = (up - down) / (2 * h);
        gn += g[i] * g[i];
      }
      gn = Math.sqrt(gn);
      if (gn < 1e-7) break;
      const trial = Float64Array.from(x, (v, i) => v + (step * g[i]) / gn);
      const ft = f(trial);
      if (ft > fx) {
        x.set(trial);
        fx = ft;
        step *= 1.5;
      } else step *= 0.5;
    }
    const found = modes.find((m) => Math.hypot(...m.x.map((v, i) => v - x[i])) < mergeRadius);
    if (found) found.basin++;
    else modes.push({ x: Array.from(x), logP: fx, basin: 1 });
  }
  return modes.sort((a, b) => b.logP - a.logP);
}
