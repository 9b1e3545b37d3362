import type { FastifyInstance, FastifyRequest } from "fastify";
import { apiError } from "../errors/api-error";
import { sendApiError } from "../errors/error-handler";

/** Host names a server without tokens answers to: only this machine's own names. */
export const LOOPBACK_HOST_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

/** `name` or `name:port` in lower case, the brackets of an IPv6 literal kept. */
function splitHost(host: string): { name: string; port: string | undefined } {
  const value = host.trim().toLowerCase();
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(value);
  if (bracketed !== null) return { name: bracketed[1] as string, port: bracketed[2] };
  const plain = /^([^:]+)(?::(\d+))?$/.exec(value);
  return plain === null ? { name: value, port: undefined } : { name: plain[1] as string, port: plain[2] };
}

/**
 * True when a `Host` header names an allowed host: one of {@link LOOPBACK_HOST_NAMES} or `extra`
 * (ALLOWED_HOSTS), with no port or the port the request came in on. An entry of `extra` that
 * carries a port allows only that port.
 */
export function hostAllowed(header: string | undefined, localPort: number | undefined, extra: readonly string[] = []): boolean {
  if (header === undefined || header === "") return false;
  const { name, port } = splitHost(header);
  if (port !== undefined && localPort !== undefined && port !== String(localPort)) {
    return extra.some((entry) => entry.trim().toLowerCase() === `${name}:${port}`);
  }
  return (LOOPBACK_HOST_NAMES as readonly string[]).includes(name) || extra.some((entry) => splitHost(entry).name === name);
}

function localPortOf(request: FastifyRequest): number | undefined {
  return request.socket?.localPort ?? undefined;
}

/**
 * Refuses requests whose `Host` header is not this machine's (403 HOST_NOT_ALLOWED) — the defence
 * against DNS rebinding for a server without tokens: a web page whose name was made to resolve to
 * 127.0.0.1 still sends its own name as Host. Runs first, before anything else looks at the request.
 */
export function registerHostCheck(app: FastifyInstance, allowedHosts: readonly string[]): void {
  app.addHook("onRequest", async (request, reply) => {
    if (hostAllowed(request.headers.host, localPortOf(request), allowedHosts)) return;
    const allowed = [...LOOPBACK_HOST_NAMES, ...allowedHosts].join(", ");
    return sendApiError(
      request,
      reply,
      apiError("HOST_NOT_ALLOWED", `This server answers only to ${allowed} (set ALLOWED_HOSTS to add names, or configure API tokens).`, "core.http", { host: request.headers.host ?? null }),
    );
  });
}
