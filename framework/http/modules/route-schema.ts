import { API_ERROR_CODES } from "../errors/api-error";
import { noQuerySchema } from "../schemas/common-schemas";
import { UNDECLARED_MODULE_ERROR_STATUS } from "./route-answer";
import type { ModuleRouteSchema } from "./module-routes";

/**
 * The error response of a module's routes: the standard shape, with `code` open to the module's
 * own codes (the framework's codes plus those it declares; an undeclared one answers 422).
 */
function moduleErrorSchema(module: string, declared: ReadonlyMap<string, number>) {
  const own = [...declared].map(([code, status]) => `${code} (${status})`);
  return {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message", "module", "details"],
        properties: {
          code: {
            type: "string",
            description: `A framework code (${API_ERROR_CODES.length} of them, statuses as everywhere in the API) or a code of module '${module}'${own.length > 0 ? `: ${own.join(", ")}` : ""}; an undeclared module code answers ${UNDECLARED_MODULE_ERROR_STATUS}.`,
          },
          message: { type: "string" },
          module: { type: "string", description: `The component that raised the error: '${module}' for the module's own codes and failures, core.database / core.http otherwise.` },
          details: { type: "object", additionalProperties: true },
        },
      },
    },
  } as const;
}

/**
 * The schema a module route is registered with: the module's own, plus the error responses every
 * route documents, the bearer requirement, a tag naming the module, and — when the module gave no
 * `querystring` schema — one that refuses every query parameter (as the framework's routes do).
 */
export function moduleRouteSchema(schema: ModuleRouteSchema, module: string, declared: ReadonlyMap<string, number>): ModuleRouteSchema {
  const errorSchema = moduleErrorSchema(module, declared);
  return {
    ...schema,
    tags: schema.tags ?? [`module:${module}`],
    security: schema.security ?? [{ bearerAuth: [] }],
    querystring: schema.querystring ?? noQuerySchema,
    response: { "4xx": errorSchema, "5xx": errorSchema, ...schema.response },
  };
}
