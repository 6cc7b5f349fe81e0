/**
 * Slices of the action asked of the host (src/panel/messages.ts, `requestSlice`): orders the report
 * does not store densely, computed on demand. One request per (order, fixed indices) at a time; the
 * answers are kept for the panel's life (not saved: a reload asks again).
 */

import type { HostMessage, WebviewMessage } from '../src/panel/messages';

export type SliceState = { status: 'pending' } | { status: 'done'; values: number[]; seconds: number } | { status: 'error'; message: string };

const byKey = new Map<string, SliceState>();
const keyOfRequest = new Map<number, string>();
let nextId = 1;

const keyOf = (order: number, fixed: readonly number[]): string => `${order}:${fixed.join(',')}`;

/** What is known of a slice (undefined: never asked). */
export function sliceState(order: number, fixed: readonly number[]): SliceState | undefined {
  return byKey.get(keyOf(order, fixed));
}

/** Asks the host for a slice unless it is known or on its way. */
export function requestSlice(post: (msg: WebviewMessage) => void, order: number, fixed: readonly number[]): void {
  const key = keyOf(order, fixed);
  const known = byKey.get(key);
  if (known && known.status !== 'error') return;
  const requestId = nextId++;
  byKey.set(key, { status: 'pending' });
  keyOfRequest.set(requestId, key);
  post({ type: 'requestSlice', requestId, order, fixed: [...fixed] });
}

/** Takes a host's answer; false for an answer to nothing asked (ignored). */
export function acceptSlice(msg: Extract<HostMessage, { type: 'slice' | 'sliceError' }>, d: number): boolean {
  const key = keyOfRequest.get(msg.requestId);
  if (key === undefined) return false;
  keyOfRequest.delete(msg.requestId);
  if (msg.type === 'sliceError') {
    byKey.set(key, { status: 'error', message: msg.message });
    return true;
  }
  const expected = d ** (msg.order - msg.fixed.length);
  if (keyOf(msg.order, msg.fixed) !== key || msg.values.length !== expected) {
    byKey.set(key, { status: 'error', message: `the host answered with ${msg.values.length} values for ${expected}` });
    return true;
  }
  byKey.set(key, { status: 'done', values: msg.values, seconds: msg.seconds });
  return true;
}

/** Forgets every slice (a new report). */
export function clearSlices(): void {
  byKey.clear();
  keyOfRequest.clear();
}
