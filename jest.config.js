// ESM jest (NestJS 12 is ESM-only): run through `node --experimental-vm-modules`, see package.json.
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-watchman$': '<rootDir>/lib/index.ts',
    '^nestjs-watchman/grpc$': '<rootDir>/lib/grpc/index.ts',
    '^nestjs-watchman/otel$': '<rootDir>/lib/otel/index.ts',
    // CommonJS that require()s the ESM-only Nest: see the file.
    '^@mikro-orm/nestjs$': '<rootDir>/test/support/mikro-orm-nestjs.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/global-setup.mjs',
  testTimeout: 30000,
  maxWorkers: 2,
};
