/**
 * SPEC R-ELG-2: earnings and payout reporting. Per MPN ID and program, the partner's
 * eligible associations: an ACTIVE association (R-TIME-6) whose eligibility evaluation
 * (R-ELG-1) gave `eligible` for that program, with claim ID, tenant ID and subscription
 * IDs (Business Applications) or workloads (Microsoft 365), so the partner can validate
 * them. Only the caller's own organization (R-ACC-1).
 */
import { sql } from "drizzle-orm";
import { type Actor, partnerOrganizationOf } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { csvLines } from "../csv.ts";
import { executeCancellable } from "../db/cancellable.ts";
import { activeAssociation } from "../db/schema.ts";
import { PROGRAMS, type Program } from "../domain/catalog.ts";
import { decodeCursor, encodeCursor, stringsOf } from "../domain/cursor.ts";
import { DomainError } from "../domain/errors.ts";

/** One eligible association of an MPN ID in a program. */
export interface EarningsAssociation {
	claimId: string;
	claimName: string;
	tenantId: string;
	customerName: string | null;
	solutionArea: string;
	activity: string;
	/** Business Applications: the claimed subscription IDs. Empty for Microsoft 365. */
	subscriptionIds: string[];
	/** The claimed products (Microsoft 365: the workloads). */
	products: {
		productId: string;
		name: string;
		subscriptionId: string | null;
	}[];
	/** When the association became active (the consent window ended, R-TIME-6). */
	dateAssociated: string | null;
	approvedAt: string | null;
	/** When eligibility was evaluated (R-ELG-1). */
	evaluatedAt: string | null;
}

/** One MPN ID and program with its eligible associations. */
export interface EarningsGroup {
	mpnId: string;
	program: Program;
	associations: EarningsAssociation[];
}

/**
 * One eligible association of the report as the database wrote it: its MPN ID, program
 * and the {@link EarningsAssociation} as JSON text, in the report's order.
 */
export interface EarningsRow {
	mpnId: string;
	program: Program;
	/** An {@link EarningsAssociation} as compact JSON. */
	json: string;
}

/** Associations per statement and per chunk of the report's body. */
export const EARNINGS_PAGE_SIZE = 1000;

/** Pages of the report read at once, ahead of the response ({@link earningsPages}). */
export const EARNINGS_READ_AHEAD = 2;

/** One row of the report's order: an eligible association of a claim in a program. */
interface EarningsKey {
	mpnId: string;
	program: Program;
	claimId: string;
	/** The date associated as the claim holds it (ISO 8601 UTC), "" when none. */
	activatedAt: string;
}

/** Which associations: one program, one MPN ID, or all (undefined). */
export interface EarningsFilter {
	program?: Program | undefined;
	mpnId?: string | undefined;
}

/**
 * The report's order for an organization (see {@link earningsPages}) in ONE statement:
 * the keys only (MPN ID, program, claim ID and date associated), not the associations.
 */
async function earningsKeys(
	ctx: AppContext,
	organizationId: string,
	filter: EarningsFilter,
	signal: AbortSignal | undefined,
): Promise<EarningsKey[]> {
	// A text[] literal: the programs are fixed identifiers (PROGRAMS), in report order.
	const programs = `{${(filter.program ? [filter.program] : PROGRAMS).join(",")}}`;
	// 0.5-0.7 s for a large partner at 1,000,000 claims: stopped if the request is abandoned.
	const result = await executeCancellable(
		ctx.db,
		sql`
		select c.mpn_id as "mpnId", el.entry->>'program' as program, c.id as "claimId",
			coalesce(c.association->>'activatedAt', '') as "activatedAt"
		from claims c
		cross join lateral jsonb_array_elements(c.eligibility) el(entry)
		where c.partner_organization_id = ${organizationId}
			and ${activeAssociation("c")}
			and c.eligibility @> '[{"result":"eligible"}]'::jsonb
			and el.entry->>'result' = 'eligible'
			and el.entry->>'program' = any(${programs}::text[])
			${filter.mpnId === undefined ? sql`` : sql`and c.mpn_id = ${filter.mpnId}`}
		order by c.mpn_id collate "C",
			array_position(${programs}::text[], el.entry->>'program'),
			coalesce(c.association->>'activatedAt', '') collate "C",
			c.id collate "C"
	`,
		signal,
	);
	return (result as unknown as { rows: EarningsKey[] }).rows;
}

