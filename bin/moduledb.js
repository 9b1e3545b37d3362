#!/usr/bin/env node
// The `moduledb` command: runs the compiled CLI (build it with `npm run build`).
const path = require("node:path");
const fs = require("node:fs");

const compiled = path.join(__dirname, "..", "dist", "framework", "cli", "main.js");
if (!fs.existsSync(compiled)) {
  process.stderr.write("moduledb: the CLI is not built yet; run `npm run build` first.\n");
  process.exit(1);
}
require(compiled)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
