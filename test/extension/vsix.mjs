// The packaged extension (step 3 of test/extension/run.mjs): vsce package, offline, and its contents.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { record, ROOT } from './harness.mjs';

/** Packages the .vsix into `tmp` and checks what it ships; its path, or null when something is wrong. `run` runs a command (run.mjs). */
export function testVsix(tmp, run) {
  const started = Date.now();
  const out = join(tmp, 'action-lens.vsix');
  try {
    run(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
    const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const has = (p) => list.includes(`extension/${p}`);
    const problems = [];
    for (const p of ['package.json', 'dist/extension.js', 'dist/worker.js', 'media/panel.js', 'media/panel.css', 'media/katex/katex.min.css']) if (!has(p)) problems.push(`missing ${p}`);
    if (!list.some((p) => /^extension\/media\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/.test(p))) problems.push('missing the KaTeX fonts');
    // Every bundle the build makes (but the CLI) is loaded at run time: a new one must be listed in .vscodeignore.
    for (const f of readdirSync(join(ROOT, 'dist'))) if (f.endsWith('.js') && f !== 'cli.js' && !has(`dist/${f}`)) problems.push(`missing dist/${f} (add it to .vscodeignore)`);
    // The native product kernel, where the build made it (the training worker loads it from dist/native).
    if (existsSync(join(ROOT, 'dist/native/gemm.node')) && !has('dist/native/gemm.node')) problems.push('missing dist/native/gemm.node');
    for (const p of list) {
      if (/^extension\/(src|test|webview|scripts|out|examples|node_modules|\.vscode-test|test-artifacts|bench)\//.test(p)) problems.push(`should not ship ${p}`);
      if (/\.ts$|\.map$/.test(p)) problems.push(`should not ship ${p}`);
    }
    const size = readFileSync(out).length;
    record('[vsix] vsce package ships the bundles, media and KaTeX fonts, not the sources or tests', problems.length === 0, Date.now() - started, problems.length ? problems.slice(0, 10).join('\n') : `${list.length} files, ${(size / 1024).toFixed(0)} KB`);
    return problems.length === 0 ? out : null;
  } catch (e) {
    record('[vsix] vsce package', false, Date.now() - started, e.message);
    return null;
  }
}
