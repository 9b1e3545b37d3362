// Page controls; the bar keeps its height whatever the numbers, so nothing below it moves.
import { html } from "./html.js";

export function Pager({ page, totalPages, totalRecords, pageSize, onPage, onPageSize }) {
  return html`
    <nav class="pager" aria-label="pages">
      <button type="button" disabled=${page <= 1} onClick=${() => onPage(page - 1)}>‹ Previous</button>
      <span class="pager-text" aria-live="polite">page ${page} of ${Math.max(totalPages, 1)} · ${totalRecords} records</span>
      <button type="button" disabled=${page >= totalPages} onClick=${() => onPage(page + 1)}>Next ›</button>
      <label>per page <select name="page-size" value=${String(pageSize)} onChange=${(event) => onPageSize(Number(event.currentTarget.value))}>${[10, 25, 50, 100].map((size) => html`<option value=${String(size)}>${size}</option>`)}</select></label>
    </nav>`;
}
