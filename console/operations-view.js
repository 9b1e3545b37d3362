// Operations: health (the probe of every database) and the operations log (boots, migrations, backups, restores, refusals).
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api } from "./api.js";

export function OperationsView() {
  const [health, setHealth] = useState(undefined);
  const [operations, setOperations] = useState(undefined);
  const [error, setError] = useState("");
  const refresh = () => {
    fetch("/health").then((response) => response.json()).then(setHealth, (problem) => setError(problem.message));
    api("GET", "/api/v1/db/operations?limit=50").then((body) => setOperations(body.operations), (problem) => setError(problem.message));
  };
  useEffect(refresh, []);
  return html`
    <section class="operations-view">
      <h1>Operations</h1>
      <p class="error status-line" role="status">${error}</p>
      <h2>Health <button type="button" onClick=${refresh}>Check now</button></h2>
      <pre class="health">${health === undefined ? "Loading…" : JSON.stringify(health, null, 2)}</pre>
      <h2>Operations log</h2>
      ${operations === undefined
        ? html`<p class="muted">Loading…</p>`
        : html`<table class="grid compact"><thead><tr><th>at</th><th>kind</th><th>database</th><th>actor</th><th>outcome</th><th>message</th></tr></thead>
            <tbody>${operations.map((entry) => html`<tr><td>${entry.at}</td><td>${entry.kind}</td><td>${entry.database ?? ""}</td><td>${entry.actor}</td><td><span class=${`pill ${entry.outcome === "ok" ? "ok" : "bad"}`}>${entry.outcome}</span></td><td>${entry.message}</td></tr>`)}</tbody></table>`}
    </section>`;
}
