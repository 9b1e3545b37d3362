/**
 * What a child process wrote to stderr besides slow-statement warnings. Tests that assert a
 * process reported no problem use it: on a loaded machine a plain COMMIT can pass `SLOW_QUERY_MS`,
 * and the warning the framework then logs (by design, on stderr outside a server) is not an error.
 */
export function stderrWithoutSlowStatements(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !isSlowStatementWarning(line))
    .join("\n")
    .trim();
}

function isSlowStatementWarning(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
    return parsed.level === "warn" && parsed.msg === "slow statement";
  } catch {
    return false;
  }
}
