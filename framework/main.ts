import "reflect-metadata";
import { bootFramework } from "./boot/boot-framework";
import { BootError } from "./boot/boot-error";
import { renderSummary, summarizeDatabases } from "./summary/boot-summary";

/**
 * `npm start`: boots the framework (creating every database), prints a one-screen summary and
 * shuts down cleanly. Exit code 1 when boot fails.
 */
async function main(): Promise<void> {
  const framework = await bootFramework();
  try {
    console.log(renderSummary(framework, await summarizeDatabases(framework)));
  } finally {
    await framework.shutdown();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BootError ? `Boot failed [${error.code}]: ${error.message}` : error);
  process.exitCode = 1;
});
