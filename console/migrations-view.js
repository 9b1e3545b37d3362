// Migrations: status per database, the pending list, run (needs the token when one is set), history.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api } from "./api.js";

export function MigrationsView() {
  const [databases, setDatabases] = useState(undefined);
  const [message, setMessage] = useState("");
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    api("GET", "/api/v1/db/migrations/status").then((body) => setDatabases(body.databases), (problem) => setMessage(problem.message));
  }, [reloads]);
  const run = async (database) => {
    setMessage(`Running the pending migrations of ${database}…`);
    await api("POST", "/api/v1/db/migrations/run", { database }).then(
      () => setMessage(`Migrations of ${database} ran.`),
      (problem) => setMessage(`${problem.code}: ${problem.message}`),
    );
    setReloads(reloads + 1);
  };
  return html`
    <section class="migrations-view">
      <h1>Migrations</h1>
      <p class="error status-line" role="status">${message}</p>
      ${databases === undefined
        ? html`<p class="muted" aria-busy="true">Loading…</p>`
        : databases.map(
            (database) => html`
              <article class="card" data-database=${database.database}>
                <h2>${database.database} <span class="pill">${database.state}</span></h2>
                <p>${database.applied.length} applied · ${database.pending.length} pending${database.missing.length > 0 ? ` · missing files: ${database.missing.join(", ")}` : ""}${database.drift.length > 0 ? ` · ${database.drift.length} schema differences` : ""}</p>
                ${database.pending.length > 0 && html`<ul>${database.pending.map((entry) => html`<li>${entry.name}</li>`)}</ul><button type="button" onClick=${() => run(database.database)}>Run pending migrations</button>`}
                ${database.applied.length > 0 && html`<table class="grid compact"><thead><tr><th>applied migration</th><th>at</th><th>mode</th></tr></thead><tbody>${database.applied.map((entry) => html`<tr><td>${entry.name}</td><td>${entry.applied_at ?? ""}</td><td>${entry.mode ?? ""}</td></tr>`)}</tbody></table>`}
              </article>`,
          )}
    </section>`;
}
