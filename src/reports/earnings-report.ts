/**
 * SPEC R-ELG-2: earnings and payout reporting. Per MPN ID and program, the partner's
 * eligible associations: an ACTIVE association (R-TIME-6) whose eligibility evaluation
 * (R-ELG-1) gave `eligible` for that program, with claim ID, tenant ID and subscription
 * IDs (Business Applications) or workloads (Microsoft 365), so the partner can validate
 * them. Only the caller's own organization (R-ACC-1).
 */
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { PROGRAMS, type Program } from "../domain/catalog.ts";
import { forbidden } from "../domain/errors.ts";

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

/**
 * The earnings report's rows of the actor's organization, optionally for one program, in
 * ONE statement: the partner's eligible active associations (an approved claim whose
 * association is active and whose eligibility entry for the program says `eligible`), one
 * row per claim and program, ordered by MPN ID, program (in {@link PROGRAMS} order), date
 * associated (none first), then claim ID. The database writes each association's JSON:
 * for a partner with 84,098 associations, building them as objects in the server and
 * serializing them took ~2 s of CPU (a quarter of it garbage collection) and ~550 MB.
 * The product lines are joined under the same condition, not listed by claim IDs (a
 * statement takes at most 65,535 parameters).
 * @throws `forbidden` for non-partner actors (the route checks the role).
 */
export async function earningsRows(
	ctx: AppContext,
	actor: Actor,
	opts: { program?: Program | undefined } = {},
): Promise<EarningsRow[]> {
	if (actor.kind !== "partner" || !actor.organizationId)
		throw forbidden("Earnings reports are for partner organizations.");
	// A text[] literal: the programs are fixed identifiers (PROGRAMS), in report order.
	const programs = `{${(opts.program ? [opts.program] : PROGRAMS).join(",")}}`;
	const result = await ctx.db.execute(sql`
		with eligible as (
			select c.id, c.name, c.mpn_id, c.tenant_id, t.name as customer_name,
				c.solution_area, c.activity, c.association, c.eligibility
			from claims c
			left join tenants t on t.tenant_id = c.tenant_id
			where c.partner_organization_id = ${actor.organizationId}
				and c.status = 'approved'
				and c.association->>'status' = 'active'
				and c.eligibility @> '[{"result":"eligible"}]'::jsonb
		),
		lines as (
			select p.claim_id,
				json_agg(row_to_json(line) order by p.position) as products,
				coalesce(json_agg(p.subscription_id order by p.position)
					filter (where p.subscription_id <> ''), '[]') as subscription_ids
			from claim_products p
			join eligible e on e.id = p.claim_id
			left join products pr on pr.product_id = p.product_id
			cross join lateral (select
				p.product_id as "productId",
				coalesce(pr.name, p.product_id) as name,
				p.subscription_id as "subscriptionId"
			) line
			group by p.claim_id
		)
		select e.mpn_id as "mpnId", x.program, row_to_json(a)::text as json
		from eligible e
		cross join lateral jsonb_array_elements(e.eligibility) el(entry)
		cross join lateral (select el.entry->>'program' as program) x
		left join lines l on l.claim_id = e.id
		cross join lateral (select
			e.id as "claimId",
			e.name as "claimName",
			e.tenant_id as "tenantId",
			e.customer_name as "customerName",
			e.solution_area as "solutionArea",
			e.activity,
			coalesce(l.subscription_ids, '[]') as "subscriptionIds",
			coalesce(l.products, '[]') as products,
			e.association->>'activatedAt' as "dateAssociated",
			e.association->>'approvedAt' as "approvedAt",
			el.entry->>'evaluatedAt' as "evaluatedAt"
		) a
		where el.entry->>'result' = 'eligible'
			and x.program = any(${programs}::text[])
		order by e.mpn_id collate "C",
			array_position(${programs}::text[], x.program),
			coalesce(e.association->>'activatedAt', '') collate "C",
			e.id collate "C"
	`);
	return (result as unknown as { rows: EarningsRow[] }).rows;
}

/** The rows' groups: one per MPN ID and program, in the rows' order. */
function* groupsOf(
	rows: readonly EarningsRow[],
): Generator<{ mpnId: string; program: Program; rows: EarningsRow[] }> {
	let group: { mpnId: string; program: Program; rows: EarningsRow[] } | null =
		null;
	for (const r of rows) {
		if (!group || group.mpnId !== r.mpnId || group.program !== r.program) {
			if (group) yield group;
			group = { mpnId: r.mpnId, program: r.program, rows: [] };
		}
		group.rows.push(r);
	}
	if (group) yield group;
}

/**
 * The earnings report of the actor's organization (R-ELG-2), optionally for one program,
 * as objects. Groups are ordered by MPN ID and program; associations by date associated,
 * then claim ID. Only groups with at least one eligible association are listed.
 * @throws `forbidden` for non-partner actors (the route checks the role).
 */
export async function earningsReport(
	ctx: AppContext,
	actor: Actor,
	opts: { program?: Program | undefined } = {},
): Promise<{ items: EarningsGroup[] }> {
	const items: EarningsGroup[] = [];
	for (const g of groupsOf(await earningsRows(ctx, actor, opts)))
		items.push({
			mpnId: g.mpnId,
			program: g.program,
			associations: g.rows.map((r) => JSON.parse(r.json)),
		});
	return { items };
}

/**
 * The body of `GET /reports/earnings` (`{ items: EarningsGroup[] }`) as JSON text in
 * chunks of up to `perChunk` associations, written from the rows' JSON without parsing
 * it: the response streams it instead of holding the whole document as one string.
 */
export function* earningsJson(
	rows: readonly EarningsRow[],
	perChunk = 500,
): Generator<string> {
	yield '{"items":[';
	let firstGroup = true;
	for (const g of groupsOf(rows)) {
		yield `${firstGroup ? "" : ","}{"mpnId":${JSON.stringify(g.mpnId)},"program":${JSON.stringify(g.program)},"associations":[`;
		firstGroup = false;
		for (let i = 0; i < g.rows.length; i += perChunk)
			yield (i ? "," : "") +
				g.rows
					.slice(i, i + perChunk)
					.map((r) => r.json)
					.join(",");
		yield "]}";
	}
	yield "]}";
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

/** The rows of the earnings CSV (without the header). */
export function earningsCsvRows(groups: EarningsGroup[]): string[][] {
	return groups.flatMap((g) =>
		g.associations.map((a) => [
			g.mpnId,
			g.program,
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
		]),
	);
}
