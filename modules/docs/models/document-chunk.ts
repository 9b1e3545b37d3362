import { err, ok, Result } from "neverthrow";
import type { DbError } from "../../../framework/errors/db-error";
import { FieldReader, modelError } from "./field-reader";

/** One chunk of a processed document (seed 004 canonical `DocumentChunk`). */
export interface DocumentChunk {
  readonly model_version: string;
  /** Unique chunk identifier. */
  readonly id: string;
  readonly parent_document_id: string;
  readonly content: string;
  /** 0-based index within the document. */
  readonly chunk_index: number;
  readonly total_chunks: number;
  readonly created_at: Date;
}

/** Validates untrusted input as a {@link DocumentChunk}; `chunk_index` must be below `total_chunks`. */
export function validateDocumentChunk(input: unknown, path = "chunk"): Result<DocumentChunk, DbError> {
  return FieldReader.of(input, path).andThen((reader) =>
    Result.combine([
      reader.modelVersion(),
      reader.text("id"),
      reader.text("parent_document_id"),
      reader.string("content"),
      reader.integer("chunk_index", 0),
      reader.integer("total_chunks", 1),
      reader.dateOrNow("created_at"),
    ]).andThen(([model_version, id, parent_document_id, content, chunk_index, total_chunks, created_at]) =>
      chunk_index < total_chunks
        ? ok({ model_version, id, parent_document_id, content, chunk_index, total_chunks, created_at })
        : err(modelError(reader.fieldPath("chunk_index"), `must be below total_chunks (${total_chunks}).`)),
    ),
  );
}
