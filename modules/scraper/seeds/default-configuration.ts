import type { SeedContext } from "../../../framework/seeds/seed-types";
import { SYSTEM_ACTOR } from "../audit/audit-actor";
import { SystemConfigService, type SetConfigOptions } from "../config/system-config-service";

interface DefaultSetting {
  readonly key: string;
  readonly value: unknown;
  readonly options: SetConfigOptions;
}

/** The settings a fresh scraper installation starts with. */
export const DEFAULT_SETTINGS: readonly DefaultSetting[] = [
  { key: "scraper.max_concurrent_jobs", value: 4, options: { type: "integer", description: "Jobs that may run at once." } },
  { key: "scraper.request_timeout_ms", value: 30_000, options: { type: "integer", description: "Timeout of one fetch." } },
  { key: "scraper.user_agent", value: "moduledb-scraper/1.0", options: { type: "string", description: "User-Agent sent with every request." } },
  { key: "scraper.respect_robots_txt", value: true, options: { type: "boolean", description: "Skip pages robots.txt disallows." } },
  { key: "scraper.job_types", value: ["web", "paper", "government"], options: { type: "json", description: "Job types offered to users." } },
  { key: "api.rate_limit_per_minute", value: 60, options: { type: "integer", description: "API calls per user and endpoint per minute." } },
];

/**
 * Seeds the scraper's default system configuration. Idempotent: a key that already exists is left
 * alone (an operator may have changed it), so a second run writes nothing — not even audit rows.
 */
export async function seed({ container }: SeedContext): Promise<Record<string, number>> {
  const config = container.resolve(SystemConfigService);
  const existing = await config.list();
  if (existing.isErr()) throw new Error(`scraper seed failed [${existing.error.code}]: ${existing.error.message}`);
  const present = new Set(existing.value.map((entry) => entry.key));
  let created = 0;
  for (const setting of DEFAULT_SETTINGS) {
    if (present.has(setting.key)) continue;
    const written = await config.set(SYSTEM_ACTOR, setting.key, setting.value, setting.options);
    if (written.isErr()) throw new Error(`scraper seed failed on '${setting.key}' [${written.error.code}]: ${written.error.message}`);
    created += 1;
  }
  return created === 0 ? {} : { system_configurations: created };
}
