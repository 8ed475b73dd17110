// Lint rules that keep the layers apart (STYLE.md): renderer/ and shared/ never reach Node, Electron or
// SQLite; electron/core never imports Electron; electron/ never imports the renderer.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const nodeOnly = ['electron', 'better-sqlite3', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'bench-results/', 'test-results/', 'playwright-report/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        ...['it', 'test', 'describe'].map((object) => ({ object, property: 'only', message: 'No focused tests in the tree.' })),
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './electron', from: './renderer', message: 'electron/ must not import the renderer.' },
            { target: './shared', from: './electron', message: 'shared/ is pure: no main-process code.' },
            { target: './shared', from: './renderer', message: 'shared/ must not import the renderer.' },
            { target: './renderer', from: './electron', message: 'The renderer talks to the core only through lib/api.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: nodeOnly, message: 'renderer/ and shared/ run without Node, Electron or SQLite.' }] }],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron/core runs in plain Node: never import electron.' }] }],
    },
  },
);
