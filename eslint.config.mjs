import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The boundaries between the project's parts (README.md, "Layout"): what each may import. Import
// cycles are checked apart from eslint (npm run lint:cycles, dpdm).
const NO_VSCODE = { name: 'vscode', message: 'Only src/extension talks to VS Code.' };
const NOT_THE_FACES = {
  group: ['**/extension/**', '**/cli/**', '**/panel/**', '**/webview/**', '**/extension', '**/cli', '**/panel', '**/webview'],
  message: 'src/core is the science: it imports nothing from the faces (src/extension, src/cli, src/panel, webview/).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'media/**', 'examples/**', 'bench/results/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [NOT_THE_FACES] }] },
  },
  {
    // The report's schema and validators are what the webview loads of the core: nothing beyond them.
    files: ['src/core/report/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: [NOT_THE_FACES, { regex: '^\\.\\./', message: 'The webview imports the report schema and validators: they import only each other (no flow code).' }],
      }],
    },
  },
  {
    files: ['src/panel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: [{ regex: '^\\.\\./(?!core/report/[^/]+$)', message: 'src/panel imports only src/core/report/* (schema, validators) and itself.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: [{
          regex: '^(\\.\\./)+src/(?!core/report/[^/]+$|panel/[^/]+$)',
          message: 'webview/ imports only src/core/report/* (schema, validators) and src/panel/* (and itself).',
        }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
