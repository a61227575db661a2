/** Five layers, one command: `jest` runs them all, `--selectProjects` picks one. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/lib/**/*.test.ts', '<rootDir>/test/nodes/**/*.test.ts'] },
    {
      // lib/ against the fake servers, and the fakes themselves (beside them in test/fakes/) through the real SDKs.
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/fakes/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue/'],
      globalSetup: '<rootDir>/test/e2e/harness/globalSetup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/harness/setup.ts'],
      slowTestThreshold: 120,
    },
    {
      // n8n in queue mode: PostgreSQL, Redis, a main and two workers, started once for all its tests.
      ...common,
      displayName: 'queue',
      testMatch: ['<rootDir>/test/e2e/queue/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/queue/harness/globalSetup.ts',
      globalTeardown: '<rootDir>/test/e2e/queue/harness/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/harness/setup.ts'],
      slowTestThreshold: 120,
    },
    {
      // The editor in headless Chromium (Debian's, driven by playwright-core), on a real n8n.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/harness/globalSetup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/harness/setup.ts'],
      slowTestThreshold: 120,
    },
  ],
};
