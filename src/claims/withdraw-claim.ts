import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { performClaimAction } from "./claim-action.ts";
import { setLineFlags } from "./claim-products.ts";
import type { Association, ClaimView, Rejection } from "./claim-view.ts";
import { type CommentTemplate, commentBody } from "./comment-template.ts";

/** Options of {@link withdrawClaim}. */
export interface WithdrawClaimOptions {
	actor: Actor;
	claimId: string;
	comment?: string | undefined;
	expectedVersion?: number | undefined;
}

/**
 * A partner admin requests rejection (SPEC section 4: submitted, under review, partner
 * action required or approved → rejected with `partner_request`). No dispute is possible
 * afterwards (R-DSP-1). An approved association ends. Emits `claim.rejected`.
 */
export async function withdrawClaim(
	ctx: AppContext,
	opts: WithdrawClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "withdraw",
		historyAction: "request_rejection",
		expectedVersion: opts.expectedVersion,
		events: ["claim.rejected"],
		apply: async ({ tx, claim, now, comment, actor }) => {
			const given = opts.comment?.trim();
			const template: CommentTemplate = { key: "rejection_requested" };
			const text = given || commentBody(template, ctx.calendar.timeZone);
			await comment(given || template, "decision");
			await setLineFlags(
				tx,
				claim.id,
				{ live: false, holdsAssociation: false },
				claim.solutionArea,
			);
			const association = claim.association as Association | null;
			const rejection: Rejection = {
				reason: "partner_request",
				comment: text,
				...(given ? {} : { generated: { key: "rejection_requested" } }),
				rejectedAt: now.toISOString(),
				rejectedBy: actor.name,
				disputeUntil: null,
			};
			return {
				status: "rejected",
				rejection,
				decidedAt: now,
				partnerResponseDue: null,
				disputeUntil: null,
				association: association
					? {
							...association,
							status: "declined",
							declinedAt: now.toISOString(),
						}
					: null,
			};
		},
	});
}
