// `npm run prepare`, which npm runs after `npm ci` / `npm install` in this folder and when the folder is linked
// (`npm install -g .`, `npx cloudtop`): build dist/ so the `cloudtop` bin (dist/cli.js, self-contained) exists.
// One ordinary build (about 2 s), so `npm ci` stays cheap. Without esbuild (a production install,
// `npm ci --omit=dev`) a dist/ built earlier is kept; with neither, say what to run instead of leaving a broken bin.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let hasEsbuild = true;
try {
  require.resolve('esbuild');
} catch {
  hasEsbuild = false;
}

if (hasEsbuild) {
  await import('../esbuild.mjs');
} else if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  process.stderr.write('cloudtop: cannot build dist/: esbuild is not installed. Run `npm ci` in this folder first.\n');
  process.exit(1);
}
