// ESLint (flat config), type-aware through typescript-eslint. Run by `npm run lint` and by `npm test`
// (scripts/bootstrap.cjs says which folders `npm test` covers). Formatting is Prettier's job, not ESLint's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The Node globals our plain-JavaScript files (scripts, configs, test helpers) use. */
const NODE_GLOBALS = Object.fromEntries(
  ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout'].map(
    (name) => [name, 'readonly'],
  ),
);

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/', 'test/fixtures/', '**/*.d.ts'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // What this configuration is for: promises nobody awaits, handlers that return a promise nobody
      // watches, and switches that silently miss a command, an event or a state.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default` does not excuse a missing case: commands, events and states are unions that grow.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      // `any` needs a reason: write it in an eslint-disable comment (`-- why`) where it is truly needed.
      '@typescript-eslint/no-explicit-any': 'error',
      // Adapters implement async ports over synchronous drivers (better-sqlite3) and test doubles do the same;
      // `async` there is what turns a throw into the rejection the port promises, so it is not a mistake.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a parameter or binding that is there on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read HTTP bodies and JSON files as `any` and then assert on them: the assertions are the checks,
    // so the no-unsafe-* family would only ask for casts that prove nothing.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
);
