import {
	and,
	asc,
	desc,
	eq,
	gt,
	ilike,
	inArray,
	lt,
	or,
	sql,
	type SQL,
} from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claimHistory, claims } from "../db/schema.ts";
import { CLAIM_STATUSES } from "../domain/claim-lifecycle.ts";
import { DomainError, notFound } from "../domain/errors.ts";
import { canSeeClaim } from "./claim-action.ts";
import { findCompetitors } from "./claim-products.ts";
import { type ClaimRow, type ClaimView, toClaimViews } from "./claim-view.ts";

/** Query of GET /claims (API.md): filters, sort, cursor and page size. */
export const listClaimsQuerySchema = z.object({
	status: z
		.union([z.enum(CLAIM_STATUSES), z.string().regex(/^[a-z_]+(,[a-z_]+)+$/)])
		.optional()
		.describe("One status, or several separated by commas"),
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

function encodeCursor(c: Cursor): string {
	return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(s: string): Cursor {
	try {
		const c = JSON.parse(
			Buffer.from(s, "base64url").toString("utf8"),
		) as Cursor;
		if (typeof c.id !== "string" || (c.v !== null && typeof c.v !== "string"))
			throw new Error("shape");
		if (c.v !== null && Number.isNaN(Date.parse(c.v))) throw new Error("date");
		return c;
	} catch {
		throw new DomainError(
			"validation_failed",
			"The cursor is not valid; use the nextCursor of the previous page.",
			[
				{
					path: "cursor",
					code: "invalid_cursor",
					message: "Not a cursor this API issued.",
				},
			],
		);
	}
}

/** Which claims the actor may list: partners their organization's, reviewers all. */
function scopeFilter(actor: Actor): SQL | undefined {
	if (actor.kind === "partner")
		return eq(claims.partnerOrganizationId, actor.organizationId ?? "");
	if (actor.kind === "customer")
		return eq(claims.tenantId, (actor.tenantId ?? "").toLowerCase());
	return undefined;
}

/** The WHERE conditions of a claim list: the actor's scope and the API.md filters. */
function filterConditions(
	actor: Actor,
	query: Omit<ListClaimsQuery, "sort" | "limit" | "cursor">,
): (SQL | undefined)[] {
	const conds: (SQL | undefined)[] = [scopeFilter(actor)];
	if (actor.kind === "reviewer") conds.push(sql`${claims.status} <> 'draft'`);
	if (query.status) conds.push(inArray(claims.status, query.status.split(",")));
	if (query.solutionArea)
		conds.push(eq(claims.solutionArea, query.solutionArea));
	if (query.activity) conds.push(eq(claims.activity, query.activity));
	if (query.mpnId) conds.push(eq(claims.mpnId, query.mpnId));
	if (query.tenantId)
		conds.push(eq(claims.tenantId, query.tenantId.toLowerCase()));
	if (query.competing)
		conds.push(eq(claims.competing, query.competing === "true"));
	if (query.q?.trim()) {
		const like = `%${query.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
		conds.push(
			or(
				ilike(claims.name, like),
				ilike(claims.tenantId, like),
				ilike(claims.domain, like),
			),
		);
	}
	return conds;
}

/** Counts of the actor's claims per status over the same filters (R-DSH-1 counters). */
export async function countClaims(
	ctx: AppContext,
	actor: Actor,
	query: Omit<ListClaimsQuery, "sort" | "limit" | "cursor" | "status">,
): Promise<{ counts: Record<string, number>; total: number }> {
	const rows = await ctx.db
		.select({ status: claims.status, n: sql<number>`count(*)::int` })
		.from(claims)
		.where(and(...filterConditions(actor, query)))
		.groupBy(claims.status);
	const counts: Record<string, number> = Object.fromEntries(
		CLAIM_STATUSES.map((s) => [s, 0]),
	);
	for (const r of rows) counts[r.status] = Number(r.n);
	return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/**
 * Lists claims (R-DSH-1) with the filters of API.md, keyset-paginated on the sort column
 * and ID so deep pages stay as fast as the first. Reviewers see drafts of nobody.
 * @throws `validation_failed` for a bad cursor.
 */
export async function listClaims(
	ctx: AppContext,
	actor: Actor,
	query: ListClaimsQuery,
): Promise<Page<ClaimView>> {
	const conds = filterConditions(actor, query);
	const byDue = query.sort.endsWith("dueAt");
	const descending = query.sort.startsWith("-");
	const col = byDue ? claims.dueAt : claims.updatedAt;
	if (query.cursor) {
		const c = decodeCursor(query.cursor);
		conds.push(keysetAfter(col, c, descending));
	}
	const order = descending
		? [sql`${col} desc nulls last`, desc(claims.id)]
		: [sql`${col} asc nulls last`, asc(claims.id)];
	const rows = await ctx.db
		.select()
		.from(claims)
		.where(and(...conds))
		.orderBy(...order)
		.limit(query.limit + 1);
	const page = rows.slice(0, query.limit);
	const last = page[page.length - 1];
	const nextCursor =
		rows.length > query.limit && last
			? encodeCursor({
					v: (byDue ? last.dueAt : last.updatedAt)?.toISOString() ?? null,
					id: last.id,
				})
			: null;
	return { items: await toClaimViews(ctx.db, page), nextCursor };
}

/** Keyset condition for "after the cursor" with NULLS LAST ordering. */
function keysetAfter(
	col: typeof claims.dueAt | typeof claims.updatedAt,
	c: Cursor,
	descending: boolean,
): SQL {
	if (c.v === null) {
		// Already in the null tail: only later IDs with null values remain.
		return and(
			sql`${col} is null`,
			descending ? lt(claims.id, c.id) : gt(claims.id, c.id),
		) as SQL;
	}
	const v = new Date(c.v);
	const cmp = descending ? lt(col, v) : gt(col, v);
	return or(
		cmp,
		and(eq(col, v), descending ? lt(claims.id, c.id) : gt(claims.id, c.id)),
		sql`${col} is null`,
	) as SQL;
}

/** One visible claim. @throws `not_found`. */
export async function getClaim(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<ClaimView> {
	const [row] = await ctx.db.select().from(claims).where(eq(claims.id, id));
	if (!row || !canSeeClaim(actor, row)) throw notFound();
	return (await toClaimViews(ctx.db, [row]))[0] as ClaimView;
}

/** A history entry as the API returns it (R-HIS-1). */
export interface HistoryEntry {
	id: number;
	at: string;
	actorName: string;
	actorRole: string;
	action: string;
	before: unknown;
	after: unknown;
}

/** The claim's history, oldest first; internal entries only for reviewers (R-HIS-1). @throws `not_found`. */
export async function getHistory(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<HistoryEntry[]> {
	await getClaim(ctx, actor, id);
	const rows = await ctx.db
		.select()
		.from(claimHistory)
		.where(
			actor.kind === "reviewer"
				? eq(claimHistory.claimId, id)
				: and(eq(claimHistory.claimId, id), eq(claimHistory.internal, false)),
		)
		.orderBy(asc(claimHistory.id));
	return rows.map((r) => ({
		id: r.id,
		at: r.at.toISOString(),
		actorName: r.actorName,
		actorRole: r.actorRole,
		action: r.action,
		before: r.before,
		after: r.after,
	}));
}

/** R-CMP-3: the claims this one competes with (reviewers only; the route checks). @throws `not_found`. */
export async function getCompeting(
	ctx: AppContext,
	actor: Actor,
	id: string,
): Promise<ClaimView[]> {
	await getClaim(ctx, actor, id);
	const ids = await findCompetitors(ctx.db, id);
	if (ids.length === 0) return [];
	const rows = await ctx.db
		.select()
		.from(claims)
		.where(inArray(claims.id, ids))
		.orderBy(asc(claims.submittedAt));
	return toClaimViews(ctx.db, rows);
}

/** A review-queue item: the claim with its SLA state. */
export interface QueueItem {
	claim: ClaimView;
	/** Which SLA is running: review start (R-TIME-2), decision (R-TIME-3), dispute answer (R-TIME-8). */
	sla: "review_start" | "decision" | "dispute_decision";
	dueAt: string | null;
	overdue: boolean;
}

/**
 * The reviewer's open work, soonest due first (API.md `/review-queue`): submitted and
 * under-review claims and open disputes, each flagged overdue once its SLA passed.
 */
export async function reviewQueue(
	ctx: AppContext,
	query: {
		limit: number;
		cursor?: string | undefined;
		competing?: "true" | "false" | undefined;
		sla?: string | undefined;
	},
): Promise<Page<QueueItem>> {
	const now = ctx.clock.now();
	const conds: (SQL | undefined)[] = [
		or(
			inArray(claims.status, ["submitted", "under_review"]),
			and(
				eq(claims.status, "rejected"),
				sql`${claims.dispute}->>'status' = 'open'`,
			),
		),
	];
	if (query.competing)
		conds.push(eq(claims.competing, query.competing === "true"));
	if (query.sla === "review_start") conds.push(eq(claims.status, "submitted"));
	if (query.sla === "decision") conds.push(eq(claims.status, "under_review"));
	if (query.sla === "dispute_decision")
		conds.push(eq(claims.status, "rejected"));
	if (query.cursor)
		conds.push(keysetAfter(claims.dueAt, decodeCursor(query.cursor), false));
	const rows: ClaimRow[] = await ctx.db
		.select()
		.from(claims)
		.where(and(...conds))
		.orderBy(sql`${claims.dueAt} asc nulls last`, asc(claims.id))
		.limit(query.limit + 1);
	const page = rows.slice(0, query.limit);
	const views = await toClaimViews(ctx.db, page);
	const last = page[page.length - 1];
	return {
		items: views.map((claim, i) => {
			const row = page[i] as ClaimRow;
			return {
				claim,
				sla:
					row.status === "submitted"
						? "review_start"
						: row.status === "under_review"
							? "decision"
							: "dispute_decision",
				dueAt: row.dueAt?.toISOString() ?? null,
				overdue: !!row.dueAt && row.dueAt.getTime() <= now.getTime(),
			};
		}),
		nextCursor:
			rows.length > query.limit && last
				? encodeCursor({ v: last.dueAt?.toISOString() ?? null, id: last.id })
				: null,
	};
}
