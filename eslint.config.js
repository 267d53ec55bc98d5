// @ts-check
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const IPC_ONLY_HERE = 'Only electron/main/ipc/register.ts and electron/preload/ipc.ts may use IPC.';
const ipcBans = [
  { name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: IPC_ONLY_HERE },
];
const nodeBans = [
  { regex: '^node:', message: 'shared/ and renderer/ are pure TypeScript: no Node modules.' },
  {
    group: builtinModules.filter((m) => !m.startsWith('_')),
    message: 'shared/ and renderer/ are pure TypeScript: no Node modules.',
  },
];
const noElectron = { name: 'electron', message: 'This folder must not depend on Electron.' };
const electronTypesOnly = {
  name: 'electron',
  allowTypeImports: true,
  message: 'Services get Electron capabilities injected; import only types here.',
};

/** @param {object} options */
const restrictImports = (options) => ({
  '@typescript-eslint/no-restricted-imports': ['error', options],
});

const features = readdirSync('renderer/src/features', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.ci/node/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.d.ts'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // The rules count Unicode code points by design, so spreading a string is intended.
      '@typescript-eslint/no-misused-spread': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './shared',
              from: ['./electron', './renderer', './test', './scripts'],
              message: 'shared/ imports neither electron/ nor renderer/.',
            },
            {
              target: './electron',
              from: ['./renderer', './test'],
              message: 'electron/ never imports the renderer.',
            },
            {
              target: './electron/backend',
              from: ['./electron/main', './electron/preload'],
              message: 'The backend runs on its own: it never imports electron/main.',
            },
            {
              target: './electron/main',
              from: ['./electron/preload'],
            },
            {
              target: './electron/preload',
              from: './shared',
              except: ['./ipc/channels.ts', './ipc/api.ts'],
              message:
                'The sandboxed preload carries no schemas: only the generated channel map (shared/ipc/channels.ts) and the types of shared/ipc/api.ts.',
            },
            ...features.map((name) => ({
              target: `./renderer/src/features/${name}`,
              from: './renderer/src/features',
              except: [`./${name}`],
              message: 'Features do not import each other; share through components/ or lib/.',
            })),
            {
              target: [
                './renderer/src/components',
                ...features.map((name) => `./renderer/src/features/${name}/components`),
              ],
              from: './renderer/src/lib/api.ts',
              message:
                "Components do not call window.api: they use their feature's api/ hooks (TanStack Query).",
            },
            {
              target: ['./renderer/src/components', './renderer/src/lib'],
              from: ['./renderer/src/features', './renderer/src/app', './renderer/src/reset'],
              message: 'components/ and lib/ sit below features, app and the reset page.',
            },
            {
              target: './renderer/src/reset',
              from: ['./renderer/src/features', './renderer/src/app', './renderer/src/lib/api.ts'],
              message:
                "The end user's reset page is its own app: it talks to the backend, not to window.api.",
            },
            {
              target: ['./renderer/src/app', './renderer/src/features'],
              from: './renderer/src/reset',
              message: "The admin app does not import the end user's reset page.",
            },
          ],
        },
      ],
      ...restrictImports({ paths: ipcBans }),
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrictImports({ paths: [noElectron], patterns: nodeBans }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrictImports({
        paths: [noElectron],
        patterns: [
          ...nodeBans,
          {
            regex: '(^|/)electron/',
            allowTypeImports: true,
            message: 'The renderer may import only types from electron/.',
          },
        ],
      }),
    },
  },
  {
    files: ['electron/backend/**/*.ts'],
    rules: restrictImports({ paths: [noElectron] }),
  },
  {
    files: ['electron/main/services/**/*.ts'],
    rules: restrictImports({ paths: [electronTypesOnly] }),
  },
  {
    files: ['electron/main/ipc/register.ts', 'electron/preload/ipc.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // expect.any() and friends are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Playwright reads a fixture's dependencies from its first parameter's pattern.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
