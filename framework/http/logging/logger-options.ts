import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import type { LogLevel } from "../http-settings";

/** Where log lines go; pino's default is stdout. */
export interface LogDestination {
  write(line: string): void;
}

/** Query parameter names whose values are never logged, whatever the table. */
const SECRET_PARAMETER = /token|password|secret|passwd|api[_-]?key|hash/i;
const REDACTED = "[redacted]";
const REQUEST_ID_HEADER = "x-request-id";

/**
 * The URL as it is safe to log: values of filters on sensitive columns (and of parameters that
 * look like secrets) are replaced, so a hostile or careless query cannot put a hash in the logs.
 */
export function redactUrl(url: string, sensitiveColumns: ReadonlySet<string>): string {
  const question = url.indexOf("?");
  if (question === -1) return url;
  const pairs = url.slice(question + 1).split("&").map((pair) => {
    const equals = pair.indexOf("=");
    if (equals === -1) return pair;
    const key = pair.slice(0, equals);
    let decoded = key;
    try {
      decoded = decodeURIComponent(key.replace(/\+/g, " "));
    } catch {
      // Keep the raw key; it is only compared, never trusted.
    }
    const column = /^filter\[([^\]]*)\]/.exec(decoded)?.[1];
    const secret = SECRET_PARAMETER.test(decoded) || (column !== undefined && sensitiveColumns.has(column));
    return secret ? `${key}=${REDACTED}` : pair;
  });
  return `${url.slice(0, question)}?${pairs.join("&")}`;
}

/** A request id: the caller's `X-Request-Id` when it is short and plain, otherwise a new UUID. */
export function requestId(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  return typeof header === "string" && /^[A-Za-z0-9._:-]{1,64}$/.test(header) ? header : randomUUID();
}

/**
 * pino options for Fastify's logger: request ids on every line, and nothing secret. Request
 * bodies are never logged; the Authorization and Cookie headers are redacted should any
 * serializer include headers; URLs go through {@link redactUrl}.
 */
export function loggerOptions(level: LogLevel, sensitiveColumns: ReadonlySet<string>, destination?: LogDestination) {
  return {
    level,
    ...(destination === undefined ? {} : { stream: destination }),
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", 'res.headers["set-cookie"]'], censor: REDACTED },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url, sensitiveColumns), remoteAddress: request.ip };
      },
    },
  };
}

/** The response header carrying the request id back to the client. */
export const REQUEST_ID_RESPONSE_HEADER = REQUEST_ID_HEADER;
