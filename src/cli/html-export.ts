import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../core/report/schema';
import { writeFileAtomic } from '../core/util/atomic';
import { buildStandaloneHtml, collectStandaloneAssets, PANEL_MEDIA } from '../panel/html';

/**
 * The standalone HTML report: the panel's own renderer and styles inlined, KaTeX fonts as data: URIs,
 * the report embedded as JSON, so the file opens anywhere with no network. Same renderer as the panel.
 */
export async function writeStandaloneReport(report: Report, path: string, protect: string[]): Promise<void> {
  const media = mediaFolder();
  const assets = collectStandaloneAssets(
    (p) => readFileSync(join(media, p)),
    (b) => Buffer.from(b).toString('base64'),
  );
  await writeFileAtomic(path, buildStandaloneHtml(report, { ...assets, title: `Action Lens · ${report.input.path}` }), protect);
}

/** media/ beside dist/ (bundled CLI) or at the project root (sources run through tsx). */
function mediaFolder(): string {
  const candidates = [join(__dirname, '..', 'media'), join(__dirname, '..', '..', 'media')];
  const found = candidates.find((c) => existsSync(join(c, PANEL_MEDIA.script)));
  if (!found) throw new Error(`the panel's assets (${PANEL_MEDIA.script}) were not found in ${candidates.join(' or ')}; run \`npm run build\``);
  return found;
}
