// Builds the bundles: the extension (Node, CommonJS, `vscode` external), the `cloudtop` CLI (Node 20), one
// bundle per cloud's provider (dist/providers/<cloud>.js, shared by both) and the dashboard webview (browser).
// `--production` minifies and drops source maps; `--watch` rebuilds on change; `--outdir <dir>` builds elsewhere
// (the bench measures a production build without touching dist/).
//
// Why provider bundles: esbuild cannot split CommonJS, so a provider imported by the catalogue, even lazily,
// would sit inside extension.js and cli.js with its SDK, to be parsed at every start. Instead the catalogue's
// `import('./<cloud>/provider')` (src/providers/index.ts) is rewritten here into a run-time require of the
// built dist/providers/<cloud>.js, next to the bundle that asks for it; from source (tsx: tests, bench) the same
// line imports the TypeScript module. Every folder of src/providers/ with a provider.ts is a cloud, so the
// catalogue stays the one list of clouds; the build fails if a main bundle still contains a provider.
//
// Identity across bundles: a provider bundle carries its own copy of the src/core code it imports — the
// stateless helpers (paginate, wire, gpu, duration, model's tables, http-defaults' numbers, error wording) and errors.ts
// with redact.ts. Copies are fine for pure functions, wrong for anything compared by identity or holding state.
// Two such things cross the boundary: CloudtopError, which both sides test with `instanceof`, answers it by a
// brand every copy shares (Symbol.for) instead of class identity; and redact.ts's registry of known secrets,
// which only the main bundle fills, so toCloudtopError() there re-makes another bundle's CloudtopError as its
// own, redacting it with that registry. Everything with state a provider needs from the core (HTTP client,
// ApiCall with limiter and retry, logger, clock) it is handed in ProviderContext as the main bundle's objects.
// test/integration/provider-bundles.test.ts lists the core modules a provider bundle may copy: a provider that
// imports more of src/core fails it until someone has checked the new module for state.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

const PROVIDERS = path.resolve('src/providers');
const CATALOGUE = path.join(PROVIDERS, 'index.ts');
const clouds = readdirSync(PROVIDERS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(PROVIDERS, entry.name, 'provider.ts')))
  .map((entry) => entry.name);

/** In the main bundles: the catalogue's provider imports load dist/providers/<cloud>.js at run time instead. */
const providersAtRunTime = {
  name: 'providers-at-run-time',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onResolve({ filter: /^\.\/[\w-]+\/provider$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer !== CATALOGUE) return undefined;
      const cloud = args.path.split('/')[1];
      if (!clouds.includes(cloud)) return { errors: [{ text: `src/providers/${cloud}/provider.ts does not exist` }] };
      // Relative to the requiring bundle (extension.js and cli.js both sit in the outdir), resolved by Node.
      return { path: `./providers/${cloud}.js`, external: true };
    });
    build.onEnd((result) => {
      const inlined = Object.keys(result.metafile?.inputs ?? {}).filter((input) => /^src\/providers\/[\w-]+\/provider\.ts$/.test(input));
      const bundle = Object.keys(build.initialOptions.entryPoints)[0];
      return {
        errors: inlined.map((input) => ({
          text: `${input} is bundled into ${bundle}.js: import providers only through the catalogue's load()`,
        })),
      };
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
  outdir,
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...node,
    entryPoints: { extension: 'src/extension.ts' },
    // The dynamic import() of an external file becomes require(): Node resolves it next to this bundle.
    supported: { 'dynamic-import': false },
    plugins: [providersAtRunTime],
  },
  {
    ...node,
    entryPoints: { cli: 'src/cli.ts' },
    supported: { 'dynamic-import': false },
    plugins: [providersAtRunTime],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...node,
    // Each entry is a self-contained bundle (no splitting in CommonJS): the provider, its API calls and SDK.
    entryPoints: Object.fromEntries(clouds.map((cloud) => [`providers/${cloud}`, `src/providers/${cloud}/provider.ts`])),
  },
  {
    ...common,
    entryPoints: { 'webview/dashboard': 'webview/dashboard.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

if (watch) {
  // A cloud folder added while watching needs a restart: the list of provider entry points is read at start.
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  // Stale files from an earlier build (e.g. source maps before a production build) must not reach the package.
  rmSync(outdir, { recursive: true, force: true });
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
