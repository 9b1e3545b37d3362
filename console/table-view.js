// One table: paging, multi-column sort, filters, column chooser, FK links, record view, create/edit/delete.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api, tablePath } from "./api.js";
import { FilterBar } from "./filter-bar.js";
import { ColumnChooser } from "./column-chooser.js";
import { Pager } from "./pager.js";
import { RecordForm } from "./record-form.js";
import { RecordView } from "./record-view.js";

function queryString(state) {
  const params = new URLSearchParams({ page: String(state.page), page_size: String(state.pageSize) });
  if (state.sort.length > 0) params.set("sort", state.sort.map((item) => `${item.desc ? "-" : ""}${item.column}`).join(","));
  for (const filter of state.filters) params.append(`filter[${filter.column}][${filter.operator}]`, filter.value);
  return params.toString();
}

/** Click sorts by one column (asc, desc, off); shift+click adds it to the sort keys. */
function nextSort(sort, column, add) {
  const current = sort.find((item) => item.column === column);
  const next = current === undefined ? { column, desc: false } : current.desc ? undefined : { column, desc: true };
  const others = add ? sort.filter((item) => item.column !== column) : [];
  if (add && current !== undefined) return sort.map((item) => (item.column === column ? next : item)).filter(Boolean);
  return next === undefined ? others : [...others, next];
}

export function TableView({ database, table, recordId }) {
  const [schema, setSchema] = useState(undefined);
  // The access policy as the API states it: a `read` table offers no create, edit or delete.
  const [access, setAccess] = useState("read");
  const [state, setState] = useState({ page: 1, pageSize: 25, sort: [], filters: [] });
  const [hidden, setHidden] = useState([]);
  const [page, setPage] = useState(undefined);
  const [error, setError] = useState("");
  const [mode, setMode] = useState(undefined);
  const [selected, setSelected] = useState(undefined);
  const [reloads, setReloads] = useState(0);
  const base = tablePath(database, table);

  useEffect(() => {
    api("GET", `${base}/schema`).then((body) => (setAccess(body.access ?? "read-write"), setSchema(body.schema_definition)), (problem) => setError(problem.message));
  }, [base]);
  useEffect(() => {
    if (recordId === undefined) return;
    api("GET", `${base}/records/${encodeURIComponent(recordId)}`).then((body) => setSelected(body.record ?? body.data ?? body), (problem) => setError(problem.message));
  }, [base, recordId]);
  useEffect(() => {
    api("GET", `${base}?${queryString(state)}`).then(
      (body) => (setPage(body), setError("")),
      (problem) => setError(`${problem.code}: ${problem.message}`),
    );
  }, [base, state, reloads]);

  const writable = schema !== undefined && access === "read-write";
  const columns = schema?.columns ?? [];
  const primary = columns.find((column) => column.primary)?.name;
  const foreign = new Map((schema?.foreign_keys ?? []).filter((key) => key.columns.length === 1).map((key) => [key.columns[0], key.referenced_table]));
  const shown = columns.filter((column) => !hidden.includes(column.name));
  const update = (change) => setState({ ...state, ...change });
  const idOf = (record) => encodeURIComponent(String(record[primary]));

  const save = async (body) => {
    if (mode === "create") await api("POST", `${base}/records`, body);
    else await api("PATCH", `${base}/records/${idOf(selected)}`, body);
    setMode(undefined);
    setSelected(undefined);
    setReloads(reloads + 1);
  };
  const remove = async (record) => {
    if (!confirm(`Delete ${table} ${record[primary]}?`)) return;
    await api("DELETE", `${base}/records/${idOf(record)}`).then(() => (setSelected(undefined), setReloads(reloads + 1)), (problem) => setError(problem.message));
  };
  const cell = (record, column) => {
    const value = record[column.name];
    const text = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    const target = foreign.get(column.name);
    if (target !== undefined && value !== null && value !== undefined) return html`<a href=${`#/db/${encodeURIComponent(database)}/${encodeURIComponent(target)}/${encodeURIComponent(text)}`} title=${`${target} ${text}`}>${text} →</a>`;
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  };
  const sortMark = (name) => {
    const index = state.sort.findIndex((item) => item.column === name);
    if (index < 0) return "";
    return `${state.sort[index].desc ? " ▼" : " ▲"}${state.sort.length > 1 ? index + 1 : ""}`;
  };
  const ariaSort = (name) => {
    const item = state.sort.find((candidate) => candidate.column === name);
    return item === undefined ? undefined : item.desc ? "descending" : "ascending";
  };

  return html`
    <section class="table-view">
      <h1><a href="#/">${database}</a>.${table}</h1>
      <div class="toolbar">
        ${writable ? html`<button type="button" onClick=${() => (setSelected(undefined), setMode("create"))}>New record</button>` : html`<span class="muted read-only-note">read-only table</span>`}
        <a href=${`#/schema/${encodeURIComponent(database)}/${encodeURIComponent(table)}`}>Schema</a>
        <a href=${`#/erd/${encodeURIComponent(database)}`}>ER diagram</a>
        ${schema && html`<${ColumnChooser} columns=${columns} hidden=${hidden} onChange=${setHidden} />`}
      </div>
      ${schema && html`<${FilterBar} columns=${columns} filters=${state.filters} onChange=${(filters) => update({ filters, page: 1 })} />`}
      <p class="error status-line" role="status">${error}</p>
      ${mode !== undefined && writable && html`<${RecordForm} key=${`${mode}-${selected?.[primary] ?? "new"}`} columns=${columns} record=${selected} mode=${mode} onSubmit=${save} onCancel=${() => setMode(undefined)} />`}
      ${mode === undefined && selected && html`<${RecordView} record=${selected} columns=${columns} writable=${writable} onEdit=${() => setMode("edit")} onDelete=${() => remove(selected)} onClose=${() => setSelected(undefined)} />`}
      <div class="scroll" aria-busy=${page === undefined ? "true" : "false"}>
        <table class="grid records">
          <thead><tr>
            ${shown.map((column) => html`<th aria-sort=${ariaSort(column.name)}><button type="button" class="sort" title="click: sort; shift+click: add to sort" onClick=${(event) => update({ sort: nextSort(state.sort, column.name, event.shiftKey), page: 1 })}>${column.name}${sortMark(column.name)}</button></th>`)}
            <th><span class="sr-only">actions</span></th>
          </tr></thead>
          <tbody>
            ${(page?.records ?? []).map(
              (record) => html`<tr data-id=${String(record[primary])}>
                ${shown.map((column) => html`<td>${cell(record, column)}</td>`)}
                <td class="row-actions">
                  <button type="button" onClick=${() => (setMode(undefined), setSelected(record))}>View</button>
                  ${writable && html`<button type="button" onClick=${() => (setSelected(record), setMode("edit"))}>Edit</button>
                  <button type="button" onClick=${() => remove(record)}>Delete</button>`}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <${Pager} page=${page?.page ?? state.page} totalPages=${page?.total_pages ?? 1} totalRecords=${page?.total_records ?? 0} pageSize=${state.pageSize} onPage=${(next) => update({ page: next })} onPageSize=${(size) => update({ pageSize: size, page: 1 })} />
    </section>`;
}
