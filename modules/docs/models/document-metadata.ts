import { Result } from "neverthrow";
import type { DbError } from "../../../framework/errors/db-error";
import { FieldReader } from "./field-reader";

/** Counts and hash of a processed document (seed 004 canonical `DocumentMetadata`). */
export interface DocumentMetadata {
  readonly model_version: string;
  readonly word_count: number;
  readonly heading_count: number;
  readonly code_block_count: number;
  readonly content_hash: string;
  readonly created_at: Date;
  readonly updated_at: Date | null;
}

/** Validates untrusted input as a {@link DocumentMetadata}; the error names the first bad field. */
export function validateDocumentMetadata(input: unknown, path = "metadata"): Result<DocumentMetadata, DbError> {
  return FieldReader.of(input, path).andThen((reader) =>
    Result.combine([
      reader.modelVersion(),
      reader.integer("word_count"),
      reader.integer("heading_count"),
      reader.integer("code_block_count"),
      reader.text("content_hash"),
      reader.dateOrNow("created_at"),
      reader.optionalDate("updated_at"),
    ]).map(([model_version, word_count, heading_count, code_block_count, content_hash, created_at, updated_at]) => ({
      model_version,
      word_count,
      heading_count,
      code_block_count,
      content_hash,
      created_at,
      updated_at,
    })),
  );
}
