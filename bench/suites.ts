import { cacheSuite } from "./cache";
import { httpSuite } from "./http";
import type { BenchSuite } from "./suite";

/** Every suite `npm run bench` knows, in run order. Add new suites here. */
export const SUITES: readonly BenchSuite[] = [httpSuite, cacheSuite];
