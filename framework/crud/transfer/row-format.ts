import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { columnKind } from "../column-kind";
import type { CrudRecord } from "../crud-types";

/** The file formats of export and import. */
export const TRANSFER_FORMATS = ["ndjson", "csv"] as const;
/** One transfer format. */
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return csvField(JSON.stringify(value));
  return csvField(String(value));
}

/** The header line of a CSV export. */
export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvField).join(",")}\n`;
}

/** One record as a line of the format (NULL is an empty CSV field; JSON values are JSON text). */
export function formatRecord(format: TransferFormat, record: CrudRecord, columns: readonly string[]): string {
  return format === "ndjson" ? `${JSON.stringify(record)}\n` : `${columns.map((column) => csvValue(record[column])).join(",")}\n`;
}

/**
 * Splits CSV text, arriving in chunks, into rows of fields (RFC 4180: quoted fields may hold
 * commas, quotes doubled, and line breaks). Feed chunks, then call `end()` for the last row.
 */
export class CsvRows {
  private field = "";
  private row: string[] = [];
  private quoted = false;
  private fieldStarted = false;

  /** The complete rows in `chunk` (a row cut by the chunk's end comes with a later one). */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (let index = 0; index < chunk.length; index++) {
      const character = chunk[index] as string;
      if (this.quoted) {
        if (character !== '"') this.field += character;
        else if (chunk[index + 1] === '"') {
          this.field += '"';
          index++;
        } else {
          this.quoted = false;
        }
        continue;
      }
      if (character === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
      } else if (character === ",") {
        this.endField();
      } else if (character === "\n") {
        this.endField();
        rows.push(this.row);
        this.row = [];
      } else if (character !== "\r") {
        this.field += character;
        this.fieldStarted = true;
      }
    }
    return rows;
  }

  /** The last row when the text did not end with a line break. */
  end(): string[][] {
    if (!this.fieldStarted && this.row.length === 0 && this.field === "") return [];
    this.endField();
    const last = this.row;
    this.row = [];
    return [last];
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = "";
    this.quoted = false;
    this.fieldStarted = false;
  }
}

/** A CSV field as the column's value: empty is NULL, numbers and booleans parsed, JSON columns parsed from JSON text. */
export function csvFieldValue(column: ColumnMetadata, text: string): unknown {
  if (text === "") return null;
  switch (columnKind(column)) {
    case "integer":
    case "number":
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
    case "boolean":
      return text === "true" || text === "1" ? true : text === "false" || text === "0" ? false : text;
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}
