/** Quotes an SQL identifier. Only names already matched against entity metadata reach this. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
