import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import type { ClaimView } from "../claims/claim-view.ts";

/** Options of {@link startReview}. */
export interface StartReviewOptions {
	actor: Actor;
	claimId: string;
	expectedVersion?: number | undefined;
}

/**
 * A reviewer starts the review (submitted → under_review); the decision SLA starts
 * (R-TIME-3). Emits `claim.review_started`.
 */
export async function startReview(
	ctx: AppContext,
	opts: StartReviewOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "start_review",
		expectedVersion: opts.expectedVersion,
		events: ["claim.review_started"],
		apply: async ({ now, actor, ctx }) => ({
			status: "under_review",
			reviewStartedAt: now,
			reviewerId: actor.userId,
			decisionDue: ctx.deadlines.decisionDue(now),
		}),
	});
}
