import type { Report } from '../core/report/schema';
import { InputError } from '../core/util/errors';

/** Standalone HTML export; available once the panel renderer is built (webview/). */
export async function writeStandaloneReport(_report: Report, path: string, _protect: string[]): Promise<void> {
  throw new InputError('HTML export is not available in this build', { file: path });
}
