// ESLint (flat config) with typescript-eslint. Besides the recommended rules, it enforces the
// layering the README states, so that a boundary crossed fails CI instead of drifting:
//   - src/search (the core) imports no adapter, no driver, no Express, no job or web code;
//   - only src/backends/* import the engine drivers (better-sqlite3, @elastic/elasticsearch);
//   - src/web and src/jobs talk to ports, never to a concrete backend or store (the composition
//     roots, src/main.ts and indexer/cli.ts, wire those in);
//   - src/jobs knows nothing about search; adapters know nothing of the web or the indexer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DRIVERS = [
  { name: 'better-sqlite3', message: 'Only src/backends/sqlite may use the SQLite driver: go through the ports in src/search/ports.ts.' },
  { name: '@elastic/elasticsearch', message: 'Only src/backends/elasticsearch may use the Elasticsearch client: go through the ports in src/search/ports.ts.' },
];
const backends = (who) => ({
  group: ['**/backends', '**/backends/**'],
  message: `${who} talks to ports (src/search/ports.ts, src/jobs/lease.ts, src/jobs/run-history.ts), never to a concrete backend or store; the composition roots wire them in.`,
});
const layer = (groups, message) => ({ group: groups, message });

/** no-restricted-imports for one area; each area lists every rule that applies to it (options do not merge). */
const restrict = (files, patterns, paths = DRIVERS, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.venv-python/**', 'dist/**', 'coverage/**', 'test-artifacts/**', '.bench/**', 'public/**', 'test/es-plugin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its errors: ports are asynchronous, stores can fail.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Express 5 handles async handlers; elsewhere a promise passed where nothing awaits it is a bug.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // Text from sources and visitors is scrubbed of control characters, and highlights are
      // marked with \x01/\x02 sentinels: matching them in regular expressions is deliberate.
      'no-control-regex': 'off',
      // A closure may read a variable assigned later (the nightly schedule in src/main.ts).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_`-prefixed names are deliberately unused (destructuring a field away, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },

  // Layering (src and indexer; tests and benchmarks may reach into anything they check).
  restrict(
    ['src/search/**/*.ts'],
    [
      layer(['**/backends', '**/backends/**'], 'The core (src/search) imports no adapter: adapters depend on the core, never the other way round.'),
      layer(['**/web', '**/web/**', '**/jobs', '**/jobs/**', '**/indexer/**', '**/config', '**/logger'], 'The core (src/search) depends on nothing outside it.'),
    ],
    [...DRIVERS, { name: 'express', message: 'The core (src/search) imports no web framework.' }],
  ),
  restrict(
    ['src/web/**/*.ts'],
    [backends('The web layer (src/web)'), layer(['**/indexer/**'], 'The web layer gets what it needs from its deps (AppDeps, StaffDeps), not from the indexer.')],
  ),
  restrict(
    ['src/jobs/**/*.ts'],
    [
      backends('The job layer (src/jobs)'),
      layer(['**/search', '**/search/**', '**/web', '**/web/**', '**/indexer/**'], 'The job layer knows nothing about search, the web or the indexer: a job is a function it is given.'),
    ],
    [...DRIVERS, { name: 'express', message: 'The job layer imports no web framework.' }],
  ),
  restrict(
    ['src/backends/**/*.ts'],
    [layer(['**/web', '**/web/**', '**/indexer/**'], 'Adapters implement ports; they know nothing of the web or the indexer.')],
    [],
  ),
  restrict(['src/*.ts', 'indexer/**/*.ts'], [], DRIVERS),
);
