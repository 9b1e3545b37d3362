import path from "node:path";
import type { InjectionToken } from "tsyringe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, type Framework } from "../../../framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import type { CiapModule } from "./ciap-fixture";
import { unwrap } from "./ciap-fixture";

/** A second module, written as modules/ciap/README.md tells module authors to write one. */
const REPORTS_DB_MODELS = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "reports";
@Entity({ name: "report_requests" })
export class ReportRequest {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) search_id: number;
}
`;

const REPORTS_MODULE = `
import { inject, injectable } from "tsyringe";
import type { DependencyContainer } from "tsyringe";
import type { Repository } from "typeorm";
import { InjectRepository, Scheduler } from "../../framework";
import { CiapCacheService, SearchService, TaskQueueService } from "../ciap/module";
import { ReportRequest } from "./db-models";

@injectable()
export class ReportService {
  constructor(
    @inject(SearchService) private readonly searches: SearchService,
    @inject(TaskQueueService) private readonly tasks: TaskQueueService,
    @InjectRepository(ReportRequest) private readonly requests: Repository<ReportRequest>,
  ) {}

  async requestReport(query: string): Promise<number | undefined> {
    const search = await this.searches.create(query, ["google", "bing"]);
    if (search.isErr()) return undefined;
    const task = await this.tasks.enqueue("scrape", { search_id: search.value.id }, { priority: 2 });
    if (task.isErr()) return undefined;
    await this.requests.insert({ search_id: search.value.id });
    return search.value.id;
  }
}

export const services = [ReportService];

export function start(container: DependencyContainer): void {
  const cache = container.resolve(CiapCacheService);
  container.resolve(Scheduler).every("ciap-cache-cleanup", 60_000, () => cache.cleanupExpired());
}
`;

interface ReportsModule {
  ReportService: InjectionToken<{ requestReport(query: string): Promise<number | undefined> }>;
}

describe("ciap used from another module", () => {
  let temp: TempRoot;
  let framework: Framework;

  beforeAll(async () => {
    temp = createTempRoot("ciap-cross");
    temp.copyModule("ciap");
    temp.writeModuleFile("reports", "db-models.ts", REPORTS_DB_MODELS);
    temp.writeModuleFile("reports", "module.ts", REPORTS_MODULE);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  });
  afterAll(async () => {
    await framework.shutdown();
    temp.remove();
  });

  it("injects ciap services into another module's service by constructor", async () => {
    expect(framework.modules.map((module) => [module.name, module.healthy])).toEqual([
      ["ciap", true],
      ["reports", true],
    ]);
    const reports = (await import(path.join(temp.root, "modules", "reports", "module.ts"))) as ReportsModule;
    const ciap = (await import(path.join(temp.root, "modules", "ciap", "module.ts"))) as CiapModule;

    const searchId = await framework.resolve(reports.ReportService).requestReport("acme pricing");
    expect(searchId).toBeGreaterThan(0);
    expect(unwrap(await framework.resolve(ciap.SearchService).get(searchId as number)).query).toBe("acme pricing");
    const [task] = unwrap(await framework.resolve(ciap.TaskQueueService).pending());
    expect(task).toMatchObject({ task_type: "scrape", priority: 2, payload: { search_id: searchId } });
    expect(framework.scheduler.list().map((job) => job.name)).toContain("ciap-cache-cleanup");
  });
});
