/**
 * Step-size adaptation by dual averaging (Hoffman & Gelman 2014, "The No-U-Turn Sampler", section
 * 3.2): drives the mean acceptance probability to `target` and settles on a smoothed step size, which
 * a plain "acceptance too low, shrink" rule does not (it keeps oscillating).
 */
export class DualAveraging {
  private readonly mu: number;
  private readonly target: number;
  private hBar = 0;
  private logEps: number;
  private logEpsBar = 0;
  private t = 0;
  private static readonly gamma = 0.05;
  private static readonly t0 = 10;
  private static readonly kappa = 0.75;

  constructor(initialStep: number, target: number) {
    this.target = target;
    this.logEps = Math.log(initialStep);
    // Biasing the search towards larger steps than the start: the paper's choice.
    this.mu = Math.log(10 * initialStep);
  }

  /** The step size to use next. */
  get step(): number {
    return Math.exp(this.logEps);
  }

  /** The smoothed step size to keep once adaptation ends. */
  get finalStep(): number {
    return Math.exp(this.logEpsBar);
  }

  update(acceptance: number): void {
    this.t++;
    const t = this.t;
    const eta = 1 / (t + DualAveraging.t0);
    this.hBar = (1 - eta) * this.hBar + eta * (this.target - acceptance);
    this.logEps = this.mu - (Math.sqrt(t) / DualAveraging.gamma) * this.hBar;
    const w = Math.pow(t, -DualAveraging.kappa);
    this.logEpsBar = w * this.logEps + (1 - w) * this.logEpsBar;
  }
}
