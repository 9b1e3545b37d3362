// Overview: modules with health, databases with engine, tables and row counts, pending migrations; refreshed every 5 s.
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { api, tablePath } from "./api.js";

async function loadOverview() {
  const status = await api("GET", "/api/v1/db/status");
  const rows = {};
  await Promise.all(
    status.databases
      .filter((database) => database.state === "ready")
      .flatMap((database) =>
        database.tables.map(async (table) => {
          const page = await api("GET", `${tablePath(database.name, table)}?page_size=1`).catch(() => undefined);
          rows[`${database.name}.${table}`] = page?.total_records;
        }),
      ),
  );
  const metrics = await api("GET", "/metrics?format=json").catch(() => undefined);
  return { status, rows, sizes: perDatabase(metrics) };
}

/** File size, WAL size and lock retries of each database, from the JSON view of /metrics (absent when metrics are off). */
function perDatabase(metrics) {
  const byDatabase = {};
  const pick = (name, key) => {
    const family = Array.isArray(metrics) ? metrics.find((entry) => entry.name === name) : undefined;
    for (const value of family?.values ?? []) {
      const database = value.labels?.database;
      if (database !== undefined) byDatabase[database] = { ...byDatabase[database], [key]: value.value };
    }
  };
  pick("moduledb_database_file_bytes", "file");
  pick("moduledb_database_wal_bytes", "wal");
  pick("moduledb_lock_retries_total", "retries");
  return byDatabase;
}

function bytes(value) {
  if (value === undefined) return "–";
  if (value < 1024) return `${value} B`;
  return value < 1024 * 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

export function Overview() {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState("");
  useEffect(() => {
    let alive = true;
    const refresh = () => loadOverview().then((value) => alive && (setData(value), setError(""))).catch((problem) => alive && setError(problem.message));
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  if (data === undefined) return html`<section class="overview" aria-busy="true"><h1>Overview</h1><p class="muted">${error || "Loading…"}</p></section>`;
  const { status, rows, sizes } = data;
  return html`
    <section class="overview">
      <h1>Overview <span class=${`pill ${status.status}`}>${status.status}</span></h1>
      <p class="muted">engine ${status.engine} · data ${status.data_dir}${error ? ` · refresh failed: ${error}` : ""}</p>
      <h2>Modules</h2>
      <table class="grid">
        <thead><tr><th>module</th><th>database</th><th>health</th><th>problems</th></tr></thead>
        <tbody>${status.initialization.modules.map((module) => html`<tr><td>${module.name}</td><td>${module.database ?? ""}</td><td><span class=${`pill ${module.healthy ? "ok" : "bad"}`}>${module.healthy ? "healthy" : "unhealthy"}</span></td><td>${module.problems.join("; ")}</td></tr>`)}</tbody>
      </table>
      <h2>Databases</h2>
      <div class="cards">
        ${status.databases.map(
          (database) => html`
            <article class="card" data-database=${database.name}>
              <h3>${database.name} <span class=${`pill ${database.health?.healthy ? "ok" : "bad"}`}>${database.state}</span></h3>
              <p class="muted">${status.engine} · ${database.file}</p>
              <p class="sizes">file ${bytes(sizes[database.name]?.file)} · WAL ${bytes(sizes[database.name]?.wal)} · lock retries ${sizes[database.name]?.retries ?? 0}</p>
              <p>pending migrations: <strong>${database.pending_migrations ?? "?"}</strong> · <a href=${`#/erd/${encodeURIComponent(database.name)}`}>ER diagram</a></p>
              <table class="grid compact">
                <thead><tr><th>table</th><th class="num">rows</th></tr></thead>
                <tbody>${database.tables.map((table) => html`<tr><td><a href=${`#/db/${encodeURIComponent(database.name)}/${encodeURIComponent(table)}`}>${table}</a></td><td class="num">${rows[`${database.name}.${table}`] ?? "–"}</td></tr>`)}</tbody>
              </table>
            </article>`,
        )}
      </div>
    </section>`;
}
