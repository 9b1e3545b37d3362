/**
 * Rewrites `?` placeholders as PostgreSQL's `$1`, `$2`… in order, leaving alone every `?` inside
 * quoted text (`'…'`, `E'…'`, dollar-quoted `$tag$…$tag$`), quoted identifiers (`"…"`) and
 * comments (`-- …`, nested block comments). SQL that already uses `$n` and no `?` comes back as is.
 */
export function numberedPlaceholders(sql: string): string {
  if (!sql.includes("?")) return sql;
  let out = "";
  let count = 0;
  let index = 0;
  const length = sql.length;
  while (index < length) {
    const character = sql[index] as string;
    const next = sql[index + 1];
    if (character === "?") {
      count += 1;
      out += `$${count}`;
      index += 1;
    } else if (character === "'") {
      // E'…' strings take backslash escapes; standard strings only double their quotes.
      const previous = sql[index - 1];
      const escapes = (previous === "E" || previous === "e") && !/[A-Za-z0-9_]/.test(sql[index - 2] ?? "");
      const end = endOfQuoted(sql, index, "'", escapes);
      out += sql.slice(index, end);
      index = end;
    } else if (character === '"') {
      const end = endOfQuoted(sql, index, '"', false);
      out += sql.slice(index, end);
      index = end;
    } else if (character === "-" && next === "-") {
      const newline = sql.indexOf("\n", index);
      const end = newline === -1 ? length : newline;
      out += sql.slice(index, end);
      index = end;
    } else if (character === "/" && next === "*") {
      const end = endOfBlockComment(sql, index);
      out += sql.slice(index, end);
      index = end;
    } else if (character === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index));
      // `$1` (a numbered placeholder) is not a dollar quote; `$$` and `$tag$` are.
      if (tag !== null && !/[A-Za-z0-9_]/.test(sql[index - 1] ?? "")) {
        const close = sql.indexOf(tag[0], index + tag[0].length);
        const end = close === -1 ? length : close + tag[0].length;
        out += sql.slice(index, end);
        index = end;
      } else {
        out += character;
        index += 1;
      }
    } else {
      out += character;
      index += 1;
    }
  }
  return out;
}

function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const character = sql[index];
    if (backslashEscapes && character === "\\") {
      index += 2;
      continue;
    }
    if (character === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return sql.length;
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql[index] === "/" && sql[index + 1] === "*") {
      depth += 1;
      index += 2;
    } else if (sql[index] === "*" && sql[index + 1] === "/") {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  return sql.length;
}
