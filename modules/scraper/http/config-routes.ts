import type { ModuleRouteContext, ModuleRouter } from "../../../framework";
import { SystemConfigService } from "../config/system-config-service";
import type { ConfigType } from "../entities/system-configuration";
import { SessionService } from "../sessions/session-service";
import { actorOf, callerSession, callerWithRole } from "./caller";
import { configEntrySchema, configListSchema, configParams, sessionHeaders, setConfigBody } from "./scraper-schemas";

/** System configuration: any session may list it (sensitive values withheld); writing it needs the admin role. */
export function configRoutes(router: ModuleRouter, { resolve }: ModuleRouteContext): void {
  router.get("/config", { scope: "read", schema: { summary: "Every system setting, sensitive values withheld (any session)", headers: sessionHeaders, response: { 200: configListSchema } } }, (request) =>
    callerSession(request, resolve(SessionService)).andThen(() => resolve(SystemConfigService).list().map((settings) => ({ settings }))),
  );
  router.put<{ Params: { key: string }; Body: { value: unknown; type?: ConfigType; description?: string | null; is_sensitive?: boolean } }>(
    "/config/:key",
    { scope: "write", schema: { summary: "Create or replace a system setting (admin role)", headers: sessionHeaders, params: configParams, body: setConfigBody, response: { 200: configEntrySchema } } },
    (request) =>
      callerWithRole(request, resolve(SessionService), "admin", "Writing the system configuration").andThen((session) => {
        const { value, type, description, is_sensitive } = request.body;
        return resolve(SystemConfigService)
          .set(actorOf(request, session), request.params.key, value, { ...(type === undefined ? {} : { type }), ...(description === undefined ? {} : { description }), ...(is_sensitive === undefined ? {} : { isSensitive: is_sensitive }) })
          .map((entry) => ({ key: entry.key, config_type: entry.setting.type, description: entry.description, is_sensitive: entry.is_sensitive, ...(entry.is_sensitive ? {} : { value: entry.setting.value }) }));
      }),
  );
}
