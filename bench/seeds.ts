import { rmSync } from "node:fs";
import path from "node:path";
import { bootFramework } from "../framework";
import { benchCiap } from "./seeds/ciap-targets";
import { benchDocs } from "./seeds/docs-targets";
import { benchDir, type BenchSuite } from "./suite";

/** `npm run bench -- seeds`: the latency targets seeds 001 (ciap) and 004 (docs) set, printed next to raw queries. */
export const seedsSuite: BenchSuite = {
  name: "seeds",
  description: "seed targets: ciap module operations on 100k rows (< 100 ms p99), docs indexed query (< 50 ms p99) and search-cache ops (< 10 ms p99), each beside the raw query; expired-entry cleanup",
  async run() {
    const dataDir = benchDir("bench-seeds");
    const framework = await bootFramework({ rootDir: path.resolve(__dirname, ".."), dataDir, watchSchema: false });
    try {
      console.log("ciap (seed 001):");
      await benchCiap(framework, dataDir);
      console.log("docs (seed 004):");
      await benchDocs(framework, dataDir);
    } finally {
      await framework.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
