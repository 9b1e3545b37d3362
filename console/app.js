// The console shell: hash routes (#/, #/db/<db>/<table>, #/schema/<db>/<table>, #/erd/<db>), token prompt.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { Overview } from "./overview.js";
import { TableView } from "./table-view.js";
import { SchemaView } from "./schema-view.js";
import { ErdView } from "./erd-view.js";
import { TokenPrompt } from "./token-prompt.js";
import { MigrationsView } from "./migrations-view.js";
import { OperationsView } from "./operations-view.js";

function currentRoute() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter((part) => part !== "").map(decodeURIComponent);
  return { page: parts[0] ?? "overview", args: parts.slice(1) };
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  const [database, table, recordId] = route.args;
  let page;
  if (route.page === "db" && table !== undefined) page = html`<${TableView} key=${`${database}.${table}.${recordId ?? ""}`} database=${database} table=${table} recordId=${recordId} />`;
  else if (route.page === "schema" && table !== undefined) page = html`<${SchemaView} database=${database} table=${table} />`;
  else if (route.page === "erd" && database !== undefined) page = html`<${ErdView} database=${database} />`;
  else if (route.page === "migrations") page = html`<${MigrationsView} />`;
  else if (route.page === "operations") page = html`<${OperationsView} />`;
  else page = html`<${Overview} />`;
  return html`
    <header class="bar">
      <a href="#/" class="brand"><strong>moduledb</strong> console</a>
      <nav aria-label="sections" class="sections"><a href="#/">Overview</a><a href="#/migrations">Migrations</a><a href="#/operations">Operations</a></nav>
      <${TokenPrompt} />
    </header>
    <main class="page">${page}</main>`;
}

render(html`<${App} />`, document.getElementById("app"));
