import type { Actor } from "../auth/actor.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import type { Association, ClaimView } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { rejectionChanges } from "../review/reject-claim.ts";

/** Options of {@link optOut}. */
export interface OptOutOptions {
	actor: Actor;
	claimId: string;
	comment?: string | undefined;
}

/**
 * The customer opts out within the consent window (R-CON-2): approved → rejected with
 * `customer_declined`; the association is declined and the partner told in the thread.
 * Emits `claim.consent_declined` and `claim.rejected`.
 */
export async function optOut(
	ctx: AppContext,
	opts: OptOutOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "opt_out",
		events: ["claim.consent_declined", "claim.rejected"],
		apply: async (scope) => {
			const association = scope.claim.association as Association;
			const changes = await rejectionChanges(
				scope,
				"customer_declined",
				opts.comment?.trim() || { key: "customer_opted_out" },
			);
			return {
				...changes,
				consentEndsAt: scope.claim.consentEndsAt,
				association: {
					...association,
					status: "declined",
					declinedAt: scope.now.toISOString(),
				},
			};
		},
	});
}
