import { describe, expect, it } from "vitest";
import { validateDocumentChunk } from "../../../modules/docs/models/document-chunk";
import { validateDocumentMetadata } from "../../../modules/docs/models/document-metadata";
import { MODEL_VERSION } from "../../../modules/docs/models/field-reader";
import { validateProcessedDocument } from "../../../modules/docs/models/processed-document";

const metadata = { word_count: 120, heading_count: 3, code_block_count: 2, content_hash: "abc" };
const chunk = (index: number, total = 2) => ({ id: `c${index}`, parent_document_id: "doc", content: `part ${index}`, chunk_index: index, total_chunks: total });
const document = () => ({
  id: "doc",
  title: "Guide",
  full_content: "part 0 part 1",
  source_url: "https://docs.example/guide",
  technology: "react",
  quality_score: 0.75,
  metadata,
  chunks: [chunk(0), chunk(1)],
});

describe("docs canonical models", () => {
  it("accepts valid input, filling model_version and created_at as the seed's defaults do", () => {
    const parsed = validateProcessedDocument(document())._unsafeUnwrap();
    expect(parsed.model_version).toBe(MODEL_VERSION);
    expect(parsed.metadata.model_version).toBe("1.0.0");
    expect(parsed.created_at).toBeInstanceOf(Date);
    expect(parsed.updated_at).toBeNull();
    expect(parsed.chunks.map((c) => c.chunk_index)).toEqual([0, 1]);
    expect(validateDocumentMetadata({ ...metadata, created_at: "2026-01-01T00:00:00Z", model_version: "1.4.2" })._unsafeUnwrap()).toMatchObject({
      model_version: "1.4.2",
      created_at: new Date("2026-01-01T00:00:00Z"),
    });
  });

  it("names the offending field for invalid input", () => {
    const field = (input: unknown) => validateProcessedDocument(input)._unsafeUnwrapErr().details?.field;
    expect(field("not an object")).toBe("(input)");
    expect(field({ ...document(), title: "" })).toBe("title");
    expect(field({ ...document(), quality_score: 1.5 })).toBe("quality_score");
    expect(field({ ...document(), model_version: "2.0.0" })).toBe("model_version");
    expect(field({ ...document(), model_version: "latest" })).toBe("model_version");
    expect(field({ ...document(), created_at: "yesterday" })).toBe("created_at");
    expect(field({ ...document(), metadata: { ...metadata, word_count: -1 } })).toBe("metadata.word_count");
    expect(field({ ...document(), metadata: { ...metadata, content_hash: 7 } })).toBe("metadata.content_hash");
    expect(field({ ...document(), chunks: "none" })).toBe("chunks");
    expect(field({ ...document(), chunks: [chunk(0), { ...chunk(1), chunk_index: 1.5 }] })).toBe("chunks[1].chunk_index");
    expect(field({ ...document(), chunks: [chunk(0), { ...chunk(1), parent_document_id: "other" }] })).toBe("chunks[1].parent_document_id");
    expect(field({ ...document(), chunks: [chunk(1), chunk(0)] })).toBe("chunks[0].chunk_index");
    expect(field({ ...document(), chunks: [chunk(0, 3), chunk(1, 3)] })).toBe("chunks[0].total_chunks");
    expect(validateProcessedDocument({ ...document(), title: "" })._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
  });

  it("checks a chunk's index against its total", () => {
    expect(validateDocumentChunk(chunk(1, 2))._unsafeUnwrap().chunk_index).toBe(1);
    expect(validateDocumentChunk(chunk(2, 2))._unsafeUnwrapErr().details?.field).toBe("chunk.chunk_index");
    expect(validateDocumentChunk({ ...chunk(0), total_chunks: 0 })._unsafeUnwrapErr().details?.field).toBe("chunk.total_chunks");
  });
});