/**
 * The report's rows of the actor's organization, optionally for one program or MPN ID
 * ({@link EarningsFilter}), in pages of up to `pageSize` (default
 * {@link EARNINGS_PAGE_SIZE}): the partner's eligible active associations (an approved
 * claim whose association is active and whose eligibility entry for the program says
 * `eligible`), one row per claim and program, ordered by MPN ID, program (in
 * {@link PROGRAMS} order), date associated (none first), then claim ID.
 *
 * One statement reads that order (the keys only: {@link earningsKeys}) before this
 * resolves, so a failure comes before any byte is sent; then each page is one statement
 * that writes its associations' JSON, read when the consumer asks for it (a stream's
 * back-pressure). A large partner's report (84,098 associations, 49.5 MB of JSON) is
 * then never held in the server whole (only its keys), and no connection is held while
 * the client downloads. A claim that stopped being eligible between the two reads is
 * left out of its page.
 * `signal` (the request's abandonedSignal, src/http/abandoned.ts) stops the keys'
 * statement on PostgreSQL when the client goes away (src/db/cancellable.ts).
 * @throws `forbidden` for non-partner actors (the route checks the role).
 */
export async function earningsPages(
	ctx: AppContext,
	actor: Actor,
	filter: EarningsFilter = {},
	pageSize = EARNINGS_PAGE_SIZE,
	signal?: AbortSignal,
): Promise<AsyncIterable<EarningsRow[]>> {
	const organizationId = partnerOrganization(actor);
	const keys = await earningsKeys(ctx, organizationId, filter, signal);
	const read = (i: number) => {
		const rows = earningsPage(ctx, organizationId, keys.slice(i, i + pageSize));
		// Read ahead: when the consumer stops early, a failure there is nobody's to handle.
		rows.catch(() => {});
		return rows;
	};
	return (async function* () {
		// EARNINGS_READ_AHEAD pages are read at once (on PostgreSQL, on as many
		// connections), so the database's work runs beside the response's.
		const ahead: Promise<EarningsRow[]>[] = [];
		let next = 0;
		for (;;) {
			while (ahead.length < EARNINGS_READ_AHEAD && next < keys.length) {
				ahead.push(read(next));
				next += pageSize;
			}
			const page = ahead.shift();
			if (!page) return;
			const rows = await page;
			if (rows.length > 0) yield rows;
		}
	})();
}

/** The actor's partner organization; throws `forbidden` for anyone else. */
function partnerOrganization(actor: Actor): string {
	return partnerOrganizationOf(
		actor,
		"Earnings reports are for partner organizations.",
	);
}

/** A group of {@link earningsSummary}: a slice of its associations, its total and the rest's cursor. */
export interface EarningsSummaryGroup extends EarningsGroup {
	/** How many eligible associations the group has in all. */
	total: number;
	/** Pass as `cursor` (with the group's `mpnId` and `program`) for the next slice; null at the end. */
	nextCursor: string | null;
}

/** The largest `limit` of {@link earningsSummary}. */
export const EARNINGS_SUMMARY_MAX_LIMIT = 1000;

/**
 * The earnings report in slices (R-ELG-2), for a page that shows the first associations
 * of each group and more on request instead of all of them: each group (MPN ID and
 * program, in the report's order) with its first `limit` associations after `cursor`,
 * its `total` and a `nextCursor`; `claimCount` is the number of distinct claims over the
 * groups' totals. A `cursor` is a position in one group's order (date associated, then
 * claim ID), so it needs `filter.mpnId` and `filter.program`. The keys are read in one
 * statement and the listed associations' JSON in one more per
 * {@link EARNINGS_PAGE_SIZE}: for a partner with 84,097 associations the answer is a few
 * hundred KB, not 49.6 MB.
 * `signal` (the request's abandonedSignal, src/http/abandoned.ts) stops the keys'
 * statement on PostgreSQL when the client goes away (src/db/cancellable.ts).
 * @throws `forbidden` for non-partner actors; `validation_failed` for a bad cursor or
 *   one without an MPN ID and program.
 */
