import type { FastifyInstance } from "fastify";
import { erdOf, ERD_CONTENT_TYPES, ERD_FORMATS, renderErd, type ErdFormat } from "../../erd";
import type { ApiContext } from "../api-context";
import { unwrapDb } from "../errors/unwrap";
import { databaseParamsSchema, errorResponses } from "../schemas/common-schemas";

interface ErdParams {
  readonly database: string;
}
interface ErdQuery {
  readonly format: ErdFormat;
}

/**
 * `GET /api/v1/db/databases/{db}/erd?format=mermaid|svg|dot`: the database's ER diagram generated
 * from its entity metadata (the same output as `moduledb erd`). `dot` is an addition to the two
 * formats the issue names.
 */
export async function erdRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get<{ Params: ErdParams; Querystring: ErdQuery }>(
    "/api/v1/db/databases/:database/erd",
    {
      schema: {
        summary: "The ER diagram of one database (Mermaid, SVG or Graphviz dot)",
        tags: ["databases"],
        params: databaseParamsSchema,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { type: "string", enum: [...ERD_FORMATS], default: "mermaid", description: "mermaid (text), svg (image) or dot (Graphviz)." } },
        },
        response: { 200: { type: "string", description: "The diagram document." }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const database = await unwrapDb(context.framework.databases.get(request.params.database));
      void reply.type(ERD_CONTENT_TYPES[request.query.format]);
      // Over HTTP the diagram obeys the access policy: a hidden table is not drawn.
      const access = context.framework.access;
      return renderErd(erdOf(database, (table) => access.tableAccess(database.name, table) !== "hidden"), request.query.format);
    },
  );
}
