// One record, every visible column, with edit and delete where the table is writable.
import { html } from "./html.js";

export function RecordView({ record, columns, writable, onEdit, onDelete, onClose }) {
  return html`
    <section class="record-view" aria-label="record">
      <h2>Record</h2>
      <dl>${columns.map((column) => html`<dt>${column.name}</dt><dd>${record[column.name] === null || record[column.name] === undefined ? html`<span class="muted">null</span>` : typeof record[column.name] === "object" ? JSON.stringify(record[column.name]) : String(record[column.name])}</dd>`)}</dl>
      <div class="actions">
        ${writable && html`<button type="button" onClick=${onEdit}>Edit</button>
        <button type="button" onClick=${onDelete}>Delete</button>`}
        <button type="button" onClick=${onClose}>Close</button>
      </div>
    </section>`;
}
