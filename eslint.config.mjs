// Lint rules that keep the code honest: no floating promises anywhere, and workflows (with the
// workflow-safe modules they import) free of Node built-ins and I/O clients, as Temporal's samples
// require: workflow code must stay deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];
const IO_CLIENTS = [
  'dockerode',
  'kafkajs',
  '@elastic/*',
  'avsc',
  '@kafkajs/confluent-schema-registry',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  'esbuild',
  'yaml',
  'tar-stream',
];

const WORKFLOW_SAFE = ['workflows/**/*.ts', 'src/domain/**/*.ts', 'src/drill/**/*.ts', 'src/schema/avro-record.ts'];

/**
 * What workflow code may import: types of anything, but no Node built-in, I/O client or I/O module;
 * nothing at all of infra/ or the activities (their contracts are in src/contracts/).
 */
function workflowImports() {
  return {
    paths: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({
      name,
      message: 'workflow code is deterministic: no Node built-ins',
      allowTypeImports: true,
    })),
    patterns: [
      { group: IO_CLIENTS, message: 'workflow code does no I/O: call an activity', allowTypeImports: true },
      {
        group: ['**/config/*', '**/docker/*', '**/clients/*', '**/lab/*', '**/images/*'],
        message: 'workflow code does no I/O: import types only, call activities',
        allowTypeImports: true,
      },
      {
        group: ['**/activities', '**/activities/*', '!**/contracts/*', '**/infra/*', '**/infra/**'],
        message: 'workflow code takes nothing from activities or infra/: types it shares with them are in src/contracts/',
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.lab/**', 'test-results/**', 'infra/built/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: WORKFLOW_SAFE,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowImports()] },
  },
  {
    // An activity is a thin step over src/: what two activities share lives there, not in another activity.
    files: ['activities/**/*.ts'],
    ignores: ['activities/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['./*', '../activities/*'], message: 'an activity imports no other activity: move what they share to src/' }],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bin/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { require: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
);
