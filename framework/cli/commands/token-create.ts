import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { sha256Hex, TOKEN_SCOPES, type ApiTokenEntry, type TokenScope } from "../../access/api-tokens";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";

interface TokenCreateOptions extends JsonOption {
  readonly scopes: string;
  readonly databases?: string;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "");
}

/**
 * `token:create <name> --scopes read,write [--databases ciap]`: makes a random secret and prints it
 * once, with the entry to add to the API_TOKENS_FILE (which holds only its SHA-256). Changes nothing.
 */
export function registerTokenCreate(program: Command, _context: CliContext): void {
  withJson(
    program
      .command("token:create")
      .description("create an API token: prints the secret once and the API_TOKENS_FILE entry holding its SHA-256")
      .argument("<name>", "the token's name (recorded as the actor of its writes)")
      .requiredOption("--scopes <list>", `comma-separated: ${TOKEN_SCOPES.join(", ")}`)
      .option("--databases <list>", "comma-separated databases the token may reach (default: all)"),
  ).action((name: string, options: TokenCreateOptions) => {
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(name)) throw new CliFailure("VALIDATION_FAILED", `Token name '${name}' must be 1-100 letters, digits or _ . : -.`, { name });
    const scopes = list(options.scopes);
    const bad = scopes.find((scope) => !(TOKEN_SCOPES as readonly string[]).includes(scope));
    if (scopes.length === 0 || bad !== undefined) throw new CliFailure("VALIDATION_FAILED", `--scopes must list ${TOKEN_SCOPES.join(", ")}${bad === undefined ? "" : `; '${bad}' is not one`}.`, { scopes: options.scopes });
    const databases = list(options.databases);
    const secret = randomBytes(32).toString("base64url");
    const entry: ApiTokenEntry = { name, sha256: sha256Hex(secret), scopes: scopes as TokenScope[], ...(databases.length === 0 ? {} : { databases }) };
    output(options, { secret, entry }, () => `Secret (shown once, keep it safe): ${secret}\nAdd to the "tokens" list of your API_TOKENS_FILE:\n${JSON.stringify(entry, null, 2)}`);
  });
}
