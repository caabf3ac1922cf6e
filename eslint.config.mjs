// ESLint flat config. Type-aware rules for all TypeScript; the engine may not import editor APIs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const editorModules = [
  'vscode',
  'vscode-languageclient',
  'vscode-languageclient/*',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageserver-protocol',
  'vscode-languageserver-textdocument',
  'vscode-jsonrpc',
  'vscode-jsonrpc/*',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'test/fixtures/**',
      'test/output/**',
      'examples/**',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...editorModules
              .filter((name) => !name.endsWith('/*'))
              .map((name) => ({
                name,
                message:
                  'The engine holds domain logic only: it must not import editor or LSP APIs.',
              })),
            {
              name: 'yaml',
              importNames: ['parse', 'parseAllDocuments', 'parseDocument'],
              message:
                'Repository YAML can be hostile: parse it with engine/parse/boundedYaml (depth and alias limits).',
            },
          ],
          patterns: [
            {
              group: editorModules,
              message: 'The engine holds domain logic only: it must not import editor or LSP APIs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/src/engine/**', '**/server/src/engine'],
              message:
                'The client is thin: domain work runs in the language server. Talk to it through server/src/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
);
