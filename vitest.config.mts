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
    setupFiles: ["reflect-metadata", "test/support/module-engine-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests open real SQLite files and spawn processes; two cores gain nothing from more workers.
    maxWorkers: 2,
    pool: "forks",
    // `npm run coverage`: lines of framework/ and modules/ run in the test processes. Code run by
    // child processes (the CLI and servers from dist/) and module copies under .tmp/ are not counted.
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
