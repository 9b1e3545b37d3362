import "reflect-metadata";
import { bootFramework } from "./boot/boot-framework";
import { BootError } from "./boot/boot-error";
import { loadHttpSettings } from "./http/http-settings";
import { isAddressInUse, portAvailable, portInUseMessage } from "./http/port-check";
import { serveHttp, stopOnSignals } from "./http/serve-http";
import { renderSummary, summarizeDatabases } from "./summary/boot-summary";

/**
 * `npm start`: checks the HTTP settings and that the port is free (before any database is opened),
 * boots the framework (creating every database), prints a one-screen summary naming every change
 * boot applied on its own, then serves the REST API until SIGINT/SIGTERM, when it stops accepting,
 * finishes in-flight requests and closes every database. Exit code 1 when settings or boot fail or
 * the port is taken.
 */
async function main(): Promise<void> {
  const settings = loadHttpSettings();
  if (settings.isErr()) {
    console.error(settings.error.message);
    process.exitCode = 1;
    return;
  }
  if (!(await portAvailable(settings.value.host, settings.value.port))) {
    console.error(portInUseMessage(settings.value.port));
    process.exitCode = 1;
    return;
  }
  const framework = await bootFramework({ role: "server" });
  let server;
  try {
    console.log(renderSummary(framework, await summarizeDatabases(framework)));
    server = await serveHttp(framework, settings.value);
  } catch (error) {
    await framework.shutdown();
    if (isAddressInUse(error)) {
      // Taken between the check and the listen.
      console.error(portInUseMessage(settings.value.port));
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  // Handlers first: whoever reads the "listening" line may signal at once.
  stopOnSignals(server, (error) => {
    if (error !== undefined) {
      console.error("Shutdown failed:", error);
      process.exitCode = 1;
    }
  });
  for (const change of framework.automaticChanges) server.app.log.info({ database: change.database, kind: change.kind }, `applied at boot: ${change.description}`);
  console.log(`moduledb API listening on ${server.url} (OpenAPI: ${server.url}/api/v1/openapi.json)${settings.value.apiToken === undefined && (settings.value.tokens?.length ?? 0) === 0 ? "" : "; routes need a bearer token (API_TOKEN or API_TOKENS_FILE)"}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof BootError ? `Boot failed [${error.code}]: ${error.message}` : error);
  process.exitCode = 1;
});
