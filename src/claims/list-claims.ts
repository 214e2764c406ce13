import {
	and,
	asc,
	eq,
	inArray,
	type SQL,
	type SQLWrapper,
	sql,
} from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { equalsAnyText } from "../db/any-text.ts";
import { executeCancellable } from "../db/cancellable.ts";
import type { Queryable } from "../db/client.ts";
import { containsPattern } from "../db/like.ts";
import { NAMED_READ_MARKER } from "../db/pglite-statements.ts";
import { preparedOnce } from "../db/prepared.ts";
import { claimSearch, claims, REVIEW_QUEUE_PREDICATE } from "../db/schema.ts";
import { CLAIM_STATUSES, type ClaimStatus } from "../domain/claim-lifecycle.ts";
import { decodeCursor, encodeCursor, stringsOf } from "../domain/cursor.ts";
import { REVIEWER_SLA_OF_STATUS } from "../domain/deadlines.ts";
import { notFound } from "../domain/errors.ts";
import { canSeeClaim } from "./claim-action.ts";
import { findCompetitors } from "./claim-products.ts";
import {
	type ClaimJsonRow,
	type ClaimRow,
	type ClaimView,
	claimColumns,
	claimJson,
	claimJsonColumns,
	isoText,
	toClaimViews,
} from "./claim-view.ts";
import { COUNTER_FILTERS, countsFromCounters } from "./status-counts.ts";

/** Query of GET /claims (API.md): filters, sort, cursor and page size. */
export const listClaimsQuerySchema = z.object({
	status: z
		.string()
		.max(500)
		.refine(
			(v) =>
				v
					.split(",")
					.every((s) => (CLAIM_STATUSES as readonly string[]).includes(s)),
			{
				message: `Give one status or several separated by commas, each one of: ${CLAIM_STATUSES.join(", ")}.`,
			},
		)
		.optional()
		.describe(
			`One status, or several separated by commas (${CLAIM_STATUSES.join(", ")})`,
		),
	solutionArea: z.enum(["business_applications", "microsoft_365"]).optional(),
	activity: z.enum(["presales", "usage", "revenue_association"]).optional(),
	mpnId: z
		.string()
		.regex(/^\d{6,8}$/)
		.optional(),
	tenantId: z.string().max(100).optional(),
	competing: z.enum(["true", "false"]).optional(),
	q: z
		.string()
		.max(200)
		// The search texts join their fields with U+001F (migration 0019).
		.refine((v) => !/\p{Cc}/u.test(v), {
			message:
				"The search text cannot hold control characters (tabs, line breaks): search for one word or phrase.",
		})
		.optional()
		.describe("Search in name, tenant ID and domain"),
	sort: z
		.enum(["updatedAt", "-updatedAt", "dueAt", "-dueAt"])
		.default("-updatedAt"),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	cursor: z.string().max(500).optional(),
});
export type ListClaimsQuery = z.infer<typeof listClaimsQuerySchema>;

/** A page of a cursor-paginated list (API.md conventions). */
export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

interface Cursor {
	v: string | null;
	id: string;
}

/** A cursor's instant: `toISOString()`'s form, which the list's statement writes. */
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A list cursor: an id, and a sort value as the page wrote it (or null). */
function isListCursor(c: unknown): c is Cursor {
	if (typeof c !== "object" || c === null) return false;
	const { v, id } = c as Partial<Cursor>;
	if (typeof id !== "string" || (v !== null && typeof v !== "string"))
		return false;
	// As the page wrote it (ISO 8601 UTC with milliseconds): PostgreSQL reads more
	// forms than this, and `Date.parse` others again.
	return v === null || (CURSOR_INSTANT.test(v) && !Number.isNaN(Date.parse(v)));
}

