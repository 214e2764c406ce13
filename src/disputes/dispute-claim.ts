import { and, eq, gte } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import type { ClaimView, Dispute, Rejection } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { claimDocuments } from "../db/schema.ts";
import {
	type Activity,
	programsForActivity,
	type SolutionArea,
} from "../domain/claim-validation.ts";
import { DomainError } from "../domain/errors.ts";

/** Options of {@link disputeClaim}. */
export interface DisputeClaimOptions {
	actor: Actor;
	claimId: string;
	/** The business justification (R-DSP-1); may be empty when new PoE was uploaded. */
	justification?: string | undefined;
	expectedVersion?: number | undefined;
}

/**
 * A partner disputes a rejection (R-DSP-1) within the dispute window (R-TIME-7) with a
 * justification and/or PoE uploaded since the rejection. One open dispute per claim; none
 * for `partner_request`. The dispute carries the data of R-DSP-3. Starts the reviewer's
 * answer SLA (R-TIME-8). Emits `claim.disputed`.
 * @throws `dispute_not_allowed`, `dispute_window_closed`, `dispute_already_open`, `validation_failed`.
 */
export async function disputeClaim(
	ctx: AppContext,
	opts: DisputeClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "dispute",
		expectedVersion: opts.expectedVersion,
		skipTransitionCheck: true,
		events: ["claim.disputed"],
		apply: async ({ tx, claim, now, actor, ctx, comment }) => {
			const rejection = claim.rejection as Rejection | null;
			const open = (claim.dispute as Dispute | null)?.status === "open";
			if (claim.status !== "rejected" || !rejection) {
				throw new DomainError(
					"invalid_transition",
					`Only a rejected claim can be disputed; this one is ${claim.status}.`,
				);
			}
			if (open)
				throw new DomainError(
					"dispute_already_open",
					"This claim already has an open dispute; wait for the reviewer's decision.",
				);
			if (rejection.reason === "partner_request") {
				throw new DomainError(
					"dispute_not_allowed",
					"A claim rejected at the partner's own request cannot be disputed; create a new claim instead.",
				);
			}
			if (
				!claim.disputeUntil ||
				now.getTime() >= claim.disputeUntil.getTime()
			) {
				throw new DomainError(
					"dispute_window_closed",
					`The dispute window closed${claim.disputeUntil ? ` at ${claim.disputeUntil.toISOString()}` : ""}; create a new claim with updated PoE.`,
				);
			}
			const newDocs = await tx
				.select({ id: claimDocuments.id })
				.from(claimDocuments)
				.where(
					and(
						eq(claimDocuments.claimId, claim.id),
						// Uploaded while rejected (the sandbox clock can stand still, so the
						// time alone cannot tell PoE from before the rejection apart).
						eq(claimDocuments.purpose, "dispute"),
						gte(claimDocuments.uploadedAt, new Date(rejection.rejectedAt)),
					),
				);
			const justification = opts.justification?.trim() ?? "";
			if (!justification && newDocs.length === 0) {
				throw new DomainError(
					"validation_failed",
					"A dispute needs a business justification, updated PoE uploaded since the rejection, or both.",
					[
						{
							path: "justification",
							code: "required",
							message: "Give a justification or upload updated PoE first.",
						},
					],
				);
			}
			const lines = await tx.query.claimProducts.findMany({
				where: (p, { eq }) => eq(p.claimId, claim.id),
			});
			const dispute: Dispute & Record<string, unknown> = {
				status: "open",
				justification,
				documentIds: newDocs.map((d) => d.id),
				filedAt: now.toISOString(),
				filedBy: actor.name,
				decision: null,
				decidedAt: null,
				decisionComment: null,
				// R-DSP-3: the data a support request would carry.
				mpnId: claim.mpnId,
				programs: programsForActivity(
					claim.solutionArea as SolutionArea,
					claim.activity as Activity,
				),
				tenantId: claim.tenantId,
				products: lines.map((l) => ({
					productId: l.productId,
					subscriptionId: l.subscriptionId,
				})),
				rejectionReason: rejection.reason,
			};
			await comment(
				{
					key: "dispute_filed",
					text: justification || null,
					documents: newDocs.length,
				},
				"dispute",
			);
			return {
				dispute,
				disputeDecisionDue: ctx.deadlines.disputeDecisionDue(now),
			};
		},
	});
}
