/**
 * SPEC R-ELG-2: earnings and payout reporting. Per MPN ID and program, the partner's
 * eligible associations: an ACTIVE association (R-TIME-6) whose eligibility evaluation
 * (R-ELG-1) gave `eligible` for that program, with claim ID, tenant ID and subscription
 * IDs (Business Applications) or workloads (Microsoft 365), so the partner can validate
 * them. Only the caller's own organization (R-ACC-1).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.ts";
import type { AppContext } from "../context.ts";
import { claimProducts, claims, products, tenants } from "../db/schema.ts";
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

interface EligibilityEntry {
	program?: string;
	result?: string;
	evaluatedAt?: string;
}

interface AssociationJson {
	status?: string;
	approvedAt?: string | null;
	activatedAt?: string | null;
}

/**
 * The earnings report of the actor's organization, optionally for one program. Groups
 * are ordered by MPN ID and program; associations by date associated, then claim ID.
 * Only groups with at least one eligible association are listed.
 * @throws `forbidden` for non-partner actors (the route checks the role).
 */
export async function earningsReport(
	ctx: AppContext,
	actor: Actor,
	opts: { program?: Program | undefined } = {},
): Promise<{ items: EarningsGroup[] }> {
	if (actor.kind !== "partner" || !actor.organizationId)
		throw forbidden("Earnings reports are for partner organizations.");
	// The partner's eligible active associations. Their product lines are read with the
	// same condition (a join), not by a list of claim IDs: a large partner's tens of
	// thousands of IDs would exceed the 65,535 parameters a PostgreSQL statement takes.
	const eligibleActive = and(
		eq(claims.partnerOrganizationId, actor.organizationId),
		eq(claims.status, "approved"),
		sql`${claims.association}->>'status' = 'active'`,
		sql`${claims.eligibility} @> '[{"result":"eligible"}]'::jsonb`,
	);
	const rows = await ctx.db
		.select({
			id: claims.id,
			name: claims.name,
			mpnId: claims.mpnId,
			tenantId: claims.tenantId,
			customerName: tenants.name,
			solutionArea: claims.solutionArea,
			activity: claims.activity,
			association: claims.association,
			eligibility: claims.eligibility,
		})
		.from(claims)
		.leftJoin(tenants, eq(tenants.tenantId, claims.tenantId))
		.where(eligibleActive)
		.orderBy(asc(claims.mpnId), asc(claims.id));
	if (rows.length === 0) return { items: [] };

	const lineRows = await ctx.db
		.select({
			claimId: claimProducts.claimId,
			position: claimProducts.position,
			productId: claimProducts.productId,
			subscriptionId: claimProducts.subscriptionId,
			name: products.name,
		})
		.from(claimProducts)
		.innerJoin(claims, eq(claims.id, claimProducts.claimId))
		.leftJoin(products, eq(products.productId, claimProducts.productId))
		.where(eligibleActive)
		.orderBy(asc(claimProducts.claimId), asc(claimProducts.position));
	const lines = new Map<string, EarningsAssociation["products"]>();
	for (const l of lineRows) {
		const list = lines.get(l.claimId) ?? [];
		list.push({
			productId: l.productId,
			name: l.name ?? l.productId,
			subscriptionId: l.subscriptionId,
		});
		lines.set(l.claimId, list);
	}

	const groups = new Map<string, EarningsGroup>();
	for (const r of rows) {
		const association = (r.association ?? {}) as AssociationJson;
		const claimLines = lines.get(r.id) ?? [];
		for (const e of (r.eligibility ?? []) as EligibilityEntry[]) {
			if (e.result !== "eligible") continue;
			const program = e.program as Program;
			if (!PROGRAMS.includes(program)) continue;
			if (opts.program && program !== opts.program) continue;
			const key = `${r.mpnId}\u0000${program}`;
			let group = groups.get(key);
			if (!group) {
				group = { mpnId: r.mpnId, program, associations: [] };
				groups.set(key, group);
			}
			group.associations.push({
				claimId: r.id,
				claimName: r.name,
				tenantId: r.tenantId,
				customerName: r.customerName,
				solutionArea: r.solutionArea,
				activity: r.activity,
				subscriptionIds: claimLines
					.map((l) => l.subscriptionId)
					.filter((s): s is string => !!s),
				products: claimLines,
				dateAssociated: association.activatedAt ?? null,
				approvedAt: association.approvedAt ?? null,
				evaluatedAt: e.evaluatedAt ?? null,
			});
		}
	}
	const items = [...groups.values()].sort(
		(a, b) =>
			a.mpnId.localeCompare(b.mpnId) ||
			PROGRAMS.indexOf(a.program) - PROGRAMS.indexOf(b.program),
	);
	for (const g of items) {
		g.associations.sort(
			(a, b) =>
				(a.dateAssociated ?? "").localeCompare(b.dateAssociated ?? "") ||
				a.claimId.localeCompare(b.claimId),
		);
	}
	return { items };
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
