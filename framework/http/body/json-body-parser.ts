import type { FastifyInstance } from "fastify";
import { apiError, ApiErrorException } from "../errors/api-error";

/** Deepest nesting of arrays and objects a JSON request body may have. */
export const MAX_JSON_DEPTH = 64;

/** Characters that open or close a level or a string; everything else is skipped natively. */
const STRUCTURE = /[[\]{}"]/g;
/** Inside a string: its end, or an escape (whose next character is skipped). */
const STRING_END = /["\\]/g;

/**
 * True when JSON text nests arrays and objects deeper than `limit`. One pass that jumps from one
 * bracket or quote to the next (strings skipped, escapes honoured) and stops as soon as the limit
 * is passed: no recursion, so no input can overflow the stack, and a 1 MB string costs about 1 ms.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  const structure = new RegExp(STRUCTURE);
  const stringEnd = new RegExp(STRING_END);
  let depth = 0;
  for (let match = structure.exec(text); match !== null; match = structure.exec(text)) {
    const char = match[0];
    if (char === '"') {
      stringEnd.lastIndex = structure.lastIndex;
      for (;;) {
        const end = stringEnd.exec(text);
        if (end === null) return false; // unterminated: the JSON parser reports it
        if (end[0] === "\\") {
          stringEnd.lastIndex += 1;
          continue;
        }
        structure.lastIndex = stringEnd.lastIndex;
        break;
      }
    } else if (char === "[" || char === "{") {
      depth += 1;
      if (depth > limit) return true;
    } else depth -= 1;
  }
  return false;
}

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype-poisoning checks included)
 * behind a depth check: a body nested deeper than {@link MAX_JSON_DEPTH} is refused with 400
 * VALIDATION_FAILED before anything walks it recursively. It is the only body parser: every other
 * content type (text/plain included) is refused with 415 UNSUPPORTED_MEDIA_TYPE.
 */
export function registerJsonBodyParser(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser("error", "error");
  // Fastify also reads text/plain by default; the API takes JSON only, so anything else is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (jsonDepthExceeds(text, maxDepth)) {
      done(new ApiErrorException(apiError("VALIDATION_FAILED", `The request body is nested more than ${maxDepth} levels deep.`, "core.http", { reason: "too_deep", max_depth: maxDepth })), undefined);
      return;
    }
    parse(request, text, done);
  });
}
