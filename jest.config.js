/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // request-filtering-agent ships as an ES module only. Node (20.19+, 22.12+) loads it with
    // require() by itself; jest's module system does not, so that one package is compiled to
    // CommonJS for the tests.
    '/node_modules/request-filtering-agent/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!request-filtering-agent/)'],
  testTimeout: 60000,
  // Engines and browsers are real processes; run suites one at a time on 2 cores.
  maxWorkers: 2,
};
