// Jest runs the TypeScript tests as ES modules through ts-jest (yargs 18 is ESM-only).
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  // Both cores: no test depends on the machine's speed, and the suite is CPU-bound.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  // The parser imports the generated grammar bundle (src/parser/lockspec.ohm-bundle.js); the CLI's
  // parse cache goes to a directory of the run's own.
  globalSetup: '<rootDir>/scripts/jest-grammar.js',
  globalTeardown: '<rootDir>/scripts/jest-teardown.js',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
};
