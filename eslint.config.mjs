// typescript-eslint over every TypeScript file; type-aware rules catch floating promises,
// which would otherwise become the unhandled rejections Cloudtop promises never to have.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The import rules that keep the flow one-way (docs/architecture.md, "Import rules"). A later block's
// no-restricted-imports replaces an earlier one's, so every block restates the `vscode` ban with its own patterns.
// The patterns read the import as written: a sibling folder of src/core/<folder>/ is `../<sibling>/…`, the rest of
// src/ is `../../…` (one more `../` from a provider folder).
const VSCODE_ONLY = { name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' };
const FRONT_ENDS = 'vscode|cli|dashboard|extension';
const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { paths: [VSCODE_ONLY], patterns }] });
const coreStaysCore = {
  regex: `^(\\.\\./)+(providers|${FRONT_ENDS})(/|$)`,
  message: 'src/core imports nothing of src/providers, src/vscode, src/cli, src/dashboard or src/extension.ts: they use the core.',
};
/** A core folder may import itself and the core folders (or single modules) listed: nothing later in the flow. */
const coreFolder = (folder, mayImport) => ({
  files: [`src/core/${folder}/**/*.ts`],
  rules: restrictImports(coreStaysCore, {
    regex: mayImport.length === 0 ? '^\\.\\./' : `^\\.\\./(?!(${mayImport.map((m) => (m.includes('/') ? `${m}$` : `${m}/`)).join('|')}))`,
    message: `src/core/${folder}/ may import only ${['itself', ...mayImport.map((m) => `core/${m}`)].join(', ')}: the flow inside core is one-way (docs/architecture.md).`,
  }),
});

export default tseslint.config(
  { ignores: ['dist/', 'out/', '.vscode-test/', 'test-results/', 'node_modules/', 'bench/', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [VSCODE_ONLY] }],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts', 'test/vscode/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  coreFolder('model', []),
  coreFolder('errors', ['model']),
  coreFolder('transport', ['model', 'errors']),
  coreFolder('credentials', ['model', 'errors']),
  coreFolder('cache', ['model', 'errors', 'transport/redis-connection', 'transport/redis-status']),
  { files: ['src/core/engine/**/*.ts'], rules: restrictImports(coreStaysCore) },
  {
    files: ['src/providers/**/*.ts'],
    rules: restrictImports({
      regex: `^(\\.\\./)+(${FRONT_ENDS})(/|$)`,
      message: 'A provider imports only src/core (and its own folder): the front ends use providers, never the reverse.',
    }),
  },
  // A cloud's folder imports its own files and src/core, never another cloud's folder (the catalogue, src/providers/
  // index.ts, imports them all). From src/providers/<cloud>/ a sibling cloud is `../<other>/…`.
  {
    files: ['src/providers/*/**/*.ts'],
    rules: restrictImports(
      {
        regex: `^(\\.\\./)+(${FRONT_ENDS})(/|$)`,
        message: 'A provider imports only src/core (and its own folder): the front ends use providers, never the reverse.',
      },
      {
        regex: '^\\.\\./(?!\\.\\./)[^/]+(/|$)',
        message: "A cloud's folder imports only its own files and src/core, never another cloud's: share through src/core.",
      },
    ),
  },
  // The dashboard protocol is shared by the extension and the browser bundle: it may use src/core/model, nothing else.
  {
    files: ['src/dashboard/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/dashboard/ is bundled into the webview too: no vscode.' }],
          patterns: [
            {
              regex: '^\\.\\./(?!core/model/)',
              message: 'src/dashboard/ may import only src/core/model (the webview bundles it): not src/vscode, src/cli, src/providers.',
            },
          ],
        },
      ],
    },
  },
  // The webview is a browser bundle: it talks to the extension through src/dashboard/, never src/vscode/.
  {
    files: ['webview/**/*.ts'],
    rules: restrictImports({
      regex: '^(\\.\\./)+src/vscode(/|$)',
      message: 'The webview imports src/dashboard/ (the protocol) and src/core/model, never src/vscode/.',
    }),
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