/** Which claims the actor may list: partners their organization's, reviewers all. */
function scopeFilter(actor: Actor): SQL | undefined {
	if (actor.kind === "partner")
		return eq(claims.partnerOrganizationId, actor.organizationId ?? "");
	if (actor.kind === "customer")
		return eq(claims.tenantId, (actor.tenantId ?? "").toLowerCase());
	return undefined;
}

/**
 * The competing filter as a literal predicate (`competing` or `not competing`), not a
 * parameter: a named statement's generic plan can then use the partial indexes `WHERE
 * competing`. With `competing = $2` it could not; forced, that plan walked all of
 * Fabrikam's claims at 200,000 partners (123-160 ms warm, 3.2-7.7 s cold) for a page
 * that the partial index answers in 0.05 ms. PostgreSQL had kept custom plans for it.
 */
function competingIs(value: "true" | "false"): SQL {
	return value === "true"
		? sql`${claims.competing}`
		: sql`not ${claims.competing}`;
}

/** The WHERE conditions of a claim list: the actor's scope and the API.md filters. */
function filterConditions(
	actor: Actor,
	query: Omit<ListClaimsQuery, "sort" | "limit" | "cursor">,
): (SQL | undefined)[] {
	const conds: (SQL | undefined)[] = [scopeFilter(actor)];
	if (actor.kind === "reviewer") conds.push(sql`${claims.status} <> 'draft'`);
	// Known statuses only, each once (the schema refuses others): a page's SQL text, and
	// so its named statement, is one of a bounded few.
	if (query.status) {
		// Reviewers see no drafts: asking for drafts alone is `false`, which PostgreSQL
		// answers without reading claims (at 1,000,000 claims it read 59,000 drafts, 5.8 s).
		const statuses = [...new Set(query.status.split(","))].filter(
			(s) => actor.kind !== "reviewer" || s !== "draft",
		);
		conds.push(
			statuses.length > 0 ? inArray(claims.status, statuses) : sql`false`,
		);
	}
	if (query.solutionArea)
		conds.push(eq(claims.solutionArea, query.solutionArea));
	if (query.activity) conds.push(eq(claims.activity, query.activity));
	if (query.mpnId) conds.push(eq(claims.mpnId, query.mpnId));
	if (query.tenantId)
		conds.push(eq(claims.tenantId, query.tenantId.toLowerCase()));
	if (query.competing) conds.push(competingIs(query.competing));
	if (query.q?.trim()) {
		const like = containsPattern(query.q.trim());
		// The claims whose search text (claim_search, by its trigram index) contains the
		// text: lowercase, so LIKE with a lowercase pattern is ILIKE; its fields joined by
		// U+001F, which `q` cannot hold, so a match lies within one field. A partner's
		// candidates are its own rows, not every organization's matches.
		const scope =
			actor.kind === "partner"
				? sql` and ${claimSearch.partnerOrganizationId} = ${actor.organizationId ?? ""}`
				: sql``;
		conds.push(
			sql`${claims.id} in (select ${claimSearch.claimId} from ${claimSearch} where ${claimSearch.text} like lower(${like})${scope})`,
		);
	}
	return conds;
}

/**
 * Counts of the actor's claims per status over the same filters (R-DSH-1 counters).
 * A partner's or reviewer's counts with no filter, or only solution area, activity, MPN
 * ID and competing, come from the maintained counters (src/claims/status-counts.ts);
 * with a search or a tenant, and a customer's, they are counted from the claims (none
 * read where the counters show no claim of that solution area or activity, asked
 * first: {@link countersGate}); then `signal` (the request's abandonedSignal,
 * src/http/abandoned.ts) stops that statement on PostgreSQL when the client goes away
 * (src/db/cancellable.ts).
 */
