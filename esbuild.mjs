// Builds every bundle: the extension host, the CLI, the library API and the webviews. `node esbuild.mjs [--watch]`.
import { execFileSync } from 'node:child_process';
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
  { ...node, entryPoints: { reaper: 'extension/cli/reaper.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { api: 'extension/api/index.ts' }, outdir: 'dist' },
  { ...browser, entryPoints: { panel: 'webview/panel/main.ts', table: 'webview/table/main.ts', plots: 'webview/plots/main.ts' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  emitApiTypes();
}

/** The library's declarations, dist/api-types/extension/api/index.d.ts, which package.json's exports["./api"] names. */
function emitApiTypes() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', 'extension/api/index.ts',
    '--declaration', '--emitDeclarationOnly', '--outDir', 'dist/api-types', '--rootDir', '.',
    '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--strict', '--skipLibCheck',
    '--esModuleInterop', '--types', 'node', '--lib', 'ES2022,DOM'], { stdio: 'inherit' });
}
