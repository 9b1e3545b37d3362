import "reflect-metadata";
import { bootFramework } from "./boot/boot-framework";
import { BootError } from "./boot/boot-error";
import { loadHttpSettings } from "./http/http-settings";
import { serveHttp, stopOnSignals } from "./http/serve-http";
import { renderSummary, summarizeDatabases } from "./summary/boot-summary";

/**
 * `npm start`: checks the HTTP settings, boots the framework (creating every database), prints a
 * one-screen summary, then serves the REST API until SIGINT/SIGTERM, when it stops accepting,
 * finishes in-flight requests and closes every database. Exit code 1 when settings or boot fail.
 */
async function main(): Promise<void> {
  const settings = loadHttpSettings();
  if (settings.isErr()) {
    console.error(settings.error.message);
    process.exitCode = 1;
    return;
  }
  const framework = await bootFramework();
  let server;
  try {
    console.log(renderSummary(framework, await summarizeDatabases(framework)));
    server = await serveHttp(framework, settings.value);
  } catch (error) {
    await framework.shutdown();
    throw error;
  }
  // Handlers first: whoever reads the "listening" line may signal at once.
  stopOnSignals(server, (error) => {
    if (error !== undefined) {
      console.error("Shutdown failed:", error);
      process.exitCode = 1;
    }
  });
  console.log(`moduledb API listening on ${server.url} (OpenAPI: ${server.url}/api/v1/openapi.json)${settings.value.apiToken === undefined ? "" : "; writing routes need the API_TOKEN bearer token"}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof BootError ? `Boot failed [${error.code}]: ${error.message}` : error);
  process.exitCode = 1;
});
