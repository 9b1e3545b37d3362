import type { FastifyInstance } from "fastify";
import type { Framework } from "../boot/framework";
import { buildServer, type BuildServerOptions } from "./build-server";
import type { HttpSettings } from "./http-settings";
import { ServerState } from "./server-state";

/** A listening API server and how to stop it. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on (the real port when 0 was asked for). */
  readonly url: string;
  /**
   * Graceful stop: readiness turns 503, no new connections are accepted, in-flight requests
   * finish, then every database is closed. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/**
 * Builds the API, listens on `settings.host:settings.port`, announces the URL in the framework's
 * holder file (so the CLI carries out migrations through this server) and returns the running server.
 */
export async function serveHttp(framework: Framework, settings: HttpSettings, options: Omit<BuildServerOptions, "settings" | "state"> = {}): Promise<RunningServer> {
  const state = new ServerState();
  const app = buildServer(framework, { ...options, state, settings });
  await app.listen({ host: settings.host, port: settings.port });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : settings.port;
  const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  // Other processes on this host reach the API through loopback when it listens on every address.
  const reachable = settings.host === "0.0.0.0" ? "127.0.0.1" : settings.host === "::" ? "[::1]" : host;
  framework.announce(`http://${reachable}:${port}`);
  let stopping: Promise<void> | undefined;
  return {
    app,
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        state.markStopping();
        try {
          // Fastify's close stops the listener, closes idle keep-alive sockets and waits for in-flight requests.
          await app.close();
        } finally {
          await framework.shutdown();
        }
      })();
      return stopping;
    },
  };
}

/**
 * Stops `server` gracefully on the first SIGINT or SIGTERM; a second signal exits at once.
 * `onStopped` runs after the databases are closed.
 */
export function stopOnSignals(server: RunningServer, onStopped: (error?: unknown) => void): void {
  let received = false;
  const handle = (signal: NodeJS.Signals) => {
    if (received) {
      process.exit(130);
    }
    received = true;
    server.app.log.info({ signal }, "shutting down: finishing in-flight requests, then closing databases");
    server.stop().then(
      () => onStopped(),
      (error: unknown) => onStopped(error),
    );
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}
