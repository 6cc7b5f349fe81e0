/**
 * A copy of a parameter vector, to tell whether the parameters changed since it was taken: comparing
 * p numbers is far cheaper than recomputing what was derived from them (a layer's W, its hidden
 * activations).
 */
export class ParamSnapshot {
  private seen = new Float64Array(0);
  private valid = false;

  matches(params: Float64Array): boolean {
    if (!this.valid || this.seen.length !== params.length) return false;
    for (let k = 0; k < params.length; k++) if (this.seen[k] !== params[k]) return false;
    return true;
  }

  take(params: Float64Array): void {
    if (this.seen.length !== params.length) this.seen = new Float64Array(params.length);
    this.seen.set(params);
    this.valid = true;
  }

  invalidate(): void {
    this.valid = false;
  }
}