export async function countClaims(
	ctx: AppContext,
	actor: Actor,
	query: Omit<ListClaimsQuery, "sort" | "limit" | "cursor" | "status">,
	signal?: AbortSignal,
): Promise<{ counts: Record<string, number>; total: number }> {
	const counts: Record<string, number> = Object.fromEntries(
		CLAIM_STATUSES.map((s) => [s, 0]),
	);
	// The dashboard's tabs: from the counters when they hold every filter given.
	const counted = Object.entries(query).every(
		([k, v]) =>
			!(typeof v === "string" ? v.trim() : v) || COUNTER_FILTERS.has(k),
	);
	if (counted && (actor.kind === "partner" || actor.kind === "reviewer")) {
		const byStatus = await countsFromCounters(
			ctx,
			actor.kind === "partner" ? (actor.organizationId ?? "") : null,
			query,
		);
		for (const [status, n] of byStatus)
			if (
				status in counts &&
				!(actor.kind === "reviewer" && status === "draft")
			)
				counts[status] = n;
		return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
	}
	// The counters' gate on its own first: where no claim has the solution area or
	// activity, no search or walk at all. (Inside the count it ran after the parallel
	// workers had started: a reviewer's empty answer took 30-46 ms instead of ~2.)
	const gate = countersGate(actor, query);
	if (gate) {
		const open = (await ctx.db.execute(
			sql`select ${gate.condition} as open`,
		)) as unknown as { rows: { open: boolean }[] };
		if (!open.rows[0]?.open) return { counts, total: 0 };
	}
	// With a search, up to ~0.4 s for a reviewer at 1,000,000 claims, asked as one types:
	// stopped when its request is abandoned (executeCancellable).
	const result = await executeCancellable(
		ctx.db,
		ctx.db
			.select({ status: claims.status, n: sql<number>`count(*)::int`.as("n") })
			.from(claims)
			.where(and(...filterConditions(actor, query)))
			.groupBy(claims.status)
			.getSQL(),
		signal,
	);
	const rows = (result as { rows: { status: string; n: number }[] }).rows;
	for (const r of rows) counts[r.status] = Number(r.n);
	return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/**
 * Lists claims (R-DSH-1) with the filters of API.md, keyset-paginated on the sort column
 * and ID so deep pages stay as fast as the first. Reviewers see drafts of nobody. Each
 * item is the claim resource as JSON text ({@link claimJson}), for the route to write
 * as it is. A list by a solution area or activity that the counters show empty reads
 * no claims ({@link countersGate}).
 * @throws `validation_failed` for a bad cursor.
 */
export async function listClaimsJson(
	ctx: AppContext,
	actor: Actor,
	query: ListClaimsQuery,
): Promise<Page<string>> {
	const byDue = query.sort.endsWith("dueAt");
	// The counters' gate, unless this list had claims a moment ago (listsWithClaims).
	const gate = countersGate(actor, query);
	const seen = listsWithClaims(ctx);
	const gated = gate !== undefined && !seen.has(gate.key);
	const { rows, nextCursor } = await keysetPage(ctx, {
		conds: [
			...filterConditions(actor, query),
			gated ? gate.condition : undefined,
		],
		// A search is planned for its text: a plan made once for any text (a named
		// statement's generic plan) took the trigram index for a common word as well, and
		// read all of a large partner's matches (1.8 s a page, where walking the list's
		// order finds a page in ~10 ms). (A tenant's filter keeps its generic plan:
		// claims_tenant_idx holds the partner too, migration 0023.)
		planPerCall: Boolean(query.q?.trim()),
		column: byDue ? "dueAt" : "updatedAt",
		descending: query.sort.startsWith("-"),
		cursor: query.cursor ? decodeCursor(query.cursor, isListCursor) : undefined,
		limit: query.limit,
	});
	if (gate && rows.length > 0) seen.set(gate.key, true);
	return { items: pageItems(rows), nextCursor };
}

/**
 * The gated lists ({@link countersGate}) that had claims in the last minute, by the
 * gate's key, per context (so per process and database): their pages leave the gate
 * out. The gate costs a list page ~0.05 ms of PostgreSQL's planning and probes, which
 * at 32 clients was 15-20% of those pages' rate on 2 cores. Keeping "had claims" is
 * safe: a list that has since lost its claims is answered right, by the walk the gate
 * saves, until the entry expires. "Empty" is never kept: an empty list keeps its gate,
 * which a new claim opens at once.
 */
function listsWithClaims(ctx: AppContext): LRUCache<string, true> {
	let seen = LISTS_WITH_CLAIMS.get(ctx);
	if (!seen) {
		seen = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
		LISTS_WITH_CLAIMS.set(ctx, seen);
	}
	return seen;
}
const LISTS_WITH_CLAIMS = new WeakMap<AppContext, LRUCache<string, true>>();

/**
 * For a partner's or reviewer's list by a solution area or an activity: a condition
 * that is false when the counters (R-DSH-1, src/claims/status-counts.ts) show that no
 * claim has the list's solution area, activity, MPN ID, competing flag and statuses.
 * Those two filters have no index of their own, so such a list walks the actor's
 * claims in the list's order until it has a page: for a value without claims, all of
 * them (a large partner's 437-458 ms a page at 1,000,000 claims, a reviewer's 2.5 s).
 * The condition reads no claim column, so PostgreSQL runs it once, before the scan, as
 * a one-time filter: the empty page costs two index probes. It asks whether a counter
 * or a pending delta is positive, not their sum: a claim's count is their sum, never
 * negative, so when none is positive there is none; when one is, the claims decide.
 * Undefined for other lists. `key` names the gate's scope and filters (for
 * {@link listsWithClaims}).
 */
function countersGate(
	actor: Actor,
	query: Omit<ListClaimsQuery, "sort" | "limit" | "cursor">,
): { key: string; condition: SQL } | undefined {
	if (actor.kind !== "partner" && actor.kind !== "reviewer") return undefined;
	if (!query.solutionArea && !query.activity) return undefined;
	// Column names unqualified: inside the subqueries they are the counters' own.
	const conds: SQL[] = [];
	if (actor.kind === "partner")
		conds.push(sql`partner_organization_id = ${actor.organizationId ?? ""}`);
	if (query.solutionArea)
		conds.push(sql`solution_area = ${query.solutionArea}`);
	if (query.activity) conds.push(sql`activity = ${query.activity}`);
	if (query.mpnId) conds.push(sql`mpn_id = ${query.mpnId}`);
	if (query.competing)
		conds.push(
			query.competing === "true" ? sql`competing` : sql`not competing`,
		);
	if (query.status)
		conds.push(
			equalsAnyText(sql`status`, [...new Set(query.status.split(","))]),
		);
	if (actor.kind === "reviewer") conds.push(sql`status <> 'draft'`);
	const where = sql.join(conds, sql` and `);
	// A reviewer's (all organizations') from the totals, a few hundred rows whatever the
	// number of partners; with an MPN ID, from that MPN ID's counters (by their index).
	const counters =
		actor.kind === "partner" || query.mpnId
			? sql`claim_status_counts`
			: sql`claim_status_totals`;
	return {
		key: JSON.stringify([
			actor.kind === "partner" ? (actor.organizationId ?? "") : null,
			query.solutionArea,
			query.activity,
			query.mpnId,
			query.competing,
			query.status,
		]),
		condition: sql`(exists (select 1 from ${counters} where ${where} and n > 0) or exists (select 1 from claim_status_deltas where ${where} and delta > 0))`,
	};
}

/**
 * The JSON texts of a page's claims. A claim deleted between the page's query and the
 * one that built its stale resource is left out.
 */
function pageItems(rows: ClaimListRow[]): string[] {
	return rows.flatMap((r) => (r.json === null ? [] : [r.json]));
}

/** {@link listClaimsJson} with each item parsed into the claim resource (the CSV export). */
export async function listClaims(
	ctx: AppContext,
	actor: Actor,
	query: ListClaimsQuery,
): Promise<Page<ClaimView>> {
	const page = await listClaimsJson(ctx, actor, query);
	return {
		items: page.items.map((item) => JSON.parse(item) as ClaimView),
		nextCursor: page.nextCursor,
	};
}

/**
 * One keyset page of claims ordered by `column` (nulls last) then ID, in the direction
 * given. The "after the cursor" condition is a row comparison, `(column, id) > (v, id)`,
 * which PostgreSQL turns into an index range: a page 1,000 pages deep reads as few index
 * entries as the first. A nullable column (`dueAt`) is read in two parts: the rows with
 * a value, then, once those run out, the rows without one in ID order. Rows are read raw
 * (no mapping by Drizzle: every field is text already).
 */
async function keysetPage(
	ctx: AppContext,
	opts: {
		conds: (SQL | undefined)[];
		column: "updatedAt" | "dueAt";
		descending: boolean;
		cursor: Cursor | undefined;
		limit: number;
		/** Plan each call for its values (an unnamed statement; see {@link readRaw}). */
		planPerCall?: boolean;
	},
): Promise<{ rows: ClaimListRow[]; nextCursor: string | null }> {
	const col = opts.column === "dueAt" ? claims.dueAt : claims.updatedAt;
	const nullable = opts.column === "dueAt";
	const dir = opts.descending ? sql`desc` : sql`asc`;
	const cmp = opts.descending ? sql`<` : sql`>`;
	const want = opts.limit + 1;
	const { cursor } = opts;
	const select = (where: SQL | undefined, limit: number, ...order: SQL[]) =>
		readRaw<ClaimListRow>(
			ctx,
			sql`${claimListSelect()}${where ? sql` where ${where}` : sql``} order by ${sql.join(order, sql`, `)} limit ${limit}`,
			!opts.planPerCall,
		);
	let rows: ClaimListRow[] = [];
	// Part 1: rows with a value (unless the cursor is already in the null tail).
	if (!cursor || cursor.v !== null) {
		rows = await select(
			and(
				...opts.conds,
				nullable ? sql`${col} is not null` : undefined,
				cursor
					? sql`(${col}, ${claims.id}) ${cmp} (${cursor.v}::timestamptz, ${cursor.id})`
					: undefined,
			),
			want,
			sql`${col} ${dir}`,
			sql`${claims.id} ${dir}`,
		);
	}
	// Part 2: the null tail, in ID order.
	if (nullable && rows.length < want) {
		const tail = await select(
			and(
				...opts.conds,
				sql`${col} is null`,
				cursor?.v === null ? sql`${claims.id} ${cmp} ${cursor.id}` : undefined,
			),
			want - rows.length,
			sql`${claims.id} ${dir}`,
		);
		rows = rows.concat(tail);
	}
	const page = rows.slice(0, opts.limit);
	await buildStaleResources(ctx, page);
	const last = page[page.length - 1];
	return {
		rows: page,
		nextCursor:
			rows.length > opts.limit && last
				? encodeCursor({
						v: opts.column === "dueAt" ? last.dueAt : last.updatedAt,
						id: last.id,
					})
				: null,
	};
}

/**
 * `select <fields> from "claims"` as SQL text, rendered on first use and then kept for
 * the process: the fields have no parameters, and building the ~40 fields and
 * subqueries of {@link claimJsonColumns} per request was most of the ~19% of a list
 * server's CPU that Drizzle took (docs/performance.md).
 */
function selectRenderedOnce(
	fields: Parameters<QueryBuilder["select"]>[0],
): () => SQL {
	let rendered: SQL | undefined;
	return () => {
		if (!rendered) {
			const q = new QueryBuilder().select(fields).from(claims).toSQL();
			if (q.params.length > 0)
				throw new Error("a rendered select must not have parameters");
			rendered = sql.raw(q.sql);
		}
		return rendered;
	};
}

/** `select <claimJsonColumns> from "claims"`, rendered once ({@link selectRenderedOnce}). */
const claimJsonSelect = selectRenderedOnce(claimJsonColumns);

/**
 * Runs a select of {@link claimJsonColumns} and returns its rows as the driver gives
 * them: every field is text, so Drizzle's mapping of rows (a type check per field)
 * would only copy them. `named` (default): a named statement, one per text; else
 * planned for its values, on PostgreSQL without parallel workers (one transaction).
 */
async function readRaw<T = ClaimJsonRow>(
	ctx: AppContext,
	query: SQLWrapper,
	named = true,
): Promise<T[]> {
	type Result = { rows: T[] };
	// Named per text (a text per filter set, sort and cursor presence): parsing and
	// planning it was ~30% of PostgreSQL's CPU for a page (docs/performance.md).
	if (named)
		return (
			(await ctx.db.execute(
				sql`${sql.raw(NAMED_READ_MARKER)}${query.getSQL()}`,
			)) as unknown as Result
		).rows;
	if (ctx.dbKind !== "postgres")
		return ((await ctx.db.execute(query.getSQL())) as unknown as Result).rows;
	// Planned for its values (a search) and without parallel workers: PostgreSQL chose
	// two for a large partner's search for a common word, which then took 10.6-12.8 ms
	// instead of 3.8-4.3 ms (starting the workers is most of it); at 32 clients 205
	// pages/s with them, 494 without. SET LOCAL ends with the transaction.
	return ctx.db.transaction(async (tx) => {
		await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
		return ((await tx.execute(query.getSQL())) as unknown as Result).rows;
	});
}

/**
 * A claim of a list page: what the page's order, cursor and the review queue need, and
 * the claim resource as JSON text (`json`): the row's copy when current, else built
 * from its columns by {@link buildStaleResources}.
 */
interface ClaimListRow {
	id: string;
	status: string;
	dueAt: string | null;
	updatedAt: string;
	json: string | null;
}

/** The select of {@link ClaimListRow}s, rendered once ({@link selectRenderedOnce}). */
const claimListSelect = selectRenderedOnce({
	id: claimJsonColumns.id,
	status: claimJsonColumns.status,
	dueAt: claimJsonColumns.dueAt,
	updatedAt: claimJsonColumns.updatedAt,
	json: sql<
		string | null
	>`case when ${claims.resourceVersion} = ${claims.version} then ${claims.resourceJson} end`.as(
		"json",
	),
});

/**
 * Fills in `json` of the rows whose copy of the resource is not current (written by the
 * timers' batch, a competing mark, a product's new name or an older server since the
 * claim's last action), built from their columns ({@link claimJson}) in one more query.
 */
async function buildStaleResources(
	ctx: AppContext,
	rows: ClaimListRow[],
): Promise<void> {
	const stale = rows.filter((r) => r.json === null).map((r) => r.id);
	if (stale.length === 0) return;
	const built = new Map(
		(
			await readRaw(
				ctx,
				sql`${claimJsonSelect()} where ${equalsAnyText(sql`"claims"."id"`, stale)}`,
			)
		).map((r) => [r.id, claimJson(r)]),
	);
	for (const row of rows)
		if (row.json === null) row.json = built.get(row.id) ?? null;
}

/**
 * One visible claim as the JSON text of the claim resource, with its version (for the
 * ETag), read with its parts in one prepared statement. @throws `not_found`.
 */
export async function getClaimJson(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<{ json: string; version: string }> {
	const [row] = await runClaimById(ctx.db, { id });
	if (!row || !canSeeClaim(actor, row)) throw notFound();
	return { json: claimJson(row), version: row.version };
}

/** The name of the claim page's prepared statement on PostgreSQL. */
export const CLAIM_BY_ID_STATEMENT = "cpor_claim_by_id";

/**
 * The claim page's statement (a claim and its parts by id, every field as text), built
 * once per database handle (building its SQL, subqueries for the parts, cost more CPU
 * than PostgreSQL's work for it) and prepared on PostgreSQL: the claim page went from
 * ~1,250–1,600 to ~2,250 requests/s (measured). See {@link preparedOnce}.
 */
const runClaimById = preparedOnce(CLAIM_BY_ID_STATEMENT, (db, name) =>
	db
		.select(claimJsonColumns)
		.from(claims)
		.where(eq(claims.id, sql.placeholder("id")))
		.prepare(name),
);

/** The row of one visible claim, without its parts (one query). @throws `not_found`. */
export async function getVisibleClaimRow(
	ctx: { db: Queryable },
	actor: Actor,
	id: string,
): Promise<ClaimRow> {
	const [row] = await ctx.db
		.select(claimColumns)
		.from(claims)
		.where(eq(claims.id, id));
	if (!row || !canSeeClaim(actor, row)) throw notFound();
	return row;
}

/** A history entry as the API returns it (R-HIS-1). */
export interface HistoryEntry {
	/** Opaque, as every ID of the API (the entries' order: a decimal string). */
	id: string;
	at: string;
	actorName: string;
	actorRole: string;
	action: string;
	before: unknown;
	after: unknown;
}

/**
 * A page of the claim's history, oldest first; internal entries only for reviewers
 * (R-HIS-1). One named statement: the claim's visibility columns and the page's entries
 * (see {@link readVisibleClaimEntries}). @throws `not_found`; `validation_failed`
 * (`invalid_cursor`) for a cursor this API did not issue.
 */
export async function getHistory(
	ctx: AppContext,
	actor: Actor,
	id: string,
	page: EntryPageQuery = {},
): Promise<EntryPage<HistoryEntry>> {
	return readVisibleClaimEntries(runHistory, ctx, actor, id, page, (e) =>
		Number(e.id),
	);
}

/** The columns {@link canSeeClaim} reads, for statements that check visibility only. */
export const claimVisibilityColumns = {
	partnerOrganizationId: claims.partnerOrganizationId,
	tenantId: claims.tenantId,
	status: claims.status,
};

/** A row of a statement by claim id: the claim's visibility columns and its entries. */
export type VisibleClaimEntries<T> = Pick<
	ClaimRow,
	"partnerOrganizationId" | "tenantId" | "status"
> & { items: T[] };

/** `?limit` (1-200, default {@link ENTRY_PAGE_SIZE}) and `?cursor` of a claim's entries. */
export interface EntryPageQuery {
	limit?: number | undefined;
	cursor?: string | undefined;
}

/** A page of a claim's entries (API.md: `{ items, nextCursor }`; null on the last page). */
export interface EntryPage<T> {
	items: T[];
	nextCursor: string | null;
}

/** The entries of a claim per page when `?limit` is not given (API.md's example). */
export const ENTRY_PAGE_SIZE = 50;

/**
 * Runs a statement of {@link VisibleClaimEntries} for claim `id` and returns a page of
 * the entries when `actor` may see the claim. The statement reads the entries whose
 * position (`positionOf`: the history's id, the thread's sequence) is after `after`, in
 * that order, at most `take` of them, and whether internal ones (`internal`: reviewers
 * only). It is asked for one more than the page, to tell whether a next page exists;
 * the cursor is the page's last position. One round trip, where reading the claim row
 * first took two.
 * @throws `not_found` (missing or invisible); `validation_failed` (`invalid_cursor`).
 */
export async function readVisibleClaimEntries<T>(
	run: (
		q: Queryable,
		params: { id: string; internal: boolean; after: number; take: number },
	) => Promise<VisibleClaimEntries<T>[]>,
	ctx: AppContext,
	actor: Actor,
	id: string,
	page: EntryPageQuery,
	positionOf: (entry: T) => number,
): Promise<EntryPage<T>> {
	const limit = page.limit ?? ENTRY_PAGE_SIZE;
	const after =
		page.cursor === undefined
			? 0
			: Number(decodeCursor(page.cursor, positionCursor)[0]);
	const [row] = await run(ctx.db, {
		id,
		internal: actor.kind === "reviewer",
		after,
		take: limit + 1,
	});
	if (!row || !canSeeClaim(actor, row)) throw notFound();
	const items = row.items.slice(0, limit);
	const last = items.at(-1);
	return {
		items,
		nextCursor:
			row.items.length > limit && last !== undefined
				? encodeCursor([String(positionOf(last))])
				: null,
	};
}

/** An `accept` of {@link decodeCursor}: one position, a whole number as text. */
function positionCursor(position: unknown): position is [string] {
	return stringsOf(1)(position) && /^\d{1,15}$/.test(position[0] as string);
}

/** The history statement (R-HIS-1), built once and named ({@link preparedOnce}). */
const runHistory = preparedOnce("cpor_claim_history", (db, name) =>
	db
		.select({
			...claimVisibilityColumns,
			items: sql<HistoryEntry[]>`coalesce((select json_agg(json_build_object(
					'id', h.id::text, 'at', ${isoText(sql`h.at`)}, 'actorName', h.actor_name,
					'actorRole', h.actor_role, 'action', h.action, 'before', h.before,
					'after', h.after) order by h.id)
				from (select * from claim_history h
					where h.claim_id = "claims"."id" and (not h.internal or ${sql.placeholder("internal")})
						and h.id > ${sql.placeholder("after")}
					order by h.id
					limit ${sql.placeholder("take")}) h), '[]'::json)`,
		})
		.from(claims)
		.where(eq(claims.id, sql.placeholder("id")))
		.prepare(name),
);

/** R-CMP-3: the claims this one competes with (reviewers only; the route checks). @throws `not_found`. */
export async function getCompeting(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<ClaimView[]> {
	await getVisibleClaimRow(ctx, actor, id);
	const ids = await findCompetitors(ctx.db, id);
	if (ids.length === 0) return [];
	const rows = await ctx.db
		.select(claimColumns)
		.from(claims)
		.where(inArray(claims.id, ids))
		.orderBy(asc(claims.submittedAt));
	return toClaimViews(ctx.db, rows);
}

/**
 * The reviewer's open work, soonest due first (API.md `/review-queue`): submitted and
 * under-review claims and open disputes, each flagged overdue once its SLA passed. Each
 * item is JSON text: `{ claim, sla, dueAt, overdue }`, the claim as {@link claimJson}.
 */
export async function reviewQueueJson(
	ctx: AppContext,
	query: {
		limit: number;
		cursor?: string | undefined;
		competing?: "true" | "false" | undefined;
		sla?: string | undefined;
	},
): Promise<Page<string>> {
	const now = ctx.clock.now().getTime();
	// The same predicate as the partial index claims_review_queue_idx (literal values, so
	// PostgreSQL can prove the index applies).
	const conds: (SQL | undefined)[] = [REVIEW_QUEUE_PREDICATE];
	if (query.competing) conds.push(competingIs(query.competing));
	if (query.sla === "review_start") conds.push(eq(claims.status, "submitted"));
	if (query.sla === "decision") conds.push(eq(claims.status, "under_review"));
	if (query.sla === "dispute_decision")
		conds.push(eq(claims.status, "rejected"));
	const { rows, nextCursor } = await keysetPage(ctx, {
		conds,
		column: "dueAt",
		descending: false,
		cursor: query.cursor ? decodeCursor(query.cursor, isListCursor) : undefined,
		limit: query.limit,
	});
	return {
		items: rows.flatMap((row) => {
			if (row.json === null) return [];
			const sla =
				REVIEWER_SLA_OF_STATUS[row.status as ClaimStatus] ?? "dispute_decision";
			const overdue = row.dueAt !== null && Date.parse(row.dueAt) <= now;
			return [
				`{"claim":${row.json},"sla":"${sla}","dueAt":${row.dueAt === null ? "null" : `"${row.dueAt}"`},"overdue":${overdue}}`,
			];
		}),
		nextCursor,
	};
}
