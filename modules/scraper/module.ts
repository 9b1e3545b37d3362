/** The scraper module's services, registered as singletons in the framework's container. */
import { AuditLogService } from "./audit/audit-log-service";
import { ArtifactService } from "./artifacts/artifact-service";
import { SystemConfigService } from "./config/system-config-service";
import { JobService } from "./jobs/job-service";
import { ApiRateLimitService } from "./rate-limits/api-rate-limit-service";
import { SessionService } from "./sessions/session-service";
import { UserService } from "./users/user-service";

/** Every scraper service; each takes the scraper database by constructor injection. */
export const services = [UserService, SessionService, JobService, ArtifactService, SystemConfigService, ApiRateLimitService, AuditLogService];

/** The module's HTTP routes under `/api/v1/modules/scraper/` (see http/routes.ts and docs/routes.md). */
export { routes } from "./http/routes";
