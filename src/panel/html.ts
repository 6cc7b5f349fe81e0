/**
 * The panel's HTML (pure: no vscode, no fs). The host passes webview URIs; the standalone export
 * passes the asset contents and gets one self-contained file that renders with the same bundle.
 */

export interface PanelHtmlOptions {
  /** `webview.cspSource` (in tests: the origin of the local server). */
  cspSource: string;
  /** A fresh random nonce per load ([A-Za-z0-9+/=_-]). */
  nonce: string;
  /** `asWebviewUri(media/panel.js)`. */
  scriptUri: string;
  /** `asWebviewUri` of media/katex/katex.min.css, media/panel.css (and any other style sheet). */
  styleUris: string[];
  title: string;
}

/** The media files the panel needs, relative to the extension's `media/` folder. */
export const PANEL_MEDIA = {
  script: 'panel.js',
  styles: ['katex/katex.min.css', 'panel.css'],
} as const;

/** The webview's Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval'). */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function checkNonce(nonce: string): void {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('nonce must be at least 16 characters of [A-Za-z0-9+/=_-]');
}

function checkCspSource(s: string): void {
  if (s.trim() === '' || /[;'"<>\r\n]/.test(s)) throw new Error('invalid cspSource');
}

/** A random nonce (Web Crypto: Node >= 19 and browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s + 'A1b2'; // >= 16 chars always
}

const BODY = `<div id="app" aria-live="polite"><p class="al-loading">Loading the report…</p></div>`;

/** The webview's HTML. The report arrives later as a `{type:'report'}` message. */
export function buildPanelHtml(opts: PanelHtmlOptions): string {
  checkNonce(opts.nonce);
  checkCspSource(opts.cspSource);
  const links = opts.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelCsp(opts.cspSource, opts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${links}
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
${BODY}
<script nonce="${opts.nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}

export interface StandaloneAssets {
  /** The contents of media/panel.js. */
  script: string;
  /** Style sheets' text, in order (katex.min.css, panel.css). `url(...)` references are resolved through `files`. */
  styles: { path: string; text: string }[];
  /** Binary files referenced from the styles (fonts), by path relative to media/, base64-encoded. */
  files: Record<string, string>;
  nonce?: string;
  title?: string;
}

const MIME: Record<string, string> = {
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  svg: 'image/svg+xml',
  png: 'image/png',
};

function joinPath(base: string, rel: string): string {
  const parts = base.split('/').slice(0, -1);
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** The url(...) references of a style sheet (relative ones only), resolved against its path. */
export function styleReferences(path: string, css: string): string[] {
  const out: string[] = [];
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const ref = m[2] ?? '';
    if (/^(data:|[a-z]+:|\/|#)/i.test(ref)) continue;
    out.push(joinPath(path, ref));
  }
  return [...new Set(out)];
}

/**
 * Inlines url(...) references as data: URIs. In @font-face `src` lists, sources whose files are not
 * given are dropped (so giving only .woff2 files keeps the export small).
 */
export function inlineStyleUrls(path: string, css: string, files: Record<string, string>): string {
  const withFontFaces = css.replace(/src\s*:\s*([^;}]+)/g, (whole: string, list: string) => {
    if (!/url\(/.test(list)) return whole;
    const sources = list.split(/,(?![^(]*\))/).map((s) => s.trim());
    const kept = sources.filter((s) => {
      const m = /url\(\s*(['"]?)([^'")]+)\1\s*\)/.exec(s);
      if (!m) return true;
      const ref = m[2] ?? '';
      return /^(data:|[a-z]+:)/i.test(ref) || files[joinPath(path, ref)] !== undefined;
    });
    return kept.length > 0 ? `src:${kept.join(',')}` : whole;
  });
  return withFontFaces.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (whole: string, _q: string, ref: string) => {
    if (/^(data:|[a-z]+:|#)/i.test(ref)) return whole;
    const resolved = joinPath(path, ref);
    const data = files[resolved];
    if (data === undefined) return whole;
    const ext = resolved.split('.').pop()?.toLowerCase() ?? '';
    return `url(data:${MIME[ext] ?? 'application/octet-stream'};base64,${data})`;
  });
}

/** JSON that is safe inside a <script type="application/json"> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script text that cannot close its <script> element early. */
function scriptForInline(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** CSS text that cannot close its <style> element early. */
function styleForInline(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** The element id of the embedded report in the standalone HTML (read by the webview bundle). */
export const EMBEDDED_REPORT_ID = 'action-lens-report';

/**
 * One self-contained HTML file: the same bundle inlined (nonce), the styles inlined (nonce) with fonts
 * as data: URIs, and the report embedded as JSON. Needs no network; CSP allows nothing external.
 */
export function buildStandaloneHtml(report: unknown, assets: StandaloneAssets): string {
  const nonce = assets.nonce ?? makeNonce();
  checkNonce(nonce);
  const csp = [
    "default-src 'none'",
    'img-src data:',
    'font-src data:',
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = assets.styles
    .map((s) => `<style nonce="${nonce}">\n${styleForInline(inlineStyleUrls(s.path, s.text, assets.files))}\n</style>`)
    .join('\n');
  const title = assets.title ?? 'Action Lens report';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Action Lens">
<title>${escapeHtml(title)}</title>
${styles}
</head>
<body class="al-standalone">
${BODY}
<script type="application/json" id="${EMBEDDED_REPORT_ID}">${jsonForScript(report)}</script>
<script nonce="${nonce}">
${scriptForInline(assets.script)}
</script>
</body>
</html>
`;
}

/**
 * Gathers the standalone assets from the media folder through `read` (path relative to media/ ->
 * bytes), so this module stays free of fs. Only .woff2 fonts are embedded.
 */
export function collectStandaloneAssets(
  read: (relPath: string) => Uint8Array,
  toBase64: (bytes: Uint8Array) => string,
): StandaloneAssets {
  const decoder = new TextDecoder();
  const script = decoder.decode(read(PANEL_MEDIA.script));
  const styles = PANEL_MEDIA.styles.map((path) => ({ path, text: decoder.decode(read(path)) }));
  const files: Record<string, string> = {};
  for (const s of styles) {
    for (const ref of styleReferences(s.path, s.text)) {
      if (!ref.endsWith('.woff2')) continue;
      files[ref] = toBase64(read(ref));
    }
  }
  return { script, styles, files };
}
