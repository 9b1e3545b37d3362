import "reflect-metadata";
import { SUITES } from "./suites";

/** `npm run bench [-- suite ...]`: runs the named suites (all by default) and prints their figures. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown suite(s): ${unknown.join(", ")}. Known: ${SUITES.map((suite) => suite.name).join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const chosen = wanted.length === 0 ? SUITES : SUITES.filter((suite) => wanted.includes(suite.name));
  for (const suite of chosen) {
    console.log(`\n== ${suite.name}: ${suite.description}`);
    await suite.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
