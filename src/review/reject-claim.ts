import type { Actor } from "../auth/actor.ts";
import type { ActionScope } from "../claims/claim-action.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import { setLineFlags } from "../claims/claim-products.ts";
import type { ClaimRow, ClaimView, Rejection } from "../claims/claim-view.ts";
import {
	type CommentText,
	commentTextBody,
} from "../claims/comment-template.ts";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import type {
	RejectionReason,
	ReviewerRejectionReason,
} from "../domain/reasons.ts";

/** Options of {@link rejectClaim}. */
export interface RejectClaimOptions {
	actor: Actor;
	claimId: string;
	/** A reviewer's R-REV-2 reason (not partner_request or customer_declined). */
	reason: ReviewerRejectionReason;
	comment: string;
	expectedVersion?: number | undefined;
}

/**
 * The changes of any rejection: the claim stops being live (R-CMP-1), the dispute window
 * opens unless the partner asked (R-TIME-7, R-DSP-1), and the rejection notice comment
 * says the reason and how to dispute (R-DSP-2).
 */
export async function rejectionChanges(
	scope: Pick<
		ActionScope,
		"tx" | "claim" | "now" | "actor" | "ctx" | "comment"
	>,
	reason: RejectionReason,
	text: CommentText,
): Promise<Partial<ClaimRow>> {
	const disputable = reason !== "partner_request";
	const disputeUntil = disputable
		? scope.ctx.deadlines.disputeUntil(scope.now)
		: null;
	await setLineFlags(
		scope.tx as Tx,
		scope.claim.id,
		{ live: false, holdsAssociation: false },
		scope.claim.solutionArea,
	);
	await scope.comment(
		{
			key: "rejected",
			reason,
			text,
			disputeUntil: disputeUntil?.toISOString() ?? null,
		},
		"decision",
	);
	const rejection: Rejection = {
		reason,
		comment: commentTextBody(text, scope.ctx.calendar.timeZone),
		...(typeof text === "string" ? {} : { generated: text }),
		rejectedAt: scope.now.toISOString(),
		rejectedBy: scope.actor.name,
		disputeUntil: disputeUntil?.toISOString() ?? null,
	};
	return {
		status: "rejected",
		rejection,
		decidedAt: scope.now,
		disputeUntil,
		partnerResponseDue: null,
		dispute: null,
	};
}

/**
 * A reviewer rejects (under_review → rejected) with a reason and comment (R-REV-2).
 * Emits `claim.rejected`.
 */
export async function rejectClaim(
	ctx: AppContext,
	opts: RejectClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "reject",
		expectedVersion: opts.expectedVersion,
		events: ["claim.rejected"],
		apply: (scope) => rejectionChanges(scope, opts.reason, opts.comment),
	});
}
