// Builds the three bundles: the extension (Node, CommonJS, `vscode` external), the `cloudtop` CLI (Node 20),
// and the dashboard webview (browser). `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--outdir <dir>` builds elsewhere (the bench measures a production build without touching dist/).
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Cloud SDKs are imported dynamically per enabled cloud; splitting is not available for CJS, so they stay
    // in one file but are only evaluated when their factory runs.
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { 'webview/dashboard': 'webview/dashboard.ts' },
    outdir,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  // Stale files from an earlier build (e.g. source maps before a production build) must not reach the package.
  rmSync(outdir, { recursive: true, force: true });
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
