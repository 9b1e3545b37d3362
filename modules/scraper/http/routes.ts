import { defineModuleRoutes } from "../../../framework";
import { configRoutes } from "./config-routes";
import { jobRoutes } from "./job-routes";
import { userRoutes } from "./user-routes";

/**
 * The scraper module's operations over HTTP, under `/api/v1/modules/scraper/`. The API's bearer
 * token (scopes) decides which client may call a route; the `X-Session-Token` of a scraper login
 * decides which user acts, and the user's `role` what that user may do (users/roles.ts).
 */
export const routes = defineModuleRoutes(
  (router, context) => {
    userRoutes(router, context);
    jobRoutes(router, context);
    configRoutes(router, context);
  },
  { errors: { INVALID_CREDENTIALS: 401, SESSION_INVALID: 401, ROLE_FORBIDDEN: 403, INVALID_STATUS_TRANSITION: 409, INVALID_CONFIG_VALUE: 400 } },
);
