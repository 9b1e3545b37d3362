// The database's ER diagram: the server's SVG shown as an image (blob: URL, allowed by the CSP), Mermaid text beside it.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api, dbPath } from "./api.js";

export function ErdView({ database }) {
  const [url, setUrl] = useState(undefined);
  const [mermaid, setMermaid] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    let made;
    api("GET", `${dbPath(database)}/erd?format=svg`).then((svg) => {
      made = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      setUrl(made);
    }, (problem) => setError(problem.message));
    api("GET", `${dbPath(database)}/erd?format=mermaid`).then(setMermaid, () => undefined);
    return () => made && URL.revokeObjectURL(made);
  }, [database]);
  return html`
    <section class="erd-view">
      <h1>ER diagram: <a href="#/">${database}</a></h1>
      <p class="error" role="status">${error}</p>
      <div class="diagram">${url ? html`<img src=${url} alt=${`ER diagram of ${database}`} />` : html`<p class="muted">Loading…</p>`}</div>
      <details><summary>Mermaid source</summary><pre>${mermaid}</pre></details>
    </section>`;
}
