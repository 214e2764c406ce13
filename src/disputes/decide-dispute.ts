import type { Actor } from "../auth/actor.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import { setLineFlags } from "../claims/claim-products.ts";
import type { ClaimRow, ClaimView, Dispute } from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import type { InformationRequestReason } from "../domain/reasons.ts";
import { approvalChanges } from "../review/approve-claim.ts";
import { informationRequestChanges } from "../review/request-information.ts";

/** Options of {@link decideDispute}. */
export interface DecideDisputeOptions {
	actor: Actor;
	claimId: string;
	decision: "approve" | "request_information" | "uphold";
	comment: string;
	/** R-REV-1 reasons, required for `request_information`. */
	reasons?: InformationRequestReason[] | undefined;
	expectedVersion?: number | undefined;
}

/**
 * A reviewer decides an open dispute (SPEC section 4): approve → approved (consent
 * window opens), request information → partner_action_required, uphold → stays
 * rejected. The dispute is closed either way. Emits `claim.dispute_decided` (and
 * `claim.approved` / `claim.information_requested`).
 */
export async function decideDispute(
	ctx: AppContext,
	opts: DecideDisputeOptions,
): Promise<ClaimView> {
	if (opts.decision === "request_information" && !opts.reasons?.length) {
		throw new DomainError(
			"validation_failed",
			"Requesting information needs at least one reason.",
			[
				{
					path: "reasons",
					code: "required",
					message: "Give one or more R-REV-1 reasons.",
				},
			],
		);
	}
	const events: (
		| "claim.dispute_decided"
		| "claim.approved"
		| "claim.information_requested"
	)[] = ["claim.dispute_decided"];
	if (opts.decision === "approve") events.push("claim.approved");
	if (opts.decision === "request_information")
		events.push("claim.information_requested");
	return performClaimAction(ctx, {
		claimId: opts.claimId,
		actor: opts.actor,
		action: "dispute_decision",
		historyAction: `dispute_${opts.decision}`,
		expectedVersion: opts.expectedVersion,
		events,
		apply: async (scope) => {
			const { claim, now, actor, tx, comment } = scope;
			const dispute = {
				...(claim.dispute as Dispute),
				status: "decided" as const,
				decision: opts.decision,
				decidedAt: now.toISOString(),
				decisionComment: opts.comment,
			};
			const closed: Partial<ClaimRow> = { dispute, disputeDecisionDue: null };
			if (opts.decision === "uphold") {
				await comment(
					{ key: "dispute_upheld", text: opts.comment },
					"decision",
				);
				return closed;
			}
			if (opts.decision === "approve") {
				return {
					...(await approvalChanges(scope, {
						comment: opts.comment,
						disputeAccepted: true,
					})),
					...closed,
					rejection: null,
					disputeUntil: null,
				};
			}
			await setLineFlags(tx, claim.id, { live: true }, claim.solutionArea);
			const requested = await informationRequestChanges(
				scope,
				opts.reasons ?? [],
				opts.comment,
				true,
			);
			return {
				...closed,
				...requested,
				decisionDue: scope.ctx.deadlines.decisionDue(now),
				rejection: null,
				disputeUntil: null,
			};
		},
	});
}
