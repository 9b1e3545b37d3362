import { cacheSuite } from "./cache";
import { crudSuite } from "./crud";
import { durabilitySuite } from "./durability";
import { httpSuite } from "./http";
import { metricsSuite } from "./metrics";
import { postgresSuite } from "./postgres";
import { querySuite } from "./query";
import { seedsSuite } from "./seeds";
import type { BenchSuite } from "./suite";
import { writersSuite } from "./writers";

/** Every suite `npm run bench` knows, in run order. Add new suites here. */
export const SUITES: readonly BenchSuite[] = [crudSuite, httpSuite, cacheSuite, durabilitySuite, seedsSuite, metricsSuite, querySuite, writersSuite, postgresSuite];
