/**
 * The host's answers to the panel's `requestSlice` (src/panel/messages.ts): the action's coefficients
 * with some indices held, computed from the report's weights (src/core/action/on-demand). The model
 * is loaded once, on the first request, and again only when the report changes. No vscode import,
 * so the unit tests drive it directly.
 */
import { loadSlicer, type ActionSlicer } from '../core/action/on-demand';
import type { HostMessage, WebviewMessage } from '../panel/messages';
import { MAX_SLICE_ENTRIES } from '../panel/messages';

type SliceRequest = Extract<WebviewMessage, { type: 'requestSlice' }>;

export class PanelSlices {
  private slicer: Promise<ActionSlicer> | null = null;

  constructor(private reportPath: string) {}

  /** The report was replaced (or reloaded): the next request loads its model. */
  reset(reportPath = this.reportPath): void {
    this.reportPath = reportPath;
    this.slicer = null;
  }

  /** The `slice` answer, or a `sliceError` saying why (never throws). */
  async answer(req: SliceRequest): Promise<HostMessage> {
    const t0 = performance.now();
    try {
      this.slicer ??= loadSlicer(this.reportPath).then((r) => r.slicer);
      let slicer: ActionSlicer;
      try {
        slicer = await this.slicer;
      } catch (e) {
        this.slicer = null;
        throw e;
      }
      const free = req.order - req.fixed.length;
      if (free >= 1 && slicer.dim ** free > MAX_SLICE_ENTRIES) {
        throw new RangeError(`a slice of order ${req.order} with ${req.fixed.length} held has ${slicer.dim}^${free} entries, more than the ${MAX_SLICE_ENTRIES.toLocaleString('en-US')} a message carries; hold more indices`);
      }
      const values = slicer.slice(req.fixed, req.order);
      return { type: 'slice', requestId: req.requestId, order: req.order, fixed: req.fixed, values: Array.from(values), seconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      return { type: 'sliceError', requestId: req.requestId, message: e instanceof Error ? e.message : String(e) };
    }
  }
}
