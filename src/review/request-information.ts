import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import type { ClaimView, InformationRequest } from "../claims/claim-view.ts";
import {
	REASON_DESCRIPTIONS,
	type InformationRequestReason,
} from "../domain/reasons.ts";

/** Options of {@link requestInformation}. */
export interface RequestInformationOptions {
	actor: Actor;
	claimId: string;
	/** One or more R-REV-1 reasons. */
	reasons: InformationRequestReason[];
	comment: string;
	expectedVersion?: number | undefined;
}

/**
 * A reviewer asks the partner for more (under_review → partner_action_required) with
 * reasons (R-REV-1) and a comment posted to the thread (R-REV-3); the partner's response
 * deadline starts (R-TIME-4). Emits `claim.information_requested`.
 */
export async function requestInformation(
	ctx: AppContext,
	opts: RequestInformationOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "request_information",
		expectedVersion: opts.expectedVersion,
		events: ["claim.information_requested"],
		apply: async ({ now, actor, ctx, comment }) => {
			const due = ctx.deadlines.partnerResponseDue(now);
			const reasons = [...new Set(opts.reasons)];
			await comment(
				`Information requested (respond by ${due.toISOString()}):\n${reasons
					.map((r) => `- ${REASON_DESCRIPTIONS[r]}`)
					.join("\n")}\n\n${opts.comment}`,
				"information_request",
			);
			const request: InformationRequest = {
				reasons,
				comment: opts.comment,
				requestedAt: now.toISOString(),
				requestedBy: actor.name,
				respondBy: due.toISOString(),
			};
			return {
				status: "partner_action_required",
				informationRequest: request,
				partnerResponseDue: due,
			};
		},
	});
}
