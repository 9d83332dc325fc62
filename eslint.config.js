// Lint for the whole tree. The rules that matter most keep the boundaries: main/engine and
// main/contract never import electron (they run under plain Node, in the CLI and in tests),
// main/contract imports no Node built-ins either (the renderer bundles it), main/engine takes the
// simulator and the hosts as ports, and the hosts reach it only through engine.ts and engine/host/;
// and a job's stage changes only through the lifecycle.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: 'main/engine and main/contract run without Electron: take what you need as a port.',
};
const electronPattern = { group: ['electron/*'], message: electronBan.message };

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
    files: ['main/simulator/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [electronPattern] }],
    },
  },
  {
    files: ['main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            electronPattern,
            {
              group: ['**/simulator/**', '**/hosts/**'],
              message:
                'The engine gets the simulator and all a host offers as ports (host/ports.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/hosts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/(?!engine\\.ts$|host/)',
              message: 'Hosts reach the engine through engine.ts, engine/host/ and the routes.',
            },
          ],
        },
      ],
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
            electronPattern,
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
    // A job's stage changes only through the lifecycle's named moves (engine/jobs/lifecycle.ts).
    files: ['main/**', 'renderer/**'],
    ignores: ['main/engine/jobs/lifecycle.ts', 'main/engine/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transition']",
          message:
            "A job moves only through the lifecycle's named moves (engine/jobs/lifecycle.ts).",
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
