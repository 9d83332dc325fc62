// Lint for the whole tree. The rule that matters most: main/engine and main/contract never import
// electron (they run under plain Node, in the CLI and in tests), and main/contract imports no Node
// built-ins either (the renderer bundles it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: 'main/engine and main/contract run without Electron: take what you need as a port.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['main/engine/**', 'main/simulator/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: ['electron/*'] }],
    },
  },
  {
    files: ['main/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['electron/*'], message: electronBan.message },
            {
              group: ['node:*'],
              message: 'main/contract is shared with the renderer: no Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '**/engine/**', '**/hosts/**'],
              message: 'The renderer talks to the engine only through EngineClient.',
            },
          ],
        },
      ],
    },
  },
);
