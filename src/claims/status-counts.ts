/**
 * R-DSH-1's counters: claims per partner organization, status, solution area, activity,
 * MPN ID and competing flag, without scanning the claims. Triggers on `claims`
 * (migrations 0003 and 0020) append ±1 rows to `claim_status_deltas` in each writing
 * transaction; {@link foldClaimStatusDeltas} moves them into `claim_status_counts` in the
 * background; a read sums both, so it is exact at its snapshot. Statement triggers on
 * `claim_status_counts` (migration 0021) keep `claim_status_totals`, the counters summed
 * over every organization and MPN ID, for a reviewer's counts.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";

type Rows<T> = { rows: T[] };

/** The counters' key columns, in their primary key's order. */
const COUNTER_KEY = sql.raw(
	"partner_organization_id, status, solution_area, activity, mpn_id, competing",
);

/** The names of the claim list filters the counters hold ({@link CounterFilters}). */
export const COUNTER_FILTERS: ReadonlySet<string> = new Set([
	"solutionArea",
	"activity",
	"mpnId",
	"competing",
] satisfies (keyof CounterFilters)[]);

/** The claim list filters the counters can answer (the claim's own columns). */
export interface CounterFilters {
	solutionArea?: string | undefined;
	activity?: string | undefined;
	mpnId?: string | undefined;
	/** `"true"` or `"false"`, as the query string has it. */
	competing?: string | undefined;
}

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
			returning ${COUNTER_KEY}, delta
		), folded as (
			insert into claim_status_counts (${COUNTER_KEY}, n)
			select ${COUNTER_KEY}, sum(delta) from moved group by 1, 2, 3, 4, 5, 6
			on conflict (${COUNTER_KEY})
			do update set n = claim_status_counts.n + excluded.n
			returning 1
		)
		select (select count(*) from moved)::int as n, (select count(*) from folded)::int as groups`)) as unknown as Rows<{
		n: number;
	}>;
	return Number(res.rows[0]?.n ?? 0);
}

/**
 * Claims per status of one partner organization, or of all organizations (`null`), with
 * the given filters, from the counters: a few hundred rows at most per organization,
 * whatever the number of claims. For all organizations without an MPN ID filter, from
 * `claim_status_totals` (the counters summed over organizations, a few hundred rows
 * whatever the number of partners); with one, from that MPN ID's counter rows.
 */
export async function countsFromCounters(
	ctx: AppContext,
	organizationId: string | null,
	filters: CounterFilters = {},
): Promise<Map<string, number>> {
	const conds: SQL[] = [];
	if (organizationId)
		conds.push(sql`partner_organization_id = ${organizationId}`);
	if (filters.solutionArea)
		conds.push(sql`solution_area = ${filters.solutionArea}`);
	if (filters.activity) conds.push(sql`activity = ${filters.activity}`);
	if (filters.mpnId) conds.push(sql`mpn_id = ${filters.mpnId}`);
	if (filters.competing)
		conds.push(sql`competing = ${filters.competing === "true"}`);
	const scope =
		conds.length > 0 ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
	const counters =
		organizationId || filters.mpnId
			? sql`claim_status_counts`
			: sql`claim_status_totals`;
	const res = (await ctx.db.execute(sql`
		select status, sum(n)::bigint as n from (
			select status, n from ${counters} ${scope}
			union all
			select status, delta as n from claim_status_deltas ${scope}
		) c group by status`)) as unknown as Rows<{
		status: string;
		n: string | number;
	}>;
	return new Map(res.rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Recounts the counters, and their totals over organizations, from the claims (after bulk
 * SQL that bypassed the triggers, such as a load with `session_replication_role =
 * replica`, or a TRUNCATE). Returns the number
 * of counter rows (one per organization, status, solution area, activity, MPN ID and
 * competing flag that claims have).
 */
export async function rebuildClaimStatusCounts(db: Db): Promise<number> {
	return db.transaction(async (tx) => {
		// Claim writers wait meanwhile, so no delta can slip between the recount and the reset.
		await tx.execute(sql`lock table claims in share mode`);
		await tx.execute(sql`delete from claim_status_deltas`);
		await tx.execute(sql`delete from claim_status_counts`);
		// Their triggers took the counters out of the totals; recounted from nothing too.
		await tx.execute(sql`delete from claim_status_totals`);
		const res = (await tx.execute(sql`
			insert into claim_status_counts (${COUNTER_KEY}, n)
			select ${COUNTER_KEY}, count(*) from claims group by 1, 2, 3, 4, 5, 6
			returning 1`)) as unknown as Rows<unknown>;
		return res.rows.length;
	});
}
