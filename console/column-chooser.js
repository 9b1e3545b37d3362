// Which columns the table shows; every column is on until switched off.
import { html } from "./html.js";

export function ColumnChooser({ columns, hidden, onChange }) {
  const toggle = (name) => onChange(hidden.includes(name) ? hidden.filter((other) => other !== name) : [...hidden, name]);
  return html`
    <details class="chooser">
      <summary>Columns (${columns.length - hidden.length}/${columns.length})</summary>
      <fieldset>
        <legend class="sr-only">visible columns</legend>
        ${columns.map((column) => html`<label><input type="checkbox" checked=${!hidden.includes(column.name)} onChange=${() => toggle(column.name)} /> ${column.name}</label>`)}
      </fieldset>
    </details>`;
}
