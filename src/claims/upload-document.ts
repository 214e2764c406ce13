import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claimDocuments, claims } from "../db/schema.ts";
import { shapedInsert } from "../db/shaped-statement.ts";
import {
	DocumentError,
	EmptyDocumentError,
} from "../documents/document-store.ts";
import { sanitizeFileName } from "../documents/sanitize-name.ts";
import { DomainError, notFound } from "../domain/errors.ts";
import { canSeeClaim, performClaimAction } from "./claim-action.ts";
import {
	type ClaimDocumentRow,
	type ClaimView,
	claimColumns,
} from "./claim-view.ts";

/** Options of {@link uploadDocument}. */
export interface UploadDocumentOptions {
	actor: Actor;
	claimId: string;
	/** The file's bytes as a stream (multipart part). */
	stream: Readable | AsyncIterable<Uint8Array>;
	/** The name the partner's computer gave the file (sanitized; never trusted for the type). */
	fileName: string;
	expectedVersion?: number | undefined;
	/**
	 * Runs after the file is stored and before the claim is written; a throw leaves the
	 * claim unchanged (the HTTP route refuses a second file in the request there).
	 */
	afterStored?: () => Promise<void>;
}

/**
 * Adds a PoE document (R-CRT-7): type checked by content against the allow-list, size
 * limited, stored content-addressed by SHA-256, never altered. Allowed while the claim is
 * editable, and after a rejection (updated PoE for a dispute, R-DSP-1).
 * @throws `not_found`, `invalid_transition`, `payload_too_large`, `unsupported_media_type`.
 */
export async function uploadDocument(
	ctx: AppContext,
	opts: UploadDocumentOptions,
): Promise<{ claim: ClaimView; documentId: string }> {
	let stored: Awaited<ReturnType<AppContext["documents"]["put"]>> | undefined;
	const documentId = randomUUID();
	const claim = await performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "upload_document",
		expectedVersion: opts.expectedVersion,
		// No transaction: read, store the file, then one statement (see `optimistic`).
		optimistic: true,
		// After the claim was read and checked, so a forbidden upload stores nothing.
		prepare: async () => {
			try {
				stored = await ctx.documents.put(opts.stream);
			} catch (err) {
				if (err instanceof DocumentError)
					throw new DomainError(
						err.code,
						err.message,
						err instanceof EmptyDocumentError
							? [{ path: "file", code: "empty_file", message: err.message }]
							: [],
					);
				throw err;
			}
			await opts.afterStored?.();
		},
		apply: async ({ tx, claim, now, actor, docs, setDocs, defer }) => {
			const file = stored as NonNullable<typeof stored>;
			const doc: ClaimDocumentRow = {
				id: documentId,
				claimId: claim.id,
				name: sanitizeFileName(opts.fileName, file.extension),
				contentType: file.contentType,
				size: file.size,
				sha256: file.sha256,
				purpose: claim.status === "rejected" ? "dispute" : "poe",
				uploadedBy: actor.userId ?? "system",
				uploadedAt: now,
			};
			defer(shapedInsert(claimDocuments, [doc]));
			// The documents in the order they are read back (upload time, then ID).
			setDocs(
				[...docs, doc].sort(
					(a, b) =>
						a.uploadedAt.getTime() - b.uploadedAt.getTime() ||
						(a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
				),
			);
			return {};
		},
	});
	return { claim, documentId };
}

/** Options of {@link removeDocument}. */
export interface RemoveDocumentOptions {
	actor: Actor;
	claimId: string;
	documentId: string;
	expectedVersion?: number | undefined;
}

/** Removes a document while the claim is In progress (R-CRT-7). @throws `not_found`, `invalid_transition`. */
export async function removeDocument(
	ctx: AppContext,
	opts: RemoveDocumentOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "remove_document",
		writesParts: true,
		expectedVersion: opts.expectedVersion,
		apply: async ({ tx, claim }) => {
			const deleted = await tx
				.delete(claimDocuments)
				.where(
					and(
						eq(claimDocuments.claimId, claim.id),
						eq(claimDocuments.id, opts.documentId),
					),
				)
				.returning({ id: claimDocuments.id });
			if (deleted.length === 0) throw notFound("document");
			return {};
		},
	});
}

/** Finds a visible document of a visible claim, for download. @throws `not_found`. */
export async function getDocument(
	ctx: AppContext,
	opts: { actor: Actor; claimId: string; documentId: string },
) {
	const [row] = await ctx.db
		.select(claimColumns)
		.from(claims)
		.where(eq(claims.id, opts.claimId));
	if (!row || !canSeeClaim(opts.actor, row)) throw notFound();
	const [doc] = await ctx.db
		.select()
		.from(claimDocuments)
		.where(
			and(
				eq(claimDocuments.claimId, row.id),
				eq(claimDocuments.id, opts.documentId),
			),
		);
	if (!doc) throw notFound("document");
	return doc;
}
