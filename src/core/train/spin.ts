/**
 * How long a waiting thread of the two-thread engine polls a shared word before it sleeps in
 * Atomics.wait. A sleeping thread takes tens of microseconds to wake (a futex round trip, longer on
 * a busy machine), as much as half a batch's work at d = 32; while batches follow each other, the
 * other thread's value arrives within microseconds, and polling catches it at once.
 */
const SPIN_MS = 2;

/** Returns once ready(control[index]) holds: polls for up to SPIN_MS, then sleeps until notified. */
export function waitUntil(control: Int32Array, index: number, ready: (value: number) => boolean): void {
  const until = performance.now() + SPIN_MS;
  for (let i = 1; !ready(Atomics.load(control, index)); i++) {
    if ((i & 63) === 0 && performance.now() > until) {
      for (let v = Atomics.load(control, index); !ready(v); v = Atomics.load(control, index)) Atomics.wait(control, index, v);
      return;
    }
  }
}
