import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance, FastifyReply } from "fastify";
import { consoleFolder, readConsoleFile, vendorModules } from "./console-assets";

const IMPORT_MAP = JSON.stringify({ imports: { preact: "/ui/vendor/preact.mjs", "preact/hooks": "/ui/vendor/hooks.mjs", htm: "/ui/vendor/htm.mjs" } });
const IMPORT_MAP_HASH = createHash("sha256").update(IMPORT_MAP).digest("base64");

/**
 * Only our own origin, no inline code except the import map (allowed by its hash), no frames, no
 * plugins, no fonts or anything else from elsewhere. SVG diagrams are fetched as text and shown as
 * images from blob: URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${IMPORT_MAP_HASH}'`,
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>moduledb console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/app/styles.css">
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/ui/app/app.js"></script>
</head>
<body><div id="app"><header class="bar"><strong>moduledb</strong></header><main class="page" aria-busy="true"><p class="muted">Loading…</p></main></div></body>
</html>
`;

function secured(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .type(type)
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-cache");
}

/**
 * `/ui`: the admin console (Preact + htm from the installed packages, our modules from `console/`),
 * and `/` redirecting to it. The console talks to the public REST API only. These routes carry no
 * schema, so they stay out of the OpenAPI document.
 */
export async function consoleRoutes(app: FastifyInstance): Promise<void> {
  const folder = consoleFolder();
  const vendor = vendorModules();
  const vendorText = new Map(Object.entries(vendor).map(([name, file]) => [name, readFileSync(file, "utf8")]));

  // The console's shell holds no data: everything it shows comes through the API with the token the
  // person enters in it, so the shell itself is public (as the OpenAPI document is).
  const shell = { config: { scope: "public" } };
  app.get("/", shell, async (_request, reply) => reply.redirect("/ui/", 302));
  app.get("/ui", shell, async (_request, reply) => reply.redirect("/ui/", 302));
  app.get("/ui/", shell, async (_request, reply) => secured(reply, "text/html; charset=utf-8").send(INDEX_HTML));
  app.get<{ Params: { file: string } }>("/ui/vendor/:file", shell, async (request, reply) => {
    const text = vendorText.get(request.params.file);
    if (text === undefined) return reply.callNotFound();
    return secured(reply, "text/javascript; charset=utf-8").send(text);
  });
  app.get<{ Params: { file: string } }>("/ui/app/:file", shell, async (request, reply) => {
    const text = readConsoleFile(folder, request.params.file);
    if (text === undefined) return reply.callNotFound();
    return secured(reply, request.params.file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").send(text);
  });
}
