/**
 * R-DSH-1's counters: claims per partner organization and status without scanning the
 * claims. Triggers on `claims` (migration 0003) append ±1 rows to `claim_status_deltas`
 * in each writing transaction; {@link foldClaimStatusDeltas} moves them into
 * `claim_status_counts` in the background; a read sums both, so it is exact at its
 * snapshot.
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";

type Rows<T> = { rows: T[] };

/**
 * Folds the pending deltas into the counters in one statement (delete … returning into
 * an upsert), so readers see either the deltas or the counters, never both or neither.
 * Safe in several processes at once: a row is deleted, and so counted, by one of them.
 * Returns how many deltas were folded.
 */
export async function foldClaimStatusDeltas(ctx: AppContext): Promise<number> {
	const res = (await ctx.db.execute(sql`
		with moved as (
			delete from claim_status_deltas
			where id <= (select max(id) from claim_status_deltas)
			returning partner_organization_id, status, delta
		), folded as (
			insert into claim_status_counts (partner_organization_id, status, n)
			select partner_organization_id, status, sum(delta) from moved group by 1, 2
			on conflict (partner_organization_id, status)
			do update set n = claim_status_counts.n + excluded.n
			returning 1
		)
		select (select count(*) from moved)::int as n, (select count(*) from folded)::int as groups`)) as unknown as Rows<{
		n: number;
	}>;
	return Number(res.rows[0]?.n ?? 0);
}

/**
 * Claims per status of one partner organization, or of all organizations (`null`), from
 * the counters: a few dozen rows whatever the number of claims.
 */
export async function countsFromCounters(
	ctx: AppContext,
	organizationId: string | null,
): Promise<Map<string, number>> {
	const scope = organizationId
		? sql`where partner_organization_id = ${organizationId}`
		: sql``;
	const res = (await ctx.db.execute(sql`
		select status, sum(n)::bigint as n from (
			select status, n from claim_status_counts ${scope}
			union all
			select status, delta as n from claim_status_deltas ${scope}
		) c group by status`)) as unknown as Rows<{
		status: string;
		n: string | number;
	}>;
	return new Map(res.rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Recounts the counters from the claims (after bulk SQL that bypassed the triggers, such
 * as a load with `session_replication_role = replica`, or a TRUNCATE). Returns the number
 * of (organization, status) rows.
 */
export async function rebuildClaimStatusCounts(db: Db): Promise<number> {
	return db.transaction(async (tx) => {
		// Claim writers wait meanwhile, so no delta can slip between the recount and the reset.
		await tx.execute(sql`lock table claims in share mode`);
		await tx.execute(sql`delete from claim_status_deltas`);
		await tx.execute(sql`delete from claim_status_counts`);
		const res = (await tx.execute(sql`
			insert into claim_status_counts (partner_organization_id, status, n)
			select partner_organization_id, status, count(*) from claims group by 1, 2
			returning 1`)) as unknown as Rows<unknown>;
		return res.rows.length;
	});
}
