// The console's only way to the server: the public REST API, with the token from sessionStorage.
const TOKEN_KEY = "moduledb.token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(value) {
  if (value === "") sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

/** An API error with the body's code, message and details, so forms can show them by field. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? "HTTP_ERROR";
    this.details = body?.error?.details ?? {};
  }
}

/** Calls the API; JSON in, JSON (or text for non-JSON answers) out; throws ApiError on 4xx/5xx. */
export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (token() !== "") headers.authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get("content-type") ?? "";
  const parsed = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof parsed === "object" ? parsed : undefined);
  return parsed;
}

export const dbPath = (database) => `/api/v1/db/databases/${encodeURIComponent(database)}`;
export const tablePath = (database, table) => `${dbPath(database)}/tables/${encodeURIComponent(table)}`;
