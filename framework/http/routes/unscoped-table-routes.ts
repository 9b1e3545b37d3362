import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiContext } from "../api-context";
import { apiError, ApiErrorException } from "../errors/api-error";
import { errorResponses } from "../schemas/common-schemas";

/**
 * Seed 003's table routes without a database (`GET /api/v1/db/tables`, `/tables/{t}`,
 * `/tables/{t}/schema`). Every table here belongs to one module database, so these answer with
 * where to look instead of guessing: when exactly one ready database has table `t`, a
 * `307 Temporary Redirect` to its database-scoped route (query string kept); otherwise — and
 * always for the bare table list — `404 DATABASE_REQUIRED` with `details.use` naming the route to
 * call and the databases to choose from.
 */
export async function unscopedTableRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const registry = context.framework.databases;
  const ready = () => registry.open();
  const querySuffix = (request: FastifyRequest) => {
    const at = request.url.indexOf("?");
    return at === -1 ? "" : request.url.slice(at);
  };

  const redirectOrExplain = (request: FastifyRequest, reply: FastifyReply, table: string, suffix: "" | "/schema") => {
    const holders = ready().filter((database) => database.tableNames().includes(table)).map((database) => database.name);
    const use = `/api/v1/db/databases/{database}/tables/${encodeURIComponent(table)}${suffix}`;
    if (holders.length === 1) {
      const location = use.replace("{database}", encodeURIComponent(holders[0] ?? "")) + querySuffix(request);
      return reply
        .code(307)
        .header("location", location)
        .send({ success: false, redirect: location, message: `Tables belong to a database: table '${table}' is in database '${holders[0]}'; use ${location}.` });
    }
    const where = holders.length === 0 ? `No ready database has a table '${table}'` : `Table '${table}' is in several databases (${holders.join(", ")})`;
    throw new ApiErrorException(
      apiError("DATABASE_REQUIRED", `${where}; name the database: GET ${use}.`, "core.http", { use, table, databases: holders.length === 0 ? ready().map((database) => database.name) : holders }),
    );
  };

  const redirectSchema = {
    307: { type: "object", properties: { success: { type: "boolean" }, redirect: { type: "string" }, message: { type: "string" } } },
    ...errorResponses,
  } as const;
  const tableParams = { type: "object", properties: { table: { type: "string" } }, required: ["table"] } as const;

  app.get(
    "/api/v1/db/tables",
    { schema: { summary: "Seed 003's table list without a database: 404 DATABASE_REQUIRED naming GET /api/v1/db/databases/{database}/tables", tags: ["databases"], response: { ...errorResponses } } },
    async () => {
      const use = "/api/v1/db/databases/{database}/tables";
      const databases = ready().map((database) => database.name);
      throw new ApiErrorException(apiError("DATABASE_REQUIRED", `Tables belong to a database; list them with GET ${use} (databases: ${databases.join(", ")}).`, "core.http", { use, databases }));
    },
  );
  app.get<{ Params: { table: string } }>(
    "/api/v1/db/tables/:table",
    { schema: { summary: "Seed 003's table page without a database: 307 to the one database holding the table, else 404 DATABASE_REQUIRED", tags: ["records"], params: tableParams, response: redirectSchema } },
    async (request, reply) => redirectOrExplain(request, reply, request.params.table, ""),
  );
  app.get<{ Params: { table: string } }>(
    "/api/v1/db/tables/:table/schema",
    { schema: { summary: "Seed 003's table schema without a database: 307 to the one database holding the table, else 404 DATABASE_REQUIRED", tags: ["databases"], params: tableParams, response: redirectSchema } },
    async (request, reply) => redirectOrExplain(request, reply, request.params.table, "/schema"),
  );
}
