import type { Report } from '../src/core/report/schema';
import type { WebviewMessage } from '../src/panel/messages';
import type { UiState } from './state';

/** What every section renderer gets. */
export interface RenderContext {
  report: Report;
  ui: UiState;
  /** Changes UI state (saved) and re-renders what depends on it. */
  update(patch: Partial<UiState>): void;
  /** Sends a message to the host; null in the standalone HTML. */
  post: ((msg: WebviewMessage) => void) | null;
}
