import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { performClaimAction } from "./claim-action.ts";
import type { ClaimView, InformationRequest } from "./claim-view.ts";
import { checkSubmittable } from "./submit-claim.ts";

/** Options of {@link resubmitClaim}. */
export interface ResubmitClaimOptions {
	actor: Actor;
	claimId: string;
	/** The partner's answer to the information request, posted to the thread (R-REV-3). */
	comment?: string | undefined;
	expectedVersion?: number | undefined;
}

/**
 * Resubmits after an information request (partner_action_required → under_review).
 * Re-runs the submit checks (and keeps what they read as the claim's R-DIR-6 snapshot);
 * the decision SLA (R-TIME-3) is extended by the business
 * days the partner took ("10 business days plus the partner's time").
 * Emits `claim.resubmitted`.
 */
export async function resubmitClaim(
	ctx: AppContext,
	opts: ResubmitClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "resubmit",
		expectedVersion: opts.expectedVersion,
		events: ["claim.resubmitted"],
		apply: async ({ tx, claim, now, ctx, comment, lines, docs }) => {
			const { snapshot } = await checkSubmittable(
				tx,
				claim,
				{ lines, docs },
				{ now },
			);
			if (opts.comment?.trim()) await comment(opts.comment.trim(), "response");
			const request = claim.informationRequest as InformationRequest | null;
			let decisionDue = claim.decisionDue;
			if (request && decisionDue) {
				const partnerDays = ctx.calendar.businessDaysBetween(
					new Date(request.requestedAt),
					now,
				);
				decisionDue = ctx.calendar.addBusinessDays(decisionDue, partnerDays);
			} else {
				decisionDue = ctx.deadlines.decisionDue(now);
			}
			return {
				status: "under_review",
				snapshot,
				partnerResponseDue: null,
				decisionDue,
				informationRequest: request
					? { ...request, answeredAt: now.toISOString() }
					: null,
			};
		},
	});
}
