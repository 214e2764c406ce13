import { eq } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claims } from "../db/schema.ts";
import { assertTransition } from "../domain/claim-lifecycle.ts";
import { factsOf, lockVisibleClaim } from "./claim-action.ts";
import { loadClaimView } from "./claim-view.ts";
import { historySnapshot, recordHistory } from "./history.ts";

/** Options of {@link deleteClaim}. */
export interface DeleteClaimOptions {
	actor: Actor;
	claimId: string;
	expectedVersion: number | undefined;
}

/**
 * Deletes a draft (SPEC section 4: draft → gone). The history keeps a `delete` row with
 * the last state. @throws `not_found`, `version_conflict`, `invalid_transition`.
 */
export async function deleteClaim(
	ctx: AppContext,
	opts: DeleteClaimOptions,
): Promise<void> {
	await ctx.db.transaction(async (tx) => {
		const now = ctx.clock.now();
		const row = await lockVisibleClaim(
			tx,
			opts.actor,
			opts.claimId,
			opts.expectedVersion,
		);
		assertTransition("delete", opts.actor.kind, factsOf(row, now));
		const view = await loadClaimView(tx, row.id);
		await recordHistory(tx, {
			claimId: row.id,
			actor: opts.actor,
			at: now,
			action: "delete",
			before: view ? historySnapshot(view) : null,
			after: null,
		});
		await tx.delete(claims).where(eq(claims.id, row.id));
	});
}
