import { defineConfig } from "vitest/config";

export default defineConfig({
  // Module files written by tests live outside tsconfig's include list; they still need
  // TypeScript's legacy decorators and metadata, so say so here rather than per tsconfig.
  // Fields without initializers are dropped and others assigned, as tsc does with
  // `useDefineForClassFields: false`, so entities behave the same under tests and in the build.
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
    typescript: { onlyRemoveTypeImports: false, removeClassFieldsWithoutInitializer: true },
    assumptions: { setPublicClassFields: true },
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["reflect-metadata", "test/support/coverage/children-setup.ts", "test/support/module-engine-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests open real SQLite files and spawn processes; two cores gain nothing from more workers.
    maxWorkers: 2,
    pool: "forks",
    // `vitest run --coverage` alone measures what runs in the test processes. `npm run coverage`
    // (test/support/coverage/run.ts) adds what child processes ran from dist/ and what ran from
    // byte-identical module copies under .tmp/, credited to these source files.
    coverage: {
      provider: "v8",
      include: ["framework/**/*.ts", "modules/**/*.ts"],
      exclude: ["**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: ".tmp/coverage",
      // A red run still says how much it covered.
      reportOnFailure: true,
    },
  },
});
