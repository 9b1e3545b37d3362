import { err, ok, Result } from "neverthrow";
import { ARTIFACT_TYPES, type ArtifactType } from "../entities/artifact";
import { EXTRACTION_TYPES, type ExtractionType } from "../entities/content-extraction";
import { TAG_TYPES, type TagType } from "../entities/metadata-tag";
import { invalidInput, type ScraperError } from "../support/scraper-error";

/** A metadata tag to attach. */
export interface TagInput {
  readonly type: TagType;
  readonly key: string;
  readonly value?: string | null;
}

/** Extracted content to attach. */
export interface ExtractionInput {
  readonly type: ExtractionType;
  /** Any JSON value. */
  readonly data: unknown;
  /** 0..1 with two decimals (DECIMAL(3,2)). */
  readonly confidence?: number | null;
}

/** What attaching an artifact needs. */
export interface AttachArtifactInput {
  readonly jobId: string;
  readonly userId: string;
  readonly artifactType: ArtifactType;
  /** Hex SHA-256 of the content. */
  readonly contentHash: string;
  /** Where the content is stored. */
  readonly minioPath: string;
  readonly sourceUrl?: string | null;
  readonly title?: string | null;
  readonly fileSize?: number | null;
  readonly mimeType?: string | null;
  readonly isPublic?: boolean;
  readonly tags?: readonly TagInput[];
  readonly extractions?: readonly ExtractionInput[];
}

/** A checked tag row. */
export interface CheckedTag {
  readonly tag_type: TagType;
  readonly tag_key: string;
  readonly tag_value: string | null;
}

/** A checked extraction row. */
export interface CheckedExtraction {
  readonly extraction_type: ExtractionType;
  readonly extracted_data: unknown;
  readonly confidence_score: number | null;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function optionalString(value: unknown, field: string, max?: number): Result<string | null, ScraperError> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "string") return err(invalidInput(field, "must be a string."));
  return max !== undefined && value.length > max ? err(invalidInput(field, `must be at most ${max} characters.`)) : ok(value);
}

/** Checks tags; the error names the tag by position. */
export function checkTags(tags: readonly TagInput[] | undefined, field = "tags"): Result<CheckedTag[], ScraperError> {
  if (tags === undefined) return ok([]);
  if (!Array.isArray(tags)) return err(invalidInput(field, "must be an array."));
  return Result.combine(
    tags.map((tag: TagInput, index): Result<CheckedTag, ScraperError> => {
      if (!TAG_TYPES.includes(tag?.type)) return err(invalidInput(`${field}[${index}].type`, `must be one of ${TAG_TYPES.join(", ")}.`));
      if (typeof tag.key !== "string" || tag.key === "" || tag.key.length > 100) return err(invalidInput(`${field}[${index}].key`, "must be 1 to 100 characters."));
      return optionalString(tag.value, `${field}[${index}].value`).map((value) => ({ tag_type: tag.type, tag_key: tag.key, tag_value: value }));
    }),
  );
}

/** Checks extractions; confidence must be within 0..1 and is rounded to two decimals. */
export function checkExtractions(extractions: readonly ExtractionInput[] | undefined, field = "extractions"): Result<CheckedExtraction[], ScraperError> {
  if (extractions === undefined) return ok([]);
  if (!Array.isArray(extractions)) return err(invalidInput(field, "must be an array."));
  return Result.combine(
    extractions.map((extraction: ExtractionInput, index): Result<CheckedExtraction, ScraperError> => {
      if (!EXTRACTION_TYPES.includes(extraction?.type)) return err(invalidInput(`${field}[${index}].type`, `must be one of ${EXTRACTION_TYPES.join(", ")}.`));
      const confidence = extraction.confidence ?? null;
      if (confidence !== null && (typeof confidence !== "number" || !(confidence >= 0 && confidence <= 1))) return err(invalidInput(`${field}[${index}].confidence`, "must be between 0 and 1."));
      return ok({ extraction_type: extraction.type, extracted_data: extraction.data ?? null, confidence_score: confidence === null ? null : Math.round(confidence * 100) / 100 });
    }),
  );
}

/** A checked artifact row with its tags and extractions. */
export interface CheckedArtifact {
  readonly row: {
    job_id: string;
    user_id: string;
    artifact_type: ArtifactType;
    content_hash: string;
    minio_path: string;
    source_url: string | null;
    title: string | null;
    file_size: number | null;
    mime_type: string | null;
    is_public: boolean;
  };
  readonly tags: CheckedTag[];
  readonly extractions: CheckedExtraction[];
}

/** Checks an artifact field by field. */
export function checkArtifact(input: AttachArtifactInput): Result<CheckedArtifact, ScraperError> {
  if (typeof input.jobId !== "string" || input.jobId === "") return err(invalidInput("jobId", "is required."));
  if (typeof input.userId !== "string" || input.userId === "") return err(invalidInput("userId", "is required."));
  if (!ARTIFACT_TYPES.includes(input.artifactType)) return err(invalidInput("artifactType", `must be one of ${ARTIFACT_TYPES.join(", ")}.`));
  if (typeof input.contentHash !== "string" || !SHA256_HEX.test(input.contentHash)) return err(invalidInput("contentHash", "must be a lower-case hex SHA-256 (64 characters)."));
  if (typeof input.minioPath !== "string" || input.minioPath === "" || input.minioPath.length > 500) return err(invalidInput("minioPath", "must be 1 to 500 characters."));
  const fileSize = input.fileSize ?? null;
  if (fileSize !== null && (!Number.isSafeInteger(fileSize) || fileSize < 0)) return err(invalidInput("fileSize", "must be a non-negative integer."));
  return Result.combine([optionalString(input.sourceUrl, "sourceUrl"), optionalString(input.title, "title", 500), optionalString(input.mimeType, "mimeType", 100), checkTags(input.tags), checkExtractions(input.extractions)]).map(
    ([source_url, title, mime_type, tags, extractions]) => ({
      row: {
        job_id: input.jobId,
        user_id: input.userId,
        artifact_type: input.artifactType,
        content_hash: input.contentHash,
        minio_path: input.minioPath,
        source_url,
        title,
        file_size: fileSize,
        mime_type,
        is_public: input.isPublic === true,
      },
      tags,
      extractions,
    }),
  );
}
