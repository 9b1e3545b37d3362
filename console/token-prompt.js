// The API token, kept for this tab only (sessionStorage); needed for writes when the server has one.
import { useState } from "preact/hooks";
import { html } from "./html.js";
import { setToken, token } from "./api.js";

export function TokenPrompt() {
  const [value, setValue] = useState(token());
  const [saved, setSaved] = useState(token() !== "");
  const save = (event) => {
    event.preventDefault();
    setToken(value.trim());
    setSaved(value.trim() !== "");
  };
  return html`
    <form class="token" onSubmit=${save}>
      <label for="api-token">API token</label>
      <input id="api-token" type="password" autocomplete="off" value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
      <button type="submit">${saved ? "Update" : "Use"}</button>
    </form>`;
}