export async function earningsSummary(
	ctx: AppContext,
	actor: Actor,
	opts: EarningsFilter & { limit: number; cursor?: string | undefined },
	signal?: AbortSignal,
): Promise<{ items: EarningsSummaryGroup[]; claimCount: number }> {
	const organizationId = partnerOrganization(actor);
	let after: [string, string] | undefined;
	if (opts.cursor !== undefined) {
		// A position in one group's order: [date associated or "", claim ID].
		const [activatedAt = "", claimId = ""] = decodeCursor(
			opts.cursor,
			stringsOf(2),
		);
		after = [activatedAt, claimId];
		if (opts.mpnId === undefined || opts.program === undefined)
			throw new DomainError(
				"validation_failed",
				"A cursor continues one group: give its mpnId and program with it.",
				[
					{
						path: opts.mpnId === undefined ? "mpnId" : "program",
						code: "required",
						message: "Required with cursor.",
					},
				],
			);
	}
	const keys = await earningsKeys(ctx, organizationId, opts, signal);
	const groups: { group: EarningsSummaryGroup; keys: EarningsKey[] }[] = [];
	for (const k of keys) {
		const last = groups.at(-1);
		if (
			last &&
			last.group.mpnId === k.mpnId &&
			last.group.program === k.program
		)
			last.keys.push(k);
		else
			groups.push({
				group: {
					mpnId: k.mpnId,
					program: k.program,
					total: 0,
					nextCursor: null,
					associations: [],
				},
				keys: [k],
			});
	}
	// The keys to list: each group's slice after the cursor (the order's strings compare
	// by code unit, as the statement's "C" collation does for these ASCII values).
	const listed: EarningsKey[] = [];
	for (const { group, keys: groupKeys } of groups) {
		group.total = groupKeys.length;
		const start = after
			? groupKeys.findIndex(
					(k) =>
						k.activatedAt > after[0] ||
						(k.activatedAt === after[0] && k.claimId > after[1]),
				)
			: 0;
		const slice = start < 0 ? [] : groupKeys.slice(start, start + opts.limit);
		const end = start < 0 ? groupKeys.length : start + slice.length;
		const lastListed = slice.at(-1);
		group.nextCursor =
			end < groupKeys.length && lastListed
				? encodeCursor([lastListed.activatedAt, lastListed.claimId])
				: null;
		listed.push(...slice);
	}
	const byGroup = new Map(
		groups.map(({ group }) => [`${group.mpnId}\u0000${group.program}`, group]),
	);
	for (let i = 0; i < listed.length; i += EARNINGS_PAGE_SIZE)
		for (const row of await earningsPage(
			ctx,
			organizationId,
			listed.slice(i, i + EARNINGS_PAGE_SIZE),
		))
			byGroup
				.get(`${row.mpnId}\u0000${row.program}`)
				?.associations.push(JSON.parse(row.json) as EarningsAssociation);
	return {
		items: groups.map((g) => g.group),
		claimCount: new Set(keys.map((k) => k.claimId)).size,
	};
}

/**
 * The associations of `keys` (claims and programs, in the report's order) as JSON, in
 * ONE statement, in that order; a claim that is no longer an eligible active association
 * of the organization in that program is left out. The product lines are joined for
 * these claims only (one array parameter, not one per claim: a statement takes at most
 * 65,535).
 */
