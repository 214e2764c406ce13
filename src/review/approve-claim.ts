import type { Actor } from "../auth/actor.ts";
import {
	type ActionScope,
	performClaimAction,
} from "../claims/claim-action.ts";
import { findCompetitors, setLineFlags } from "../claims/claim-products.ts";
import type { Association, ClaimRow, ClaimView } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import type { ReviewerRejectionReason } from "../domain/reasons.ts";
import { rejectionChanges } from "./reject-claim.ts";

/** Options of {@link approveClaim}. */
export interface ApproveClaimOptions {
	actor: Actor;
	claimId: string;
	comment?: string | undefined;
	/** R-CMP-3: the reason given to competing claims that lose arbitration (default `insufficient_poe`). */
	competingRejectionReason?: ReviewerRejectionReason | undefined;
	/** R-CMP-3: the comment given to the losers. */
	competingRejectionComment?: string | undefined;
	expectedVersion?: number | undefined;
}

/**
 * The changes of any approval: the claim holds the association (at most one per tenant,
 * product and activity: R-CMP-2, by a unique index), the consent window opens (R-TIME-5),
 * and R-CMP-3: every competing claim still open is rejected with a reason and comment,
 * in the same transaction.
 */
export async function approvalChanges(
	scope: ActionScope,
	opts: Pick<
		ApproveClaimOptions,
		"comment" | "competingRejectionReason" | "competingRejectionComment"
	> & {
		/** R-DSP-3: the approval decides a dispute (the comment says so). */
		disputeAccepted?: boolean;
	},
): Promise<Partial<ClaimRow>> {
	const { tx, claim, now, ctx, actor } = scope;
	await setLineFlags(
		tx,
		claim.id,
		{ live: true, holdsAssociation: true },
		claim.solutionArea,
	);
	const consentEndsAt = ctx.deadlines.consentEndsAt(now);
	await scope.comment(
		{
			key: "approved",
			text: opts.comment?.trim() || null,
			consentEndsAt: consentEndsAt.toISOString(),
			...(opts.disputeAccepted ? { disputeAccepted: true as const } : {}),
		},
		"decision",
	);
	const losers = await findCompetitors(tx, claim.id);
	for (const loserId of losers) {
		await performClaimAction(
			ctx,
			{
				claimId: loserId,
				actor,
				action: "reject",
				historyAction: "reject_in_arbitration",
				skipTransitionCheck: true,
				events: ["claim.rejected"],
				apply: async (s) => {
					if (
						!["submitted", "under_review", "partner_action_required"].includes(
							s.claim.status,
						)
					)
						return {};
					return {
						...(await rejectionChanges(
							s,
							opts.competingRejectionReason ?? "insufficient_poe",
							opts.competingRejectionComment?.trim() || {
								key: "arbitration_lost",
							},
						)),
						competing: true,
					};
				},
			},
			tx,
		);
	}
	const association: Association = {
		status: "pending_consent",
		approvedAt: now.toISOString(),
		consentEndsAt: consentEndsAt.toISOString(),
		activatedAt: null,
		declinedAt: null,
	};
	return {
		status: "approved",
		decidedAt: now,
		consentEndsAt,
		association,
		partnerResponseDue: null,
	};
}

/**
 * A reviewer approves (under_review → approved). See {@link approvalChanges}.
 * Emits `claim.approved` (and `claim.rejected` for each arbitration loser).
 */
export async function approveClaim(
	ctx: AppContext,
	opts: ApproveClaimOptions,
): Promise<ClaimView> {
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "approve",
		expectedVersion: opts.expectedVersion,
		events: ["claim.approved"],
		apply: (scope) => approvalChanges(scope, opts),
	});
}
