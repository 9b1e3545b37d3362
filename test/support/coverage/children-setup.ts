import { COVERAGE_CHILDREN_ENV } from "./kept-roots";

/**
 * Vitest setup file: under `npm run coverage`, child processes the tests start (the CLI, servers,
 * workers, all running the compiled `dist/`) write raw V8 coverage into the folder the coverage
 * runner names, so it can be mapped back to the TypeScript sources and merged into the report.
 * Set here, in each test worker after it started, rather than on the runner: the workers themselves
 * are measured by Vitest's own provider, and `NODE_V8_COVERAGE` is only read when a process starts.
 */
const directory = process.env[COVERAGE_CHILDREN_ENV];
if (directory !== undefined && directory !== "") process.env.NODE_V8_COVERAGE = directory;
