// Filters built with the API's operators: filter[column][operator]=value, all ANDed.
import { useState } from "preact/hooks";
import { html } from "./html.js";

export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "like", "isnull"];

export function FilterBar({ columns, filters, onChange }) {
  const [column, setColumn] = useState(columns[0]?.name ?? "");
  const [operator, setOperator] = useState("eq");
  const [value, setValue] = useState("");
  const add = (event) => {
    event.preventDefault();
    if (column === "") return;
    onChange([...filters, { column, operator, value: operator === "isnull" && value === "" ? "true" : value }]);
    setValue("");
  };
  return html`
    <form class="filters" onSubmit=${add} aria-label="filters">
      <label>column <select name="filter-column" value=${column} onChange=${(event) => setColumn(event.currentTarget.value)}>${columns.map((item) => html`<option value=${item.name}>${item.name}</option>`)}</select></label>
      <label>operator <select name="filter-operator" value=${operator} onChange=${(event) => setOperator(event.currentTarget.value)}>${OPERATORS.map((item) => html`<option value=${item}>${item}</option>`)}</select></label>
      <label>value <input name="filter-value" value=${value} placeholder=${operator === "in" || operator === "nin" ? "a,b,c" : operator === "isnull" ? "true / false" : ""} onInput=${(event) => setValue(event.currentTarget.value)} /></label>
      <button type="submit">Add filter</button>
      <ul class="chips">
        ${filters.map(
          (filter, index) => html`<li class="chip">${filter.column} ${filter.operator} ${filter.value}
            <button type="button" aria-label=${`remove filter ${filter.column} ${filter.operator}`} onClick=${() => onChange(filters.filter((_, other) => other !== index))}>×</button></li>`,
        )}
      </ul>
    </form>`;
}
