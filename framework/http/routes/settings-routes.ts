import type { FastifyInstance } from "fastify";
import { ModuleSettings } from "../../settings/module-settings";
import { SETTING_TYPES } from "../../settings/setting-types";
import type { ApiContext } from "../api-context";
import { apiError, ApiErrorException } from "../errors/api-error";
import { errorResponses } from "../schemas/common-schemas";

const scalar = { type: ["string", "number", "boolean"] } as const;

const settingSchema = {
  type: "object",
  properties: {
    module: { type: "string" },
    key: { type: "string" },
    variable: { type: "string", description: "The environment variable that sets it: <MODULE>_<KEY>." },
    type: { type: "string", enum: [...SETTING_TYPES] },
    default: scalar,
    description: { type: "string" },
    value: { ...scalar, description: "The value in force; `***` for a sensitive setting." },
    source: { type: "string", enum: ["env", "table", "default"] },
    problem: { type: "string", description: "Present when the given value was refused; the module is unhealthy." },
  },
} as const;

/** `GET /api/v1/db/settings[?module=m]`: every module setting with its type, default, description, current value and source. */
export async function settingsRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get<{ Querystring: { module?: string } }>(
    "/api/v1/db/settings",
    {
      schema: {
        summary: "Module settings (declared by each module's `settings` export): type, default, description, current value and where it came from (env, table, default)",
        tags: ["settings"],
        querystring: { type: "object", properties: { module: { type: "string", description: "Only this module's settings." } }, additionalProperties: false },
        response: { 200: { type: "object", properties: { settings: { type: "array", items: settingSchema } } }, ...errorResponses },
      },
    },
    async (request) => {
      const listed = context.framework.resolve(ModuleSettings).list(request.query.module);
      if (listed.isErr()) throw new ApiErrorException(apiError("MODULE_NOT_FOUND", listed.error.message, "core.http", { ...listed.error.details }));
      return { settings: listed.value };
    },
  );
}
