// Create/edit form generated from the table schema; the API's error message goes beside its field.
import { useState } from "preact/hooks";
import { html } from "./html.js";

const NUMERIC = /int|real|float|double|decimal|numeric/i;

function inputFor(column) {
  const type = column.type.toLowerCase();
  if (type.includes("bool")) return { kind: "checkbox" };
  if (NUMERIC.test(type)) return { kind: "number", step: /int/i.test(type) ? "1" : "any" };
  if (type.includes("datetime") || type.includes("timestamp")) return { kind: "text", placeholder: "2026-01-31T12:00:00Z" };
  if (type.includes("json")) return { kind: "textarea", placeholder: "JSON" };
  if (type === "text") return { kind: "textarea" };
  return { kind: "text" };
}

function toValue(column, raw) {
  const input = inputFor(column);
  if (input.kind === "checkbox") return raw === true;
  if (raw === "" || raw === undefined) return column.nullable ? null : undefined;
  if (input.kind === "number") return Number(raw);
  if (column.type.toLowerCase().includes("json")) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

function initial(column, record) {
  const value = record?.[column.name];
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : value;
}

/** Editable columns: generated ones (ids, timestamps) are filled in by the database. */
export const editableColumns = (columns, mode) => columns.filter((column) => !column.generated && !(mode === "edit" && column.primary));

export function RecordForm({ columns, record, mode, onSubmit, onCancel }) {
  const fields = editableColumns(columns, mode);
  const [values, setValues] = useState(Object.fromEntries(fields.map((column) => [column.name, initial(column, record)])));
  const [error, setError] = useState(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const body = {};
    for (const column of fields) {
      const value = toValue(column, values[column.name]);
      if (value !== undefined && (mode === "create" || value !== record?.[column.name])) body[column.name] = value;
    }
    setBusy(true);
    const outcome = await onSubmit(body).catch((problem) => problem);
    setBusy(false);
    setError(outcome instanceof Error ? outcome : undefined);
  };
  const fieldError = (name) => (error?.details?.column === name || error?.details?.field === name ? error.message : "");
  const general = error !== undefined && !fields.some((column) => fieldError(column.name) !== "") ? error.message : "";
  return html`
    <form class="record-form" onSubmit=${submit} aria-label=${mode === "create" ? "new record" : "edit record"} novalidate>
      <h2>${mode === "create" ? "New record" : "Edit record"}</h2>
      ${fields.map((column) => {
        const input = inputFor(column);
        const id = `field-${column.name}`;
        const message = fieldError(column.name);
        const required = !column.nullable && column.default === null;
        const common = { id, name: column.name, "aria-invalid": message !== "" ? "true" : undefined, "aria-describedby": `${id}-hint ${id}-error` };
        const onInput = (event) => setValues({ ...values, [column.name]: input.kind === "checkbox" ? event.currentTarget.checked : event.currentTarget.value });
        const control =
          input.kind === "checkbox"
            ? html`<input type="checkbox" ...${common} checked=${values[column.name] === true || values[column.name] === 1} onChange=${onInput} />`
            : input.kind === "textarea"
              ? html`<textarea ...${common} rows="2" placeholder=${input.placeholder ?? ""} onInput=${onInput}>${values[column.name]}</textarea>`
              : html`<input type=${input.kind} step=${input.step} ...${common} value=${values[column.name]} placeholder=${input.placeholder ?? ""} onInput=${onInput} />`;
        return html`
          <div class=${`field ${message ? "invalid" : ""}`}>
            <label for=${id}>${column.name}${required ? " *" : ""}</label>
            ${control}
            <small id=${`${id}-hint`} class="muted">${column.type}${column.length ? `, at most ${column.length}` : ""}${column.nullable ? ", optional" : ""}${column.default !== null ? `, default ${column.default}` : ""}</small>
            <small id=${`${id}-error`} class="error" role=${message ? "alert" : undefined}>${message}</small>
          </div>`;
      })}
      <p class="error" role=${general ? "alert" : undefined}>${general}</p>
      <div class="actions">
        <button type="submit" disabled=${busy}>${mode === "create" ? "Create" : "Save"}</button>
        <button type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}
