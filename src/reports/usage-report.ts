/**
 * SPEC R-ACC-2: the partner's usage report. For each ACTIVE association of the caller's
 * organization (R-TIME-6), per month: customer tenant ID, customer name, workload,
 * monthly active users, paid available units, claim ID, MPN ID, date associated and
 * attribution type (the claim's activity).
 *
 * R-ACC-1: only the products claimed on that association (usage rows are joined through
 * the claim's own product lines), nothing else of the customer, never another
 * organization's associations, and nothing while the association is pending consent,
 * declined, or the claim is no longer approved.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Actor, partnerOrganizationOf } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { csvLines } from "../csv.ts";
import { executeCancellable } from "../db/cancellable.ts";
import { containsPattern } from "../db/like.ts";
import { rowPages } from "../db/row-pages.ts";
import { activeAssociation } from "../db/schema.ts";
import { decodeCursor, encodeCursor, stringsOf } from "../domain/cursor.ts";

/** One row of the usage report. */
export interface UsageRow {
	/** `YYYY-MM`. */
	month: string;
	tenantId: string;
	customerName: string | null;
	/** The workload / product ID (catalog). */
	productId: string;
	/** The workload / product name. */
	workload: string;
	monthlyActiveUsers: number;
	paidAvailableUnits: number;
	claimId: string;
	mpnId: string;
	/** When the association became active. */
	dateAssociated: string | null;
	/** The claim's activity (`presales`, `usage`, `revenue_association`). */
	attributionType: string;
}

/** Filters of the usage report: tenant, and an inclusive month range (`YYYY-MM`). */
export interface UsageQuery {
	tenantId?: string | undefined;
	from?: string | undefined;
	to?: string | undefined;
}

/** The actor's partner organization; throws `forbidden` for anyone else. */
function partnerOrganization(actor: Actor): string {
	return partnerOrganizationOf(
		actor,
		"The usage report is for partner organizations.",
	);
}

/**
 * The report's rows, before names are added: `claims c` joined to `usage_records u`,
 * and the WHERE that keeps each usage record of a tenant and product that an active
 * association of the organization claims, once per claim (a claim with several lines of
 * one product is one row: EXISTS, not a join of its lines), within the filters.
 * Both sides are read from partial indexes alone (migration 0016): the claims from
 * `claims_org_active_idx`, their lines from `claim_products_org_association_idx`.
 * A claim whose association is active holds it (R-CMP-2: approval sets
 * `holds_association` on its lines, and only rejection, withdrawal or the association's
 * end clears it), so `holds_association` only narrows the lines read.
 */
function activeUsageWhere(organizationId: string, query: UsageQuery): SQL {
	return sql`
		where c.partner_organization_id = ${organizationId}
			and ${activeAssociation("c")}
			and exists (
				select 1 from claim_products p
				where p.partner_organization_id = c.partner_organization_id
					and p.holds_association
					and p.claim_id = c.id and p.product_id = u.product_id
			)
			${query.tenantId ? sql`and c.tenant_id = ${query.tenantId.trim().toLowerCase()}` : sql``}
			${query.from ? sql`and u.month >= ${query.from}` : sql``}
			${query.to ? sql`and u.month <= ${query.to}` : sql``}`;
}

/**
 * The report's rows as a SELECT (columns named as {@link UsageRow}'s fields, in its
 * order), unordered.
 */
function usageRowsSql(organizationId: string, query: UsageQuery): SQL {
	return sql`
		select u.month, c.tenant_id as "tenantId", t.name as "customerName",
			u.product_id as "productId", coalesce(pr.name, u.product_id) as workload,
			u.monthly_active_users as "monthlyActiveUsers",
			u.paid_available_units as "paidAvailableUnits",
			c.id as "claimId", c.mpn_id as "mpnId",
			c.association->>'activatedAt' as "dateAssociated",
			c.activity as "attributionType"
		from claims c
		join usage_records u on u.tenant_id = c.tenant_id
		left join tenants t on t.tenant_id = c.tenant_id
		left join products pr on pr.product_id = u.product_id
		${activeUsageWhere(organizationId, query)}`;
}

/** The report's order: month, tenant, product, claim. */
const USAGE_ORDER = sql.raw(`month, "tenantId", "productId", "claimId"`);

/**
 * The usage report of the actor's organization, ordered by month, tenant, product and
 * claim, in pages read as the consumer asks for them ({@link rowPages}: a cursor, so
 * a partner with 690,000 rows is never held in the server whole). The statement runs
 * before this resolves. @throws `forbidden` for non-partner actors.
 */
