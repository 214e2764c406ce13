/**
 * The time-driven transitions of SPEC section 5, applied by the sweeper through the same
 * claim-action path as a person's action (lock, re-check state, write claim + history +
 * outbox in one transaction):
 * - R-TIME-4: partner_action_required past its response deadline → rejected
 *   (`no_partner_response`), exactly once.
 * - R-TIME-6: approved past the consent window with no opt-out → association active,
 *   then eligibility evaluated (R-ELG-1), exactly once.
 */

import { eq, inArray } from "drizzle-orm";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import { performClaimAction } from "../claims/claim-action.ts";
import type { Association, ClaimRow } from "../claims/claim-view.ts";
import type { CommentTemplate } from "../claims/comment-template.ts";
import type { AppContext } from "../context.ts";
import type { Tx } from "../db/client.ts";
import { mpnIds, products, subscriptions } from "../db/schema.ts";
import type {
	Activity,
	SolutionArea,
	SubscriptionFacts,
} from "../domain/claim-validation.ts";
import {
	type EligibilityResult,
	evaluateEligibility,
} from "../domain/eligibility.ts";
import { rejectionChanges } from "../review/reject-claim.ts";

/** R-TIME-4: rejects one claim whose partner-response deadline passed. Re-checks under the lock. */
export async function expirePartnerResponse(
	ctx: AppContext,
	claimId: string,
	tx?: Tx,
) {
	return performClaimAction(
		ctx,
		{
			claimId,
			actor: SYSTEM_ACTOR,
			action: "expire_partner_response",
			events: ["claim.rejected"],
			apply: async (scope) => {
				const due = scope.claim.partnerResponseDue;
				if (!due || due.getTime() > scope.now.getTime()) {
					throw new TimerNotDueError(claimId);
				}
				return rejectionChanges(scope, "no_partner_response", {
					key: "no_partner_response",
					due: due.toISOString(),
				});
			},
		},
		tx,
	);
}

/** Thrown (and swallowed by the sweeper) when a timer is no longer due under the lock. */
export class TimerNotDueError extends Error {
	constructor(claimId: string) {
		super(`timer of claim ${claimId} is not due`);
	}
}

async function eligibilityFor(tx: Tx, claim: ClaimRow) {
	const lines = await tx.query.claimProducts.findMany({
		where: (p, { eq }) => eq(p.claimId, claim.id),
	});
	const subIds = lines
		.map((l) => l.subscriptionId)
		.filter((s): s is string => !!s);
	const subs = subIds.length
		? await tx
				.select({ s: subscriptions, dynamics: products.dynamics })
				.from(subscriptions)
				.innerJoin(products, eq(products.productId, subscriptions.productId))
				.where(inArray(subscriptions.subscriptionId, subIds))
		: [];
	const byId = new Map(
		subs.map((r) => [
			r.s.subscriptionId,
			{ ...r.s, dynamics: r.dynamics } as SubscriptionFacts,
		]),
	);
	const [mpn] = await tx
		.select()
		.from(mpnIds)
		.where(eq(mpnIds.mpnId, claim.mpnId));
	return {
		solutionArea: claim.solutionArea as SolutionArea,
		activity: claim.activity as Activity,
		mpnPrograms: mpn?.programs ?? [],
		subscriptions: subIds.map((id) => byId.get(id)),
	};
}

/** The comment of an activation (R-TIME-6) with its eligibility (R-ELG-1). */
export function activationComment(
	eligibility: readonly EligibilityResult[],
): CommentTemplate {
	return {
		key: "activated",
		eligibility: eligibility.map((e) => ({
			program: e.program,
			result: e.result,
		})),
	};
}

/** R-TIME-6 and R-ELG-1: activates one association whose consent window ended. Re-checks under the lock. */
export async function activateAssociation(
	ctx: AppContext,
	claimId: string,
	tx?: Tx,
) {
	return performClaimAction(
		ctx,
		{
			claimId,
			actor: SYSTEM_ACTOR,
			action: "activate_association",
			events: ["association.activated", "eligibility.evaluated"],
			apply: async (scope) => {
				const ends = scope.claim.consentEndsAt;
				if (!ends || ends.getTime() > scope.now.getTime())
					throw new TimerNotDueError(claimId);
				const association = scope.claim.association as Association;
				const eligibility = evaluateEligibility(
					await eligibilityFor(scope.tx, scope.claim),
					scope.now,
				);
				await scope.comment(activationComment(eligibility), "system");
				return {
					association: {
						...association,
						status: "active",
						// Active from the window's end (R-TIME-6), however late this runs:
						// the "partner of record since" and the reports' date associated.
						activatedAt: ends.toISOString(),
					},
					eligibility,
				};
			},
		},
		tx,
	);
}
