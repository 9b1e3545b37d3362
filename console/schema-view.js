// A table's columns, indexes, foreign keys and checks, as the schema route describes them.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api, tablePath } from "./api.js";

export function SchemaView({ database, table }) {
  const [schema, setSchema] = useState(undefined);
  const [error, setError] = useState("");
  useEffect(() => {
    api("GET", `${tablePath(database, table)}/schema`).then((body) => setSchema(body.schema_definition), (problem) => setError(problem.message));
  }, [database, table]);
  const link = `#/db/${encodeURIComponent(database)}/${encodeURIComponent(table)}`;
  if (schema === undefined) return html`<section aria-busy="true"><h1>${database}.${table} schema</h1><p class="muted">${error || "Loading…"}</p></section>`;
  return html`
    <section class="schema-view">
      <h1><a href=${link}>${database}.${table}</a> schema</h1>
      <p><a href=${`#/erd/${encodeURIComponent(database)}`}>ER diagram of ${database}</a></p>
      <h2>Columns</h2>
      <table class="grid"><thead><tr><th>column</th><th>type</th><th>nullable</th><th>default</th><th>keys</th></tr></thead>
        <tbody>${schema.columns.map((column) => html`<tr><td>${column.name}</td><td>${column.type}${column.length ? `(${column.length})` : ""}</td><td>${column.nullable ? "yes" : "no"}</td><td>${column.default ?? ""}</td><td>${[column.primary ? "PK" : "", column.unique ? "unique" : "", column.generated ? (column.generation_strategy ?? "generated") : ""].filter(Boolean).join(", ")}</td></tr>`)}</tbody></table>
      <h2>Indexes</h2>
      ${schema.indexes.length === 0 ? html`<p class="muted">none</p>` : html`<table class="grid"><thead><tr><th>index</th><th>columns</th><th>unique</th></tr></thead><tbody>${schema.indexes.map((index) => html`<tr><td>${index.name}</td><td>${index.columns.join(", ")}</td><td>${index.unique ? "yes" : "no"}</td></tr>`)}</tbody></table>`}
      <h2>Foreign keys</h2>
      ${schema.foreign_keys.length === 0 ? html`<p class="muted">none</p>` : html`<table class="grid"><thead><tr><th>columns</th><th>references</th><th>on delete</th></tr></thead><tbody>${schema.foreign_keys.map((key) => html`<tr><td>${key.columns.join(", ")}</td><td><a href=${`#/db/${encodeURIComponent(database)}/${encodeURIComponent(key.referenced_table)}`}>${key.referenced_table}</a>(${key.referenced_columns.join(", ")})</td><td>${key.on_delete ?? ""}</td></tr>`)}</tbody></table>`}
      <h2>Checks</h2>
      ${schema.checks.length === 0 ? html`<p class="muted">none</p>` : html`<ul>${schema.checks.map((check) => html`<li><code>${check.expression}</code></li>`)}</ul>`}
    </section>`;
}