export async function usagePages(
	ctx: AppContext,
	actor: Actor,
	query: UsageQuery = {},
): Promise<AsyncIterable<UsageRow[]>> {
	const organizationId = partnerOrganization(actor);
	return rowPages<UsageRow>(
		ctx,
		sql`select * from (${usageRowsSql(organizationId, query)}) r order by ${USAGE_ORDER}`,
	);
}

/** The body of `GET /reports/usage` (`{ items: UsageRow[] }`), one chunk per page. */
export async function* usageJson(
	pages: AsyncIterable<readonly UsageRow[]>,
): AsyncGenerator<string> {
	yield '{"items":[';
	let first = true;
	for await (const page of pages) {
		const text = page.map((r) => JSON.stringify(r)).join(",");
		yield first ? text : `,${text}`;
		first = false;
	}
	yield "]}";
}

/** Monthly active users and paid available units of a workload in a month, summed. */
export interface UsageSeriesPoint {
	workload: string;
	/** `YYYY-MM`. */
	month: string;
	monthlyActiveUsers: number;
	paidAvailableUnits: number;
}

/** The largest `limit` of {@link usageSlice}. */
export const USAGE_SLICE_MAX_LIMIT = 1000;

/**
 * The usage report in slices (R-ACC-2), for a page that shows the first rows and more on
 * request: the first `limit` rows after `cursor` in the report's order, `nextCursor`
 * (null at the end), the `total` number of rows, the distinct `customers` (tenants) over
 * them, and `series`: per workload and month,
 * the monthly active users and paid available units summed over the rows (the page's
 * charts). ONE statement: the rows are read once (a materialized CTE) for all three, so
 * a partner with 690,000 usage rows (257 MB of JSON as a whole report) gets a few KB.
 * `signal` (the request's abandonedSignal, src/http/abandoned.ts) stops the statement
 * on PostgreSQL when the client goes away (src/db/cancellable.ts).
 * @throws `forbidden` for non-partner actors; `validation_failed` for a bad cursor.
 */
export async function usageSlice(
	ctx: AppContext,
	actor: Actor,
	query: UsageQuery & { limit: number; cursor?: string | undefined },
	signal?: AbortSignal,
): Promise<{
	items: UsageRow[];
	nextCursor: string | null;
	total: number;
	customers: number;
	series: UsageSeriesPoint[];
}> {
	const organizationId = partnerOrganization(actor);
	// A cursor: the last listed row's month, tenant ID, product ID and claim ID.
	const after = query.cursor
		? decodeCursor(query.cursor, stringsOf(4))
		: undefined;
	// The rows are materialized narrow (keys and numbers: 692,000 of them for a large
	// partner); the names are joined to the slice's rows only. 2.5 -> 1.7-1.9 s for a
	// partner with 691,902 rows (docs/performance.md, session 18). Stopped if the request
	// is abandoned (executeCancellable).
	const result = await executeCancellable(
		ctx.db,
		sql`
		with r as materialized (
			select u.month, c.tenant_id, u.product_id, c.id as claim_id,
				u.monthly_active_users as mau, u.paid_available_units as pau
			from claims c
			join usage_records u on u.tenant_id = c.tenant_id
			${activeUsageWhere(organizationId, query)}
		)
		select json_build_object(
			'items', coalesce((
				select json_agg(x order by ${USAGE_ORDER}) from (
					select r.month, r.tenant_id as "tenantId", t.name as "customerName",
						r.product_id as "productId",
						coalesce(pr.name, r.product_id) as workload,
						r.mau as "monthlyActiveUsers", r.pau as "paidAvailableUnits",
						r.claim_id as "claimId", c.mpn_id as "mpnId",
						c.association->>'activatedAt' as "dateAssociated",
						c.activity as "attributionType"
					from (
						select * from r
						${after ? sql`where (month, tenant_id, product_id, claim_id) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})` : sql``}
						order by month, tenant_id, product_id, claim_id
						limit ${query.limit + 1}
					) r
					join claims c on c.id = r.claim_id
					left join tenants t on t.tenant_id = r.tenant_id
					left join products pr on pr.product_id = r.product_id
				) x
			), '[]'),
			'total', (select count(*) from r),
			'customers', (select count(*) from (select distinct tenant_id from r) d),
			'series', coalesce((
				select json_agg(s order by s.workload, s.month) from (
					select coalesce(pr.name, g.product_id) as workload, g.month,
						sum(g.mau)::bigint as "monthlyActiveUsers",
						sum(g.pau)::bigint as "paidAvailableUnits"
					from (
						select product_id, month, sum(mau) as mau, sum(pau) as pau
						from r group by product_id, month
					) g
					left join products pr on pr.product_id = g.product_id
					group by 1, 2
				) s
			), '[]')
		)::text as json
	`,
		signal,
	);
	const [row] = (result as unknown as { rows: { json: string }[] }).rows;
	const answer = JSON.parse(row?.json ?? "{}") as {
		items: UsageRow[];
		total: number;
		customers: number;
		series: UsageSeriesPoint[];
	};
	const items = answer.items.slice(0, query.limit);
	const last = items.at(-1);
	return {
		items,
		nextCursor:
			answer.items.length > query.limit && last
				? encodeCursor([
						last.month,
						last.tenantId,
						last.productId,
						last.claimId,
					])
				: null,
		total: answer.total,
		customers: answer.customers,
		series: answer.series,
	};
}

