import { crudSuite } from "./crud";
import type { BenchSuite } from "./suite";

/** Every suite `npm run bench` knows, in run order. Add new suites here. */
export const SUITES: readonly BenchSuite[] = [crudSuite];
