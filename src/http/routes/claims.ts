/**
 * Claim routes (API.md "Claims"): thin — schema → authorize → use case → shape.
 */

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { parseIfMatch } from "../../claims/claim-action.ts";
import {
	createClaimSchema,
	updateClaimSchema,
} from "../../claims/claim-input.ts";
import type { ClaimView } from "../../claims/claim-view.ts";
import { claimsCsv } from "../../claims/claims-csv.ts";
import { addComment, listComments } from "../../claims/comments.ts";
import { createClaim } from "../../claims/create-claim.ts";
import { deleteClaim } from "../../claims/delete-claim.ts";
import { checkClaimDirectory } from "../../claims/directory-check.ts";
import {
	countClaims,
	getClaimJson,
	getCompeting,
	getHistory,
	listClaimsJson,
	listClaimsQuerySchema,
	type Page,
	reviewQueueJson,
} from "../../claims/list-claims.ts";
import { resubmitClaim } from "../../claims/resubmit-claim.ts";
import { submitClaim } from "../../claims/submit-claim.ts";
import { updateClaim } from "../../claims/update-claim.ts";
import {
	getDocument,
	removeDocument,
	uploadDocument,
} from "../../claims/upload-document.ts";
import { withdrawClaim } from "../../claims/withdraw-claim.ts";
import type { AppContext } from "../../context.ts";
import { decideDispute } from "../../disputes/decide-dispute.ts";
import { disputeClaim } from "../../disputes/dispute-claim.ts";
import { contentDisposition } from "../../documents/sanitize-name.ts";
import { DomainError } from "../../domain/errors.ts";
import {
	INFORMATION_REQUEST_REASONS,
	REVIEWER_REJECTION_REASONS,
} from "../../domain/reasons.ts";
import { approveClaim } from "../../review/approve-claim.ts";
import { rejectClaim } from "../../review/reject-claim.ts";
import { requestInformation } from "../../review/request-information.ts";
import { startReview } from "../../review/start-review.ts";
import { abandonedSignal } from "../abandoned.ts";
import { authorize } from "../auth-hooks.ts";
import { claimIdempotencyKey, sendReplay } from "../idempotency.ts";
import { pageQuery } from "../page-query.ts";

const idParams = z.object({ id: z.string().min(1).max(100) });
const ifMatchHeaders = z
	.object({ "if-match": z.string().max(100).optional() })
	.passthrough();

/** Sends a claim with its ETag (API.md). */
export function sendClaim(reply: FastifyReply, claim: ClaimView, status = 200) {
	return reply.status(status).header("etag", `"${claim.version}"`).send(claim);
}

/** Sends JSON text as it is (the read paths write the claim resource as text). */
function sendJsonText(reply: FastifyReply, json: string) {
	return reply.type("application/json; charset=utf-8").send(json);
}

/** Sends a page whose items are JSON texts: `{ "items": [...], "nextCursor": … }`. */
function sendJsonPage(reply: FastifyReply, page: Page<string>) {
	return sendJsonText(
		reply,
		`{"items":[${page.items.join(",")}],"nextCursor":${JSON.stringify(page.nextCursor)}}`,
	);
}