/** A customer of the usage report's filter (`GET /reports/usage/customers`). */
export interface UsageCustomer {
	tenantId: string;
	/** The tenant's name in the directory; null when the directory has no such tenant. */
	name: string | null;
	/** A domain the partner claimed the tenant by (the first, alphabetically). */
	domain: string;
}

/** The largest `limit` of {@link usageCustomers}. */
export const USAGE_CUSTOMERS_MAX_LIMIT = 100;

/**
 * The customers the usage report can be filtered by (R-ACC-2: the tenants of the
 * actor's organization's ACTIVE associations, no others), ordered by name (case-folded;
 * a tenant without a name by its domain) and tenant ID: the first `limit` after
 * `cursor`, and `nextCursor` (null at the end). With `q`, only those whose name, tenant
 * ID or any claimed domain contains it (case-insensitive). Reads the partial index
 * `claims_org_active_idx` (0.12-0.15 s for a partner with 67,182 such customers).
 * `signal` (the request's abandonedSignal, src/http/abandoned.ts) stops the statement
 * on PostgreSQL when the client goes away (src/db/cancellable.ts).
 * @throws `forbidden` for non-partner actors; `validation_failed` for a bad cursor.
 */
export async function usageCustomers(
	ctx: AppContext,
	actor: Actor,
	query: { q?: string | undefined; limit: number; cursor?: string | undefined },
	signal?: AbortSignal,
): Promise<{ items: UsageCustomer[]; nextCursor: string | null }> {
	const organizationId = partnerOrganization(actor);
	// A cursor: the last listed customer's sort key and tenant ID.
	const after = query.cursor
		? decodeCursor(query.cursor, stringsOf(2))
		: undefined;
	const like = query.q?.trim() ? containsPattern(query.q.trim()) : undefined;
	// Asked as one types: an answer no longer wanted is stopped (executeCancellable).
	const result = await executeCancellable(
		ctx.db,
		sql`
		select "tenantId", name, domain, key from (
			select a.tenant_id as "tenantId", t.name, a.domain,
				lower(coalesce(t.name, a.domain)) as key
			from (
				select tenant_id, min(domain) as domain
					${like ? sql`, bool_or(domain ilike ${like}) as domain_matches` : sql``}
				from claims
				where partner_organization_id = ${organizationId}
					and ${activeAssociation()}
				group by tenant_id
			) a
			left join tenants t on t.tenant_id = a.tenant_id
			${like ? sql`where a.domain_matches or t.name ilike ${like} or a.tenant_id ilike ${like}` : sql``}
		) c
		${after ? sql`where (key, "tenantId") > (${after[0]}, ${after[1]})` : sql``}
		order by key, "tenantId"
		limit ${query.limit + 1}
	`,
		signal,
	);
	const rows = (
		result as unknown as { rows: (UsageCustomer & { key: string })[] }
	).rows;
	const items = rows
		.slice(0, query.limit)
		.map(({ tenantId, name, domain }) => ({ tenantId, name, domain }));
	const last = rows[query.limit - 1];
	return {
		items,
		nextCursor:
			rows.length > query.limit && last
				? encodeCursor([last.key, last.tenantId])
				: null,
	};
}

/** CSV columns of the usage export (the vendor's CPOR usage report columns). */
export const USAGE_CSV_COLUMNS = [
	"month",
	"tenantId",
	"customerName",
	"productId",
	"workload",
	"monthlyActiveUsers",
	"paidAvailableUnits",
	"claimId",
	"mpnId",
	"dateAssociated",
	"attributionType",
] as const;

/** The usage export (`format=csv`): the header row, then one chunk per page. */
export async function* usageCsv(
	pages: AsyncIterable<readonly UsageRow[]>,
): AsyncGenerator<string> {
	yield csvLines([USAGE_CSV_COLUMNS as unknown as string[]]);
	for await (const page of pages)
		yield csvLines(page.map((r) => USAGE_CSV_COLUMNS.map((c) => r[c] ?? "")));
}
