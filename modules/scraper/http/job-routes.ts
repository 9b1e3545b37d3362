import { errAsync, type ResultAsync } from "neverthrow";
import type { ModuleRouteContext, ModuleRouter } from "../../../framework";
import { ArtifactService } from "../artifacts/artifact-service";
import type { ExtractionInput, TagInput } from "../artifacts/artifact-input";
import type { ArtifactType } from "../entities/artifact";
import type { JobType } from "../entities/scraper-job";
import type { JobConfigValue } from "../jobs/job-input";
import { JobService, type JobView } from "../jobs/job-service";
import type { AuthenticatedSession } from "../sessions/session-service";
import { SessionService } from "../sessions/session-service";
import type { ScraperError } from "../support/scraper-error";
import { requireOwnerOrAdmin } from "../users/roles";
import { actorOf, callerSession } from "./caller";
import { artifactSchema, jobSchema, newArtifactBody, newJobBody, sessionHeaders, transitionBody, uuidParams } from "./scraper-schemas";

type Id = { Params: { id: string } };

interface NewJobBody {
  readonly job_type: JobType;
  readonly keywords: string[];
  readonly expanded_keywords?: string[] | null;
  readonly configuration?: Record<string, JobConfigValue>;
  readonly total_items?: number;
}

interface NewArtifactBody {
  readonly artifact_type: ArtifactType;
  readonly content_hash: string;
  readonly minio_path: string;
  readonly source_url?: string | null;
  readonly title?: string | null;
  readonly file_size?: number | null;
  readonly mime_type?: string | null;
  readonly is_public?: boolean;
  readonly tags?: TagInput[];
  readonly extractions?: ExtractionInput[];
}

/**
 * Jobs and their artifacts, always acting as the session's user: a job is created for that user,
 * and only its owner or an admin may read it, move it or attach artifacts to it.
 */
export function jobRoutes(router: ModuleRouter, { resolve }: ModuleRouteContext): void {
  /** The job, once the caller is known to own it or to be an admin. */
  const ownJob = (session: AuthenticatedSession, id: string, operation: string): ResultAsync<JobView, ScraperError> =>
    resolve(JobService)
      .get(id)
      .andThen((job) => requireOwnerOrAdmin(session.user, job.user_id, operation).map(() => job));

  router.post<{ Body: NewJobBody }>(
    "/jobs",
    { scope: "write", status: 201, schema: { summary: "Create a pending job for the session's user", headers: sessionHeaders, body: newJobBody, response: { 201: jobSchema } } },
    (request) =>
      callerSession(request, resolve(SessionService)).andThen((session) => {
        const body = request.body;
        return resolve(JobService).create(actorOf(request, session), {
          userId: session.user.id,
          jobType: body.job_type,
          keywords: body.keywords,
          ...(body.expanded_keywords === undefined ? {} : { expandedKeywords: body.expanded_keywords }),
          ...(body.configuration === undefined ? {} : { configuration: body.configuration }),
          ...(body.total_items === undefined ? {} : { totalItems: body.total_items }),
        });
      }),
  );
  router.get<Id>("/jobs/:id", { scope: "read", schema: { summary: "One job with its configuration (owner or admin)", headers: sessionHeaders, params: uuidParams, response: { 200: jobSchema } } }, (request) =>
    callerSession(request, resolve(SessionService)).andThen((session) => ownJob(session, request.params.id, "Reading a job")),
  );
  router.post<Id & { Body: { status: "running" | "completed" | "failed"; error_message?: string } }>(
    "/jobs/:id/status",
    { scope: "write", schema: { summary: "Move a job: pending → running → completed | failed (owner or admin)", headers: sessionHeaders, params: uuidParams, body: transitionBody, response: { 200: jobSchema } } },
    (request) =>
      callerSession(request, resolve(SessionService)).andThen((session) =>
        ownJob(session, request.params.id, "Moving a job").andThen((job) => {
          const jobs = resolve(JobService);
          const actor = actorOf(request, session);
          if (request.body.status === "running") return jobs.start(actor, job.id);
          if (request.body.status === "completed") return jobs.complete(actor, job.id);
          return jobs.fail(actor, job.id, request.body.error_message ?? "");
        }),
      ),
  );
  router.post<Id & { Body: NewArtifactBody }>(
    "/jobs/:id/artifacts",
    { scope: "write", status: 201, schema: { summary: "Attach an artifact with tags and extractions to a job, all or nothing (owner or admin)", headers: sessionHeaders, params: uuidParams, body: newArtifactBody, response: { 201: artifactSchema } } },
    (request) =>
      callerSession(request, resolve(SessionService)).andThen((session) =>
        ownJob(session, request.params.id, "Attaching an artifact").andThen((job) => {
          const body = request.body;
          if (job.user_id === null) return errAsync<never, ScraperError>({ code: "VALIDATION_FAILED", message: `Job '${job.id}' has no owner to attach artifacts for.`, details: { job_id: job.id } });
          return resolve(ArtifactService).attach(actorOf(request, session), {
            jobId: job.id,
            userId: session.user.id,
            artifactType: body.artifact_type,
            contentHash: body.content_hash,
            minioPath: body.minio_path,
            sourceUrl: body.source_url ?? null,
            title: body.title ?? null,
            fileSize: body.file_size ?? null,
            mimeType: body.mime_type ?? null,
            isPublic: body.is_public === true,
            tags: body.tags ?? [],
            extractions: body.extractions ?? [],
          });
        }),
      ),
  );
}