/** Registers the claim routes under /api/v1. */
export function claimRoutes(ctx: AppContext): FastifyPluginAsyncZod {
	return async (app) => {
		app.post(
			"/claims",
			{
				schema: {
					tags: ["claims"],
					summary: "Create a draft claim (partner)",
					body: createClaimSchema,
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				const claim = await createClaim(ctx, { actor, input: req.body });
				reply.header("location", `/api/v1/claims/${claim.id}`);
				return sendClaim(reply, claim, 201);
			},
		);

		app.get(
			"/claims",
			{
				config: { commaLists: ["status"] },
				schema: {
					tags: ["claims"],
					summary:
						"List claims: partners their organization's, reviewers all (R-DSH-1)",
					querystring: listClaimsQuerySchema.extend({
						format: z.enum(["json", "csv"]).default("json"),
					}),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "viewClaims");
				const { format, ...query } = req.query;
				if (format !== "csv")
					return sendJsonPage(reply, await listClaimsJson(ctx, actor, query));
				// Streamed page by page: a failure after the first page ends the response
				// without its last chunk, so the client sees a broken download, not a short file.
				const { limit: _pageSize, ...exportQuery } = query;
				const csv = await claimsCsv(ctx, actor, exportQuery);
				return reply
					.type("text/csv; charset=utf-8")
					.header("content-disposition", 'attachment; filename="claims.csv"')
					.send(Readable.from(csv));
			},
		);

		app.get(
			"/claims/counts",
			{
				schema: {
					tags: ["claims"],
					summary:
						"Counts per status over the same filters as GET /claims (R-DSH-1)",
					querystring: listClaimsQuerySchema.omit({
						status: true,
						sort: true,
						limit: true,
						cursor: true,
					}),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "viewClaims");
				return countClaims(ctx, actor, req.query, abandonedSignal(reply));
			},
		);

		app.get(
			"/claims/:id",
			{ schema: { tags: ["claims"], summary: "One claim", params: idParams } },
			async (req, reply) => {
				const actor = authorize(req, "viewClaims");
				const claim = await getClaimJson(ctx, actor, req.params.id);
				reply.header("etag", `"${claim.version}"`);
				return sendJsonText(reply, claim.json);
			},
		);

		app.patch(
			"/claims/:id",
			{
				schema: {
					tags: ["claims"],
					summary: "Edit a claim (R-EDIT-1); If-Match required (R-EDIT-2)",
					params: idParams,
					headers: ifMatchHeaders,
					body: updateClaimSchema,
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				const expectedVersion = parseIfMatch(req.headers["if-match"]);
				if (expectedVersion === undefined) {
					throw new DomainError(
						"precondition_required",
						'Send If-Match with the ETag you read (e.g. If-Match: "3"), so concurrent edits cannot overwrite each other.',
					);
				}
				return sendClaim(
					reply,
					await updateClaim(ctx, {
						actor,
						claimId: req.params.id,
						input: req.body,
						expectedVersion,
					}),
				);
			},
		);

		app.delete(
			"/claims/:id",
			{
				schema: {
					tags: ["claims"],
					summary: "Delete a draft",
					params: idParams,
					headers: ifMatchHeaders,
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				await deleteClaim(ctx, {
					actor,
					claimId: req.params.id,
					expectedVersion: parseIfMatch(req.headers["if-match"]),
				});
				return reply.status(204).send();
			},
		);

		app.post(
			"/claims/:id/documents",
			{
				schema: {
					tags: ["documents"],
					summary:
						"Upload PoE (multipart/form-data, field `file`); type checked by content (R-CRT-7)",
					params: idParams,
					headers: ifMatchHeaders,
					consumes: ["multipart/form-data"],
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				if (!req.isMultipart()) {
					throw new DomainError(
						"unsupported_media_type",
						"Upload the file as multipart/form-data in a field named `file`.",
					);
				}
				// The parts in order: the file, then nothing more (a second file was dropped
				// without a word; now it is refused before the claim changes).
				const parts = req.parts()[Symbol.asyncIterator]();
				let file: MultipartFile | undefined;
				for (let next = await parts.next(); !next.done; ) {
					if (next.value.type === "file") {
						file = next.value;
						break;
					}
					next = await parts.next();
				}
				if (file?.fieldname !== "file") {
					throw new DomainError(
						"validation_failed",
						"No file in the field `file`.",
						[
							{
								path: "file",
								code: "required",
								message:
									"Attach the document in a multipart field named `file`.",
							},
						],
					);
				}
				// With an Idempotency-Key the file is read first (at most the upload limit):
				// a retry of the same file and name is answered as before, another file
				// under the key is another request (422). Without one it streams to the store.
				let stream: Readable | AsyncIterable<Uint8Array> = file.file;
				if (req.headers["idempotency-key"]) {
					const bytes = await file.toBuffer();
					const sha256 = createHash("sha256").update(bytes).digest("hex");
					const prior = await claimIdempotencyKey(
						ctx,
						req,
						`multipart ${sha256} ${file.filename}`,
					);
					if (prior) return sendReplay(reply, prior);
					stream = Readable.from([bytes]);
				}
				const { claim, documentId } = await uploadDocument(ctx, {
					actor,
					claimId: req.params.id,
					stream,
					fileName: file.filename,
					expectedVersion: parseIfMatch(req.headers["if-match"]),
					afterStored: async () => {
						let more = false;
						try {
							for (let next = await parts.next(); !next.done; ) {
								if (next.value.type === "file") more = true;
								next = await parts.next();
							}
						} catch (err) {
							// The multipart limit of one file stops at a second one.
							if ((err as { code?: string }).code !== "FST_FILES_LIMIT")
								throw err;
							more = true;
						}
						if (more)
							throw new DomainError(
								"validation_failed",
								"Upload one file per request: this one holds more than one. Send each document in its own request.",
								[
									{
										path: "file",
										code: "too_many_files",
										message: "One file per upload.",
									},
								],
							);
					},
				});
				const document = claim.documents.find((d) => d.id === documentId);
				reply.header(
					"location",
					`/api/v1/claims/${claim.id}/documents/${documentId}`,
				);
				reply.header("etag", `"${claim.version}"`);
				return reply.status(201).send({ document, claim });
			},
		);

		app.get(
			"/claims/:id/documents/:documentId",
			{
				schema: {
					tags: ["documents"],
					summary: "Download a PoE document (as an attachment)",
					params: idParams.extend({ documentId: z.string().min(1).max(100) }),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "viewClaims");
				const doc = await getDocument(ctx, {
					actor,
					claimId: req.params.id,
					documentId: req.params.documentId,
				});
				return reply
					.type(doc.contentType)
					.header("content-disposition", contentDisposition(doc.name))
					.header("x-content-type-options", "nosniff")
					.header("content-length", String(doc.size))
					.send(ctx.documents.open(doc.sha256));
			},
		);

		app.delete(
			"/claims/:id/documents/:documentId",
			{
				schema: {
					tags: ["documents"],
					summary: "Remove a document while the claim is In progress (R-CRT-7)",
					params: idParams.extend({ documentId: z.string().min(1).max(100) }),
					headers: ifMatchHeaders,
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				const claim = await removeDocument(ctx, {
					actor,
					claimId: req.params.id,
					documentId: req.params.documentId,
					expectedVersion: parseIfMatch(req.headers["if-match"]),
				});
				return sendClaim(reply, claim);
			},
		);

		app.get(
			"/claims/:id/comments",
			{
				schema: {
					tags: ["comments"],
					summary:
						"The comment thread (R-REV-3), oldest first, a page at a time (limit 1-200, default 50)",
					params: idParams,
					querystring: pageQuery,
				},
			},
			async (req) => {
				const actor = authorize(req, "viewClaims");
				return listComments(ctx, {
					actor,
					claimId: req.params.id,
					...req.query,
				});
			},
		);

		app.post(
			"/claims/:id/comments",
			{
				schema: {
					tags: ["comments"],
					summary: "Post a comment (R-REV-3)",
					params: idParams,
					body: z.object({ body: z.string().trim().min(1).max(10_000) }),
				},
			},
			async (req, reply) => {
				const actor = authorize(req, "comment");
				return reply.status(201).send(
					await addComment(ctx, {
						actor,
						claimId: req.params.id,
						body: req.body.body,
					}),
				);
			},
		);

		app.get(
			"/claims/:id/history",
			{
				schema: {
					tags: ["claims"],
					summary:
						"The history (R-HIS-1), oldest first, a page at a time (limit 1-200, default 50)",
					params: idParams,
					querystring: pageQuery,
				},
			},
			async (req) => {
				const actor = authorize(req, "viewClaims");
				return getHistory(ctx, actor, req.params.id, req.query);
			},
		);

		app.get(
			"/claims/:id/directory-check",
			{
				schema: {
					tags: ["claims"],
					summary:
						"What the claim was validated against (R-DIR-6), the directory now, what changed, and whether the submit checks would pass today",
					params: idParams,
				},
			},
			async (req) => {
				const actor = authorize(req, "viewClaims");
				return checkClaimDirectory(ctx, actor, req.params.id);
			},
		);

		const action = (summary: string, body?: z.ZodType) => ({
			// A POST without a body is `{}`: optional bodies ({ comment? }) may be left out.
			preValidation: async (req: FastifyRequest) => {
				req.body ??= {};
			},
			schema: {
				tags: ["actions"],
				summary,
				params: idParams,
				headers: ifMatchHeaders,
				...(body ? { body } : {}),
			},
		});
		const optionalComment = z
			.object({ comment: z.string().trim().max(10_000).optional() })
			.default({});

		app.post(
			"/claims/:id/submit",
			action("draft → submitted (partner)"),
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				return sendClaim(
					reply,
					await submitClaim(ctx, {
						actor,
						claimId: req.params.id,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/resubmit",
			action(
				"partner_action_required → under_review (partner)",
				optionalComment,
			),
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				const body = (req.body ?? {}) as { comment?: string };
				return sendClaim(
					reply,
					await resubmitClaim(ctx, {
						actor,
						claimId: req.params.id,
						comment: body.comment,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/withdraw",
			action(
				"Request rejection (partner admin): → rejected (partner_request)",
				optionalComment,
			),
			async (req, reply) => {
				const actor = authorize(req, "withdrawClaims");
				const body = (req.body ?? {}) as { comment?: string };
				return sendClaim(
					reply,
					await withdrawClaim(ctx, {
						actor,
						claimId: req.params.id,
						comment: body.comment,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/dispute",
			action(
				"Dispute a rejection within the window (R-DSP-1, R-TIME-7)",
				z
					.object({ justification: z.string().trim().max(10_000).optional() })
					.default({}),
			),
			async (req, reply) => {
				const actor = authorize(req, "writeClaims");
				const body = (req.body ?? {}) as { justification?: string };
				return sendClaim(
					reply,
					await disputeClaim(ctx, {
						actor,
						claimId: req.params.id,
						justification: body.justification,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/start-review",
			action("submitted → under_review (reviewer)"),
			async (req, reply) => {
				const actor = authorize(req, "review");
				return sendClaim(
					reply,
					await startReview(ctx, {
						actor,
						claimId: req.params.id,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/request-information",
			action(
				"under_review → partner_action_required with reasons (R-REV-1)",
				z.object({
					reasons: z.array(z.enum(INFORMATION_REQUEST_REASONS)).min(1),
					comment: z.string().trim().min(1).max(10_000),
				}),
			),
			async (req, reply) => {
				const actor = authorize(req, "review");
				const body = req.body as {
					reasons: (typeof INFORMATION_REQUEST_REASONS)[number][];
					comment: string;
				};
				return sendClaim(
					reply,
					await requestInformation(ctx, {
						actor,
						claimId: req.params.id,
						reasons: body.reasons,
						comment: body.comment,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/approve",
			action(
				"under_review → approved; rejects competing claims (R-CMP-3)",
				z
					.object({
						comment: z.string().trim().max(10_000).optional(),
						competingRejectionReason: z
							.enum(REVIEWER_REJECTION_REASONS)
							.optional(),
						competingRejectionComment: z.string().trim().max(10_000).optional(),
					})
					.default({}),
			),
			async (req, reply) => {
				const actor = authorize(req, "review");
				const body = (req.body ?? {}) as {
					comment?: string;
					competingRejectionReason?: (typeof REVIEWER_REJECTION_REASONS)[number];
					competingRejectionComment?: string;
				};
				return sendClaim(
					reply,
					await approveClaim(ctx, {
						actor,
						claimId: req.params.id,
						...body,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/reject",
			action(
				"under_review → rejected with a reason (R-REV-2)",
				z.object({
					reason: z.enum(REVIEWER_REJECTION_REASONS),
					comment: z.string().trim().min(1).max(10_000),
				}),
			),
			async (req, reply) => {
				const actor = authorize(req, "review");
				const body = req.body as {
					reason: (typeof REVIEWER_REJECTION_REASONS)[number];
					comment: string;
				};
				return sendClaim(
					reply,
					await rejectClaim(ctx, {
						actor,
						claimId: req.params.id,
						reason: body.reason,
						comment: body.comment,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.post(
			"/claims/:id/dispute-decision",
			action(
				"Decide an open dispute: approve / request_information / uphold",
				z.object({
					decision: z.enum(["approve", "request_information", "uphold"]),
					comment: z.string().trim().min(1).max(10_000),
					reasons: z.array(z.enum(INFORMATION_REQUEST_REASONS)).optional(),
				}),
			),
			async (req, reply) => {
				const actor = authorize(req, "review");
				const body = req.body as {
					decision: "approve" | "request_information" | "uphold";
					comment: string;
					reasons?: (typeof INFORMATION_REQUEST_REASONS)[number][];
				};
				return sendClaim(
					reply,
					await decideDispute(ctx, {
						actor,
						claimId: req.params.id,
						...body,
						expectedVersion: parseIfMatch(req.headers["if-match"]),
					}),
				);
			},
		);

		app.get(
			"/claims/:id/competing",
			{
				schema: {
					tags: ["review"],
					summary: "The claims this one competes with (R-CMP-3)",
					params: idParams,
				},
			},
			async (req) => {
				const actor = authorize(req, "review");
				return { items: await getCompeting(ctx, actor, req.params.id) };
			},
		);

		app.get(
			"/review-queue",
			{
				schema: {
					tags: ["review"],
					summary: "Open work, soonest due first, with overdue flags",
					querystring: z.object({
						limit: z.coerce.number().int().min(1).max(500).default(50),
						cursor: z.string().max(500).optional(),
						competing: z.enum(["true", "false"]).optional(),
						sla: z
							.enum(["review_start", "decision", "dispute_decision"])
							.optional(),
					}),
				},
			},
			async (req, reply) => {
				authorize(req, "review");
				return sendJsonPage(reply, await reviewQueueJson(ctx, req.query));
			},
		);
	};
}
