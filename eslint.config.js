import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.scratch/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a union of string literals.' }],
    },
  },
  {
    // runtime/model is pure: no node:* and nothing of ours outside itself.
    files: ['runtime/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'], message: 'runtime/model is pure: no I/O.' },
        { group: ['../*', '!./*'], message: 'runtime/model imports nothing of ours but itself.' },
        { group: ['react', 'react-dom'], message: 'runtime/model has no React.' },
      ] }],
    },
  },
  {
    // A node's runtime part reaches services through ctx only.
    files: ['nodes/**/runtime.ts', 'nodes/**/definition.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'quickjs-emscripten*', '@jitl/*', 'better-sqlite3', 'modbus-serial', 'mqtt', 'express'], message: 'Nodes get every service through ctx.' },
        { group: ['../../../runtime/engine/*', '../../../runtime/sandbox/*', '../../../runtime/devices/*', '../../../runtime/store/*', '../../../runtime/server/*'], message: 'Nodes import nodes/sdk only.' },
      ] }],
    },
  },
);
