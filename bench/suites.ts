import { cacheSuite } from "./cache";
import { crudSuite } from "./crud";
import { durabilitySuite } from "./durability";
import { httpSuite } from "./http";
import { querySuite } from "./query";
import type { BenchSuite } from "./suite";

/** Every suite `npm run bench` knows, in run order. Add new suites here. */
export const SUITES: readonly BenchSuite[] = [crudSuite, httpSuite, cacheSuite, durabilitySuite, querySuite];
