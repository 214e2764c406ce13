/**
 * R-CMP-2 / R-CMP-3: marking competing claims and telling each party that arbitration
 * is under way.
 */

import { eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { Tx } from "../db/client.ts";
import { claims } from "../db/schema.ts";
import { findCompetitors } from "./claim-products.ts";
import { carryPartsVersion } from "./claim-view.ts";
import { type CommentTemplate, commentBody } from "./comment-template.ts";
import { postComment, recordHistory } from "./history.ts";

/** The note each competing claim gets (R-CMP-2): no instant in it, so any zone. */
const ARBITRATION_NOTE: CommentTemplate = { key: "arbitration" };

/**
 * Takes this transaction's advisory locks on the claim's compete keys (R-CMP-2 under
 * concurrency, migration 0007's `cpor_lock_compete_keys`, held until commit). Take them
 * before reading the claim's competitors to mark them: a concurrent submit on the same
 * key then either committed before (and is read) or looks again after this commits
 * (and sees this claim). Lines written earlier in the transaction count.
 */
export async function lockCompeteKeys(tx: Tx, claimId: string): Promise<void> {
	await tx.execute(sql`select cpor_lock_compete_keys(${claimId})`);
}

/**
 * Finds the claim's competitors; when there are any, marks this claim and each of them
 * `competing` (with a history row and an arbitration comment on each claim newly
 * marked). Returns whether this claim competes. Runs in the caller's transaction.
 * `competitors`: the competitors when the caller read them already (in this transaction
 * after locking the claim and its compete keys, or an empty list in an optimistic
 * submit, which then writes nothing here); otherwise the compete keys are locked
 * ({@link lockCompeteKeys}) and the competitors read here.
 */
export async function markCompeting(
	tx: Tx,
	claimId: string,
	actor: Actor,
	now: Date,
	competitors?: readonly string[],
): Promise<boolean> {
	if (!competitors) await lockCompeteKeys(tx, claimId);
	const others = competitors ?? (await findCompetitors(tx, claimId));
	if (others.length === 0) return false;
	const ids = [...others, claimId].sort();
	// Lock in ID order so concurrent markers cannot deadlock.
	const rows = await tx
		.select({ id: claims.id, competing: claims.competing })
		.from(claims)
		.where(inArray(claims.id, ids))
		.orderBy(claims.id)
		.for("update");
	for (const r of rows) {
		if (r.competing) continue;
		if (r.id !== claimId) {
			await tx
				.update(claims)
				.set({
					competing: true,
					version: sql`${claims.version} + 1`,
					partsVersion: carryPartsVersion,
					updatedAt: now,
				})
				.where(eq(claims.id, r.id));
		}
		await recordHistory(tx, {
			claimId: r.id,
			actor,
			at: now,
			action: "mark_competing",
			before: { competing: false },
			after: { competing: true },
		});
		await postComment(tx, {
			claimId: r.id,
			actor: {
				...actor,
				name: "CPOR",
				userId: null,
				kind: "system",
				roles: [],
			},
			at: now,
			body: commentBody(ARBITRATION_NOTE, "UTC"),
			template: ARBITRATION_NOTE,
			kind: "arbitration",
		});
	}
	return true;
}
