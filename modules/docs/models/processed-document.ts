import { err, ok, Result } from "neverthrow";
import type { DbError } from "../../../framework/errors/db-error";
import { validateDocumentChunk, type DocumentChunk } from "./document-chunk";
import { validateDocumentMetadata, type DocumentMetadata } from "./document-metadata";
import { FieldReader, modelError } from "./field-reader";

/** A document after processing, with its metadata and chunks (seed 004 canonical `ProcessedDocument`). */
export interface ProcessedDocument {
  readonly model_version: string;
  readonly id: string;
  readonly title: string;
  readonly full_content: string;
  readonly source_url: string;
  readonly technology: string;
  readonly metadata: DocumentMetadata;
  /** Content quality, 0..1. */
  readonly quality_score: number;
  readonly chunks: readonly DocumentChunk[];
  readonly created_at: Date;
  readonly updated_at: Date | null;
}

function validateChunks(input: unknown, documentId: string, path: string): Result<DocumentChunk[], DbError> {
  if (!Array.isArray(input)) return err(modelError(path, "is required and must be an array."));
  return Result.combine(input.map((chunk, index) => validateDocumentChunk(chunk, `${path}[${index}]`))).andThen((chunks) => {
    // The chunks must describe this document, completely and in order.
    for (const [index, chunk] of chunks.entries()) {
      const at = `${path}[${index}]`;
      if (chunk.parent_document_id !== documentId) return err(modelError(`${at}.parent_document_id`, `must be the document's id '${documentId}'.`));
      if (chunk.chunk_index !== index) return err(modelError(`${at}.chunk_index`, `must be ${index} (chunks are listed in order).`));
      if (chunk.total_chunks !== chunks.length) return err(modelError(`${at}.total_chunks`, `must be ${chunks.length}, the number of chunks.`));
    }
    return ok(chunks);
  });
}

/**
 * Validates untrusted input as a {@link ProcessedDocument}, including its nested metadata and
 * chunks; the error names the first bad field by its path (`chunks[1].chunk_index`).
 */
export function validateProcessedDocument(input: unknown): Result<ProcessedDocument, DbError> {
  return FieldReader.of(input).andThen((reader) =>
    Result.combine([
      reader.modelVersion(),
      reader.text("id"),
      reader.text("title"),
      reader.string("full_content"),
      reader.text("source_url"),
      reader.text("technology"),
      reader.numberInRange("quality_score", 0, 1),
      reader.dateOrNow("created_at"),
      reader.optionalDate("updated_at"),
    ]).andThen(([model_version, id, title, full_content, source_url, technology, quality_score, created_at, updated_at]) =>
      validateDocumentMetadata(reader.raw("metadata"), reader.fieldPath("metadata")).andThen((metadata) =>
        validateChunks(reader.raw("chunks"), id, reader.fieldPath("chunks")).map((chunks) => ({
          model_version,
          id,
          title,
          full_content,
          source_url,
          technology,
          metadata,
          quality_score,
          chunks,
          created_at,
          updated_at,
        })),
      ),
    ),
  );
}
