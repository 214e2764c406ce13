import type { Actor } from "../auth/actor.ts";
import {
	type ActionScope,
	performClaimAction,
} from "../claims/claim-action.ts";
import type {
	ClaimRow,
	ClaimView,
	InformationRequest,
} from "../claims/claim-view.ts";
import type { AppContext } from "../context.ts";
import type { InformationRequestReason } from "../domain/reasons.ts";

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
		apply: (scope) =>
			// Each reason once, however often it was sent.
			informationRequestChanges(
				scope,
				[...new Set(opts.reasons)],
				opts.comment,
			),
	});
}

/**
 * The changes of any information request (R-REV-1, R-TIME-4): the reasons and comment
 * posted to the thread, the request stored, the partner's response deadline started.
 * `dispute`: asked as a dispute's decision (R-DSP-3; the comment says so).
 */
export async function informationRequestChanges(
	scope: Pick<ActionScope, "now" | "actor" | "ctx" | "comment">,
	reasonList: InformationRequestReason[],
	text: string,
	dispute = false,
): Promise<Partial<ClaimRow>> {
	const due = scope.ctx.deadlines.partnerResponseDue(scope.now);
	const reasons = [...new Set(reasonList)];
	await scope.comment(
		{
			key: "information_requested",
			reasons,
			text,
			respondBy: due.toISOString(),
			...(dispute ? { dispute: true as const } : {}),
		},
		"information_request",
	);
	const request: InformationRequest = {
		reasons,
		comment: text,
		requestedAt: scope.now.toISOString(),
		requestedBy: scope.actor.name,
		respondBy: due.toISOString(),
	};
	return {
		status: "partner_action_required",
		informationRequest: request,
		partnerResponseDue: due,
	};
}
