// Lint rules for the whole repository. Type-aware rules catch the mistakes that cost money in async code
// (a floating promise is a write nobody awaited); workflow files may not import Node built-ins, because Temporal
// replays them and they must stay deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { standInPackages } from './scripts/stand-ins.ts';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
// Temporal allows these in workflow code (they are replaced by deterministic versions in the sandbox).
const allowedInWorkflows = new Set(['assert', 'url', 'util', 'node:assert', 'node:url', 'node:util']);
// Stand-ins are never deployed (packages/stand-ins/*, test/harness): code that ships may not import them. Tests and
// test helpers may: a test helper is a file named testing.ts or *.testing.ts, imported only by tests and other
// helpers (so production code may not import one either, or a stand-in would ship through it).
const testHelperImport = String.raw`(^|/)([^/]+\.)?testing(\.ts)?$`;
// Another service's source by a relative path (`../../worker/src/…` from a service, `../../../services/worker/src/…`
// from a package) or by its package name: tests in test/ and scripts compose services in-process; production may not.
const serviceNames = readdirSync(join(import.meta.dirname, 'services'));
const serviceSourceImport = String.raw`^((\.\./)+(services/)?(${serviceNames.join('|')})/src(/|$)|@cardgate/(${serviceNames.join('|')})(/|$))`;

export default tseslint.config(
  // The Mini App's API types are generated from the API's /openapi.json (npm run generate:api-types -w
  // @cardgate/mini-app); they are checked by tsc where they are used, not linted as written code.
  {
    ignores: [
      'node_modules/',
      '.tools/',
      '.cardgate/',
      '**/dist/',
      'coverage/',
      'packages/mini-app/src/api/types.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': [
        'error',
        { name: 'parseFloat', message: 'Money is never a float: use @cardgate/money.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: 'Money is never a float: use @cardgate/money.' },
      ],
    },
  },
  {
    files: ['**/workflows/**/*.ts', '**/*.workflow.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .filter((name) => !allowedInWorkflows.has(name))
            .map((name) => ({
              name,
              message: 'Temporal workflow code must be deterministic: no Node built-ins.',
            })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a bounded loop.' },
        { name: 'fetch', message: 'Do I/O in activities.' },
        { name: 'process', message: 'Workflow code has no process.' },
      ],
    },
  },
  {
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['packages/stand-ins/**', '**/*.test.ts', '**/testing.ts', '**/*.testing.ts'],
    rules: {
      // The typescript-eslint twin of no-restricted-imports, so this block does not replace the workflow files' list
      // of Node built-ins (flat config keeps one option set per rule name); it also catches `import type`.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: standInPackages.map((name) => ({
            name,
            message:
              'A stand-in is never deployed: production code may not import it (tests and *.testing.ts may).',
          })),
          patterns: [
            {
              group: standInPackages.map((name) => `${name}/*`),
              message: 'A stand-in is never deployed: production code may not import it.',
            },
            {
              regex: testHelperImport,
              message: 'A test helper (testing.ts, *.testing.ts) is for tests only.',
            },
            {
              regex: serviceSourceImport,
              message:
                'A service is a process, not a library: production code reaches another process through packages/contracts (or a package), never its source.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pure domain: no database, no Temporal, no queues, no Node I/O. Types of the ledger (transfer requests,
    // account specs) may be imported; its runtime may not.
    files: ['packages/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['@cardgate/db', 'slonik', 'pg', 'bullmq', 'ioredis', '@cardgate/card-store'].map((name) => ({
              name,
              message: 'packages/domain is pure: do I/O in an adapter (activities, stores).',
            })),
            {
              name: '@cardgate/ledger',
              allowTypeImports: true,
              message: 'packages/domain may use the ledger’s types, not its runtime.',
            },
            ...nodeBuiltins
              .filter((name) => !allowedInWorkflows.has(name))
              .map((name) => ({ name, message: 'packages/domain is pure: no Node I/O.' })),
          ],
          patterns: [
            { group: ['@temporalio/*'], message: 'packages/domain is pure: no Temporal.' },
            {
              group: ['@cardgate/db/*', 'slonik/*', 'pg/*'],
              message: 'packages/domain is pure: no database.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