async function earningsPage(
	ctx: AppContext,
	organizationId: string,
	keys: readonly EarningsKey[],
): Promise<EarningsRow[]> {
	const result = await ctx.db.execute(sql`
		select c.mpn_id as "mpnId", k.program, row_to_json(a)::text as json
		from unnest(
			${sql.param(keys.map((k) => k.claimId))}::text[],
			${sql.param(keys.map((k) => k.program))}::text[]
		) with ordinality as k(claim_id, program, n)
		-- Each key's claim by the primary key (a LATERAL with LIMIT is never turned into a
		-- join: a merge join read the index from its start to the page's last key, more
		-- for each page, where the table's statistics were out of date). The claim's
		-- conditions are in a CASE, which the planner cannot match to the partial index
		-- of active associations (claims_org_active_idx): with out-of-date
		-- statistics it scanned that index for each key, where 70,000 had just been added.
		cross join lateral (
			select c.* from claims c
			where c.id = k.claim_id
				and case when c.partner_organization_id = ${organizationId}
					and ${activeAssociation("c")} then true else false end
			limit 1
		) c
		left join tenants t on t.tenant_id = c.tenant_id
		cross join lateral (
			select el.entry from jsonb_array_elements(c.eligibility) el(entry)
			where el.entry->>'program' = k.program and el.entry->>'result' = 'eligible'
			limit 1
		) el
		-- Per claim, by index: the plan stays linear whatever the number of keys it
		-- expects (a generic plan joined an aggregate of all the page's lines per claim).
		cross join lateral (
			select json_agg(row_to_json(line) order by p.position) as products,
				json_agg(p.subscription_id order by p.position)
					filter (where p.subscription_id <> '') as subscription_ids
			from claim_products p
			left join products pr on pr.product_id = p.product_id
			cross join lateral (select
				p.product_id as "productId",
				coalesce(pr.name, p.product_id) as name,
				p.subscription_id as "subscriptionId"
			) line
			where p.claim_id = c.id
		) l
		cross join lateral (select
			c.id as "claimId",
			c.name as "claimName",
			c.tenant_id as "tenantId",
			t.name as "customerName",
			c.solution_area as "solutionArea",
			c.activity,
			coalesce(l.subscription_ids, '[]') as "subscriptionIds",
			coalesce(l.products, '[]') as products,
			c.association->>'activatedAt' as "dateAssociated",
			c.association->>'approvedAt' as "approvedAt",
			el.entry->>'evaluatedAt' as "evaluatedAt"
		) a
		order by k.n
	`);
	return (result as unknown as { rows: EarningsRow[] }).rows;
}

/**
 * The body of `GET /reports/earnings` (`{ items: EarningsGroup[] }`: one group per MPN ID
 * and program with at least one association, in the pages' order) as JSON text, one
 * chunk per page, written from the rows' JSON without parsing it.
 */
export async function* earningsJson(
	pages: AsyncIterable<readonly EarningsRow[]>,
): AsyncGenerator<string> {
	yield '{"items":[';
	let group: { mpnId: string; program: Program } | null = null;
	for await (const page of pages) {
		const parts: string[] = [];
		for (const r of page) {
			if (group && group.mpnId === r.mpnId && group.program === r.program)
				parts.push(",", r.json);
			else {
				parts.push(
					`${group ? "]}," : ""}{"mpnId":${JSON.stringify(r.mpnId)},"program":${JSON.stringify(r.program)},"associations":[`,
					r.json,
				);
				group = { mpnId: r.mpnId, program: r.program };
			}
		}
		yield parts.join("");
	}
	yield group ? "]}]}" : "]}";
}

/** CSV columns of the earnings export: one row per eligible association and program. */
export const EARNINGS_CSV_COLUMNS = [
	"mpnId",
	"program",
	"claimId",
	"claimName",
	"tenantId",
	"customerName",
	"solutionArea",
	"activity",
	"subscriptionIds",
	"products",
	"dateAssociated",
	"evaluatedAt",
] as const;

/**
 * The earnings export (`GET /reports/earnings?format=csv`) as CSV text: the header row
 * ({@link EARNINGS_CSV_COLUMNS}), then one chunk per page, one row per association and
 * program. Lists are joined with "; ".
 */
export async function* earningsCsv(
	pages: AsyncIterable<readonly EarningsRow[]>,
): AsyncGenerator<string> {
	yield csvLines([EARNINGS_CSV_COLUMNS as unknown as string[]]);
	for await (const page of pages)
		yield csvLines(
			page.map((r) => {
				const a = JSON.parse(r.json) as EarningsAssociation;
				return [
					r.mpnId,
					r.program,
					a.claimId,
					a.claimName,
					a.tenantId,
					a.customerName ?? "",
					a.solutionArea,
					a.activity,
					a.subscriptionIds.join("; "),
					a.products.map((p) => p.productId).join("; "),
					a.dateAssociated ?? "",
					a.evaluatedAt ?? "",
				];
			}),
		);
}
