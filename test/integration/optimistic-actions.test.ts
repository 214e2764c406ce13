/**
 * Claim actions run `optimistic` (src/claims/claim-action.ts; uploads and submits): read
 * without a lock, then one statement that writes only while the claim is at the version
 * read, else raises serialization_failure (migration 0005) and writes nothing. Here the
 * claim is changed between the read and the write on purpose (by `apply` itself, through
 * another statement), on both databases (R-EDIT-2, R-HIS-1).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import {
	OPTIMISTIC_ATTEMPTS,
	type PerformClaimActionOptions,
	performClaimAction,
} from "../../src/claims/claim-action.ts";
import { claimHistory, claims } from "../../src/db/schema.ts";
import { DomainError } from "../../src/domain/errors.ts";
import {
	DB_KINDS,
	m365ClaimBody,
	startTestApp,
	type TestApp,
	USERS,
} from "../support/test-app.ts";

describe.each(DB_KINDS)("optimistic claim actions on %s", (kind) => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp(kind);
	});
	afterAll(async () => t?.close());

	/** A new draft of Fabrikam's on its own workload (R-CMP-1 allows one per workload). */
	async function newDraft(productId: string): Promise<string> {
		const ana = await t.login(USERS.ana);
		const created = await ana.post(
			"/api/v1/claims",
			m365ClaimBody({ products: [{ productId }] }),
		);
		expect(created.statusCode, created.body).toBe(201);
		return created.json().id as string;
	}
	/** Another writer: bumps the claim's version in a statement of its own. */
	const bumpVersion = (id: string) =>
		t.ctx.db
			.update(claims)
			.set({ version: sql`${claims.version} + 1` })
			.where(eq(claims.id, id));
	/** The system actor's edit of claim `id`, run optimistic, with `apply` and `prepare`. */
	const optimisticEdit = (
		id: string,
		apply: PerformClaimActionOptions["apply"],
		prepare?: () => Promise<void>,
	) =>
		performClaimAction(t.ctx, {
			claimId: id,
			actor: SYSTEM_ACTOR,
			action: "edit",
			skipTransitionCheck: true,
			optimistic: true,
			apply,
			...(prepare ? { prepare } : {}),
		});
	const editRows = async (id: string) =>
		(
			await t.ctx.db
				.select({ action: claimHistory.action })
				.from(claimHistory)
				.where(eq(claimHistory.claimId, id))
		).filter((h) => h.action === "edit");

	it("R-EDIT-2 a claim changed under every try is applied once under the row lock after the tries, prepare run once", async () => {
		const id = await newDraft("exchange-online");
		let prepared = 0;
		const applied: boolean[] = [];
		const claim = await optimisticEdit(
			id,
			async ({ optimistic }) => {
				applied.push(optimistic);
				if (optimistic) await bumpVersion(id);
				return { name: `Renamed on call ${applied.length}` };
			},
			async () => {
				prepared++;
			},
		);
		expect(prepared).toBe(1);
		expect(applied).toEqual([...Array(OPTIMISTIC_ATTEMPTS).fill(true), false]);
		// Created at 1, bumped once per optimistic try, then the action itself.
		expect(claim.version).toBe(1 + OPTIMISTIC_ATTEMPTS + 1);
		expect(claim.name).toBe(`Renamed on call ${OPTIMISTIC_ATTEMPTS + 1}`);
		// The failed tries wrote nothing: one history row for the one edit.
		expect(await editRows(id)).toHaveLength(1);
		const [row] = await t.ctx.db
			.select({ version: claims.version, name: claims.name })
			.from(claims)
			.where(eq(claims.id, id));
		expect(row).toEqual({ version: claim.version, name: claim.name });
	});

	it("R-EDIT-2 a refusal from apply stands only while the claim is still as read", async () => {
		const id = await newDraft("sharepoint-online");
		let calls = 0;
		// First call: the claim changes meanwhile, and apply refuses what it read.
		const claim = await optimisticEdit(id, async () => {
			calls++;
			if (calls === 1) {
				await bumpVersion(id);
				throw new DomainError("claim_incomplete", "refused on a stale read");
			}
			return { name: "Accepted on the second read" };
		});
		expect(calls).toBe(2);
		expect(claim).toMatchObject({
			version: 3,
			name: "Accepted on the second read",
		});

		// Unchanged claim: the refusal is the answer, and nothing is written.
		const other = await newDraft("onedrive-for-business");
		let refusals = 0;
		await expect(
			optimisticEdit(other, async () => {
				refusals++;
				throw new DomainError("claim_incomplete", "refused");
			}),
		).rejects.toMatchObject({ code: "claim_incomplete" });
		expect(refusals).toBe(1);
		expect(await editRows(other)).toHaveLength(0);
	});
});
