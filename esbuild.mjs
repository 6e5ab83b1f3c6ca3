// Builds every bundle: the extension host, the CLI and (later) the webviews. `node esbuild.mjs [--watch]`.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

/** Native add-ons that their packages load optionally, with a pure-JS fallback. */
const optionalNative = ['cpu-features', 'msgpackr-extract', '*.node'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', ...optionalNative],
};

/** The webviews: one script (and the CSS it imports) per panel, codicon font included. */
const browser = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  outdir: 'dist/webview',
  entryNames: '[name]',
  assetNames: '[name]',
  loader: { '.ttf': 'file' },
};

const builds = [
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...browser, entryPoints: { panel: 'webview/panel/main.ts', table: 'webview/table/main.ts' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
