import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPanelHtml, buildStandaloneHtml, inlineStyleUrls, jsonForScript, panelCsp, styleReferences } from '../../src/panel/html';

const nonce = 'abcdefghijklmnopqrstuv0123';

test('buildPanelHtml: strict CSP with the nonce, no unsafe-inline, escaped title', () => {
  const html = buildPanelHtml({ cspSource: 'https://*.vscode-cdn.net', nonce, scriptUri: 'https://x/panel.js', styleUris: ['https://x/a.css'], title: '<b>t</b>' });
  assert.ok(html.includes(`content="${panelCsp('https://*.vscode-cdn.net', nonce).replace(/'/g, '&#39;')}"`));
  assert.ok(!html.includes('unsafe-inline'));
  assert.ok(!html.includes('unsafe-eval'));
  assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/panel.js"></script>`));
  assert.ok(html.includes('<title>&#60;b&#62;t&#60;/b&#62;</title>'));
  assert.throws(() => buildPanelHtml({ cspSource: "x; script-src 'unsafe-inline'", nonce, scriptUri: '', styleUris: [], title: '' }));
  assert.throws(() => buildPanelHtml({ cspSource: 'x', nonce: 'short', scriptUri: '', styleUris: [], title: '' }));
});

test('jsonForScript cannot close the script element', () => {
  const s = jsonForScript({ a: '</script><script>alert(1)</script>', b: '\u2028' });
  assert.ok(!s.includes('<'));
  assert.deepEqual(JSON.parse(s), { a: '</script><script>alert(1)</script>', b: '\u2028' });
});

test('style urls are resolved and inlined as data: URIs, missing font formats dropped', () => {
  const css = '@font-face{font-family:K;src:url(fonts/K.woff2) format("woff2"),url(fonts/K.woff) format("woff")}';
  assert.deepEqual(styleReferences('katex/katex.min.css', css), ['katex/fonts/K.woff2', 'katex/fonts/K.woff']);
  const out = inlineStyleUrls('katex/katex.min.css', css, { 'katex/fonts/K.woff2': 'AAAA' });
  assert.equal(out, '@font-face{font-family:K;src:url(data:font/woff2;base64,AAAA) format("woff2")}');
});

test('buildStandaloneHtml: nonce-only CSP, data: fonts, escaped embedded report', () => {
  const html = buildStandaloneHtml({ input: { columns: ['</script><img src=x onerror=alert(1)>'] } }, {
    script: 'var s = "</script>";', styles: [{ path: 'panel.css', text: 'body{}' }], files: {}, nonce,
  });
  assert.ok(html.includes(`script-src 'nonce-${nonce}'`.replace(/'/g, '&#39;')));
  assert.ok(html.includes("font-src data:".replace(/'/g, '&#39;')));
  assert.ok(!html.includes('unsafe-inline'));
  assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the two real closing tags');
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes(`<style nonce="${nonce}">`));
});
